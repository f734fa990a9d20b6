/**
 * startMock against real Prism processes, driven through the vendors' own clients: the bare root as baseUrl,
 * forced statuses (count, per operation, only documented ones), deterministic seeded answers, fixed ports,
 * and a clean stop.
 */
import { InternalServerError, NotFoundError, RateLimitError } from "@activation-kit/core";
import { createRelevaClient } from "@activation-kit/releva";
import { createRudderStackClient } from "@activation-kit/rudderstack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMock, type MockServer } from "../src/index.js";
import { freePort } from "./free-port.js";

const lookup = { entity: "user", destinationId: "2Mq8sGd7S3vVuQ9bXkPpNzE4aT1", id: { type: "email", value: "ana@example.com" } } as const;
const upsert = { body: { profiles: [{ profile: { email: "ana@example.com" } }] } };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("startMock: a Releva mock the client reaches at baseUrl", () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMock("releva");
  });
  afterAll(() => mock.close());

  it("baseUrl is the bare loopback root the client factory takes; requests are recorded with their operation", async () => {
    expect(mock.baseUrl).toBe(`http://127.0.0.1:${mock.port}`);
    const releva = createRelevaClient({ secretKey: "test-secret", baseUrl: mock.baseUrl });
    await expect(releva.profiles.upsertProfiles(upsert)).resolves.toEqual({});
    expect(mock.requests.at(-1)).toEqual({ method: "POST", url: "/profiles", operation: "upsertProfiles", status: 202, forcedStatus: undefined });
  });

  it("request validation is on: what the client would refuse, the mock refuses too", async () => {
    const releva = createRelevaClient({ secretKey: "test-secret", baseUrl: mock.baseUrl, maxRetries: 0 });
    const bad = { body: { profiles: [{ profile: { phoneNumber: "123" } }] } };
    const e = await releva.profiles.upsertProfiles(bad, { validate: false }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toMatchObject({ status: 400 });
    expect(mock.requests.at(-1)?.status).toBe(400);
  });

  it("forceStatus(503, {times: 2}): two 503s, which the client retries, then the documented 202", async () => {
    const before = mock.requests.length;
    const releva = createRelevaClient({ secretKey: "test-secret", baseUrl: mock.baseUrl, retry: { initialDelayMs: 1, maxDelayMs: 1 } });
    mock.forceStatus(503, { times: 2 });
    await expect(releva.profiles.upsertProfiles(upsert)).resolves.toEqual({});
    expect(mock.requests.slice(before).map((r) => [r.status, r.forcedStatus])).toEqual([
      [503, 503],
      [503, 503],
      [202, undefined],
    ]);
  });

  it("a forced status outlasting the retries reaches the caller as the typed error, body from the spec", async () => {
    const releva = createRelevaClient({ secretKey: "test-secret", baseUrl: mock.baseUrl, maxRetries: 1, retry: { initialDelayMs: 1, maxDelayMs: 1 } });
    mock.forceStatus(500, { times: 2 });
    const e = await releva.profiles.upsertProfiles(upsert).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(InternalServerError);
    expect((e as InternalServerError).status).toBe(500);
    mock.forceStatus(429);
    const limited = createRelevaClient({ secretKey: "test-secret", baseUrl: mock.baseUrl, maxRetries: 0 });
    await expect(limited.profiles.upsertProfiles(upsert)).rejects.toBeInstanceOf(RateLimitError);
    await expect(limited.profiles.upsertProfiles(upsert)).resolves.toEqual({});
  });

  it("only requests to an operation of the API take a forced status (not a preflight, not a wrong path)", async () => {
    mock.forceStatus(503);
    const preflight = await fetch(`${mock.baseUrl}/profiles`, { method: "OPTIONS", headers: { origin: "http://app.test", "access-control-request-method": "POST" } });
    expect(preflight.status).toBe(204);
    const wrongPath = await fetch(`${mock.baseUrl}/api/v0/profiles`, { method: "POST" });
    expect(wrongPath.status).toBe(404);
    const releva = createRelevaClient({ secretKey: "test-secret", baseUrl: mock.baseUrl, maxRetries: 0 });
    await expect(releva.profiles.upsertProfiles(upsert)).rejects.toMatchObject({ status: 503 });
    expect(mock.requests.slice(-3).map((r) => [r.method, r.operation, r.status, r.forcedStatus])).toEqual([
      ["OPTIONS", undefined, 204, undefined],
      ["POST", undefined, 404, undefined],
      ["POST", "upsertProfiles", 503, 503],
    ]);
  });

  it("only statuses the spec documents can be forced; the error lists them", () => {
    expect(() => mock.forceStatus(418)).toThrow(/documents status 418.*documented: 202, 400, 401, 403, 404, 429, 500, 503/);
    expect(() => mock.forceStatus(503, { operation: "deleteEverything" })).toThrow(/no operation "deleteEverything"/);
    expect(() => mock.forceStatus(503, { times: 0 })).toThrow(RangeError);
    expect(() => mock.forceStatus(99)).toThrow(RangeError);
  });

  it("clearForcedStatuses drops forced statuses not yet used", async () => {
    mock.forceStatus(503, { times: Infinity });
    mock.clearForcedStatuses();
    const releva = createRelevaClient({ secretKey: "test-secret", baseUrl: mock.baseUrl, maxRetries: 0 });
    await expect(releva.profiles.upsertProfiles(upsert)).resolves.toEqual({});
  });
});

describe("startMock: seeded answers, forced statuses per operation", () => {
  let a: MockServer, b: MockServer, c: MockServer;
  beforeAll(async () => {
    [a, b, c] = await Promise.all([startMock("rudderstack", { repeatable: 42 }), startMock("rudderstack", { repeatable: "42" }), startMock("rudderstack", { repeatable: 7 })]);
  });
  afterAll(() => Promise.all([a.close(), b.close(), c.close()]));

  it("the same seed gives the same generated answers, in another process too; another seed other answers", async () => {
    const read = async (m: MockServer) => {
      const rudder = createRudderStackClient({ accessToken: "test-token", baseUrl: m.baseUrl, maxRetries: 0 });
      return [await rudder.profiles.getUserProfiles({ body: lookup }), await rudder.profiles.deleteUserProfiles({ body: lookup })];
    };
    const [fromA, fromB, fromC] = await Promise.all([read(a), read(b), read(c)]);
    expect(fromB).toEqual(fromA);
    expect(await read(a)).toEqual(fromA);
    expect(fromC).not.toEqual(fromA);
    // Generated, not the documented example (which deletes 2 of 2 keys).
    expect(fromA[1]).not.toEqual({ deletedKeys: 2, actualKeys: 2 });
  });

  it("a status forced for one operation waits for that operation", async () => {
    const rudder = createRudderStackClient({ accessToken: "test-token", baseUrl: c.baseUrl, maxRetries: 0 });
    const before = c.requests.length;
    c.forceStatus(404, { operation: "deleteUserProfiles" });
    await expect(rudder.profiles.getUserProfiles({ body: lookup })).resolves.toBeTypeOf("object");
    await expect(rudder.profiles.deleteUserProfiles({ body: lookup })).rejects.toBeInstanceOf(NotFoundError);
    await expect(rudder.profiles.deleteUserProfiles({ body: lookup })).resolves.toBeTypeOf("object");
    expect(c.requests.slice(before).map((r) => [r.operation, r.status])).toEqual([
      ["getUserProfiles", 200],
      ["deleteUserProfiles", 404],
      ["deleteUserProfiles", 200],
    ]);
  });
});

describe("startMock: ports, errors, stopping", () => {
  it("listens on a fixed port when asked (a busy one is a clear error); close() ends Prism and frees the port", async () => {
    const port = await freePort();
    const mock = await startMock("releva", { port });
    expect(mock.baseUrl).toBe(`http://127.0.0.1:${port}`);
    await expect(startMock("releva", { port })).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
    expect(alive(mock.pid)).toBe(true);
    await mock.close();
    await mock.close();
    expect(alive(mock.pid)).toBe(false);
    await expect(fetch(`${mock.baseUrl}/profiles`, { method: "POST" })).rejects.toThrow();
  });

  it("rejects an unknown vendor and a bad port before starting anything", async () => {
    await expect(startMock("acme" as never)).rejects.toThrow(/unknown vendor "acme"; one of "relay42", "rudderstack", "contacthub", "releva", "marigold-engage"/);
    await expect(startMock("releva", { port: 70000 })).rejects.toBeInstanceOf(RangeError);
  });
});
