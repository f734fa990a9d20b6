/**
 * Watching a client: per-attempt hooks in their documented order with the right attempt numbers, a logger with
 * levels, `.withResponse()` metadata, errors that carry `attempts` and print plainly — all with credentials
 * redacted, and none of it able to break a call.
 */
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ActivationKitError, ConfigurationError, ConnectionError, InternalServerError } from "../src/errors.js";
import type { Hooks } from "../src/observe.js";
import { createRuntime } from "../src/runtime.js";
import { requireOption } from "../src/vendor-client.js";
import { errorOf, json as jsonResponse, makeApi, scriptedFetch } from "./helpers.js";
import { json, startLocalServer, type LocalServer } from "./local-server.js";

const SECRET = "sk-live-WATCH-4242";

describe.each(["node", "fetch"] as const)("hooks and logger over the %s transport", (transport) => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer();
  });
  afterAll(() => server.close());

  function recorder() {
    const events: string[] = [];
    const args: unknown[] = [];
    const hooks: Hooks = {
      onRequest: (i) => (events.push(`request ${i.attempt}`), args.push(i)),
      onResponse: (i) => (events.push(`response ${i.attempt} ${i.status}`), args.push(i)),
      onRetry: (i) => (events.push(`retry after ${i.attempt} (${i.reason}) ${i.delayMs}ms`), args.push(i)),
      onError: (i) => (events.push(`error ${i.attempt} ${i.error.name}`), args.push(i)),
    };
    return { events, args, hooks };
  }

  const client = (extra: Record<string, unknown>) =>
    createRuntime(makeApi(), {
      baseUrl: `${server.url}/v1`,
      transport,
      auth: { type: "bearer", token: SECRET },
      retry: { initialDelayMs: 2, maxDelayMs: 2, jitter: false, maxRetries: 3 },
      ...extra,
    });

  it("fire per attempt, in order, across 429, 503 and a reset connection", async () => {
    let n = 0;
    server.handle((_, res, socket) => {
      n += 1;
      if (n === 1) return json(res, 429, { message: "slow down" }, { "retry-after": "0" });
      if (n === 2) return json(res, 503, { message: "busy" });
      if (n === 3) return void socket.destroy();
      json(res, 200, { id: "a" }, { "x-request-id": "req-ok" });
    });
    const { events, args, hooks } = recorder();
    await expect(client({ hooks }).call("getThing", { path: { id: "a" } })).resolves.toEqual({ id: "a" });
    expect(events).toEqual([
      "request 1",
      "response 1 429",
      "retry after 1 (status 429) 0ms",
      "request 2",
      "response 2 503",
      "retry after 2 (status 503) 2ms",
      "request 3",
      "error 3 ConnectionError",
      "retry after 3 (connection error) 2ms",
      "request 4",
      "response 4 200",
    ]);
    // Redaction holds in every hook argument: the bearer token never appears.
    expect(inspect(args, { depth: 10 })).not.toContain(SECRET);
    expect((args[0] as { headers: Record<string, string> }).headers.authorization).toBe("[REDACTED]");
  });

  it("an exception (or rejection) in a hook never breaks the call", async () => {
    server.handle((_, res) => json(res, 200, { id: "a" }));
    const warn = vi.fn();
    const rt = client({
      logger: { debug() {}, info() {}, warn, error() {} },
      hooks: {
        onRequest: () => {
          throw new Error("hook bug");
        },
        onResponse: async () => {
          throw new Error("async hook bug");
        },
      },
    });
    await expect(rt.call("getThing", { path: { id: "a" } })).resolves.toEqual({ id: "a" });
    await vi.waitFor(() => expect(warn).toHaveBeenCalledTimes(2));
    expect(warn.mock.calls.map((c) => c[0]).join("\n")).toMatch(/hook onRequest threw.*\n.*hook onResponse threw/);
  });

  it("debug logs each attempt (method, URL, status, duration, attempt, retry delay and reason), redacted", async () => {
    let n = 0;
    server.handle((_, res) => {
      n += 1;
      if (n === 1) json(res, 503, { echo: SECRET });
      else json(res, 200, { id: "a" });
    });
    const lines: Array<[string, string, Record<string, unknown>]> = [];
    const rt = client({ logLevel: "debug", logger: (level: string, message: string, fields: Record<string, unknown>) => lines.push([level, message, fields]) });
    await rt.call("getThing", { path: { id: "a" } });
    const text = lines.map(([l, m]) => `${l} ${m}`);
    expect(text[0]).toMatch(/^debug → GET http:\/\/127\.0\.0\.1:\d+\/v1\/things\/a \(getThing\) attempt 1$/);
    expect(text[1]).toMatch(/^debug ← 503 GET .* \(getThing\) in \d+ ms, attempt 1$/);
    expect(text[2]).toMatch(/^info retrying GET .* \(getThing\) in 2 ms after status 503/);
    expect(text[4]).toMatch(/^debug ← 200 GET/);
    expect(lines[1][2]).toMatchObject({ status: 503, attempt: 1, method: "GET", operationId: "getThing" });
    expect(typeof lines[1][2].durationMs).toBe("number");
    expect(lines[2][2]).toMatchObject({ delayMs: 2, reason: "status 503" });
    expect(inspect(lines, { depth: 10 })).not.toContain(SECRET);
  });

  it("the default level is warn: nothing is logged for a normal call", async () => {
    server.handle((_, res) => json(res, 200, { id: "a" }));
    const log = vi.fn();
    await client({ logger: log }).call("getThing", { path: { id: "a" } });
    expect(log).not.toHaveBeenCalled();
  });

  it(".withResponse() gives the data, the response, the request id and the attempts", async () => {
    let n = 0;
    server.handle((_, res) => {
      n += 1;
      if (n === 1) json(res, 503, {});
      else json(res, 200, { id: "a" }, { "x-request-id": "req-123", "x-vendor": "v" });
    });
    const { data, response, requestId, attempts } = await client({}).call("getThing", { path: { id: "a" } }).withResponse();
    expect(data).toEqual({ id: "a" });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-vendor")).toBe("v");
    expect(await response.json()).toEqual({ id: "a" });
    expect(requestId).toBe("req-123");
    expect(attempts).toBe(2);
  });

  it("errors carry attempts and print method, URL and operation (no getters, no credential)", async () => {
    server.handle((_, res) => json(res, 503, { message: "busy" }));
    const err = (await errorOf(client({}).call("getThing", { path: { id: "a" } }))) as InternalServerError;
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err.attempts).toBe(4);
    const shown = inspect(err);
    expect(shown).toContain("operationId: 'getThing'");
    expect(shown).toMatch(/method: 'GET'/);
    expect(shown).toMatch(/url: 'http:\/\/127\.0\.0\.1:\d+\/v1\/things\/a'/);
    expect(shown).toContain("attempts: 4");
    expect(shown).not.toContain("[Getter]");
    expect(shown).not.toContain(SECRET);
    expect(JSON.parse(JSON.stringify(err))).toMatchObject({ name: "InternalServerError", status: 503, attempts: 4, request: { method: "GET" } });
  });
});

describe("errors every path raises", () => {
  it("a missing credential is a ConfigurationError, so ActivationKitError catches it", () => {
    const e = (() => {
      try {
        requireOption(undefined, "secretKey", "Releva");
      } catch (error) {
        return error;
      }
    })();
    expect(e).toBeInstanceOf(ConfigurationError);
    expect(e).toBeInstanceOf(ActivationKitError);
    expect((e as Error).message).toBe("Releva: option `secretKey` is required");
  });

  it("a credential with a line break is refused before sending", async () => {
    const f = scriptedFetch(jsonResponse(200, {}));
    expect(() => createRuntime(makeApi(), { fetch: f.fetch, auth: { type: "bearer", token: "abc\r\nX-Evil: 1" } })).toThrow(ConfigurationError);
    const rt = createRuntime(makeApi(), { fetch: f.fetch, auth: { type: "bearer", token: () => "abc\nX-Evil: 1" } });
    expect(await errorOf(rt.call("getThing", { path: { id: "a" } }))).toBeInstanceOf(ConfigurationError);
    expect(f.mock).not.toHaveBeenCalled();
  });

  it("a path parameter that would climb out of its path is refused before sending", async () => {
    const f = scriptedFetch(jsonResponse(200, {}));
    const rt = createRuntime(makeApi(), { fetch: f.fetch });
    const err = await errorOf(rt.call("getThing", { path: { id: ".." } }));
    expect(err).toMatchObject({ name: "RequestValidationError", issues: [{ field: "path.id", rule: "path segment" }] });
    await rt.call("getThing", { path: { id: "../admin" } });
    expect(f.requests[0].url).toBe("https://api.example.test/v1/things/..%2Fadmin");
  });

  it("a ConnectionError says how many attempts were made", async () => {
    const f = scriptedFetch(new TypeError("fetch failed"));
    const rt = createRuntime(makeApi(), { fetch: f.fetch, retry: { initialDelayMs: 1, maxDelayMs: 1 } });
    const err = (await errorOf(rt.call("getThing", { path: { id: "a" } }))) as ConnectionError;
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.attempts).toBe(3);
    expect(err.message).toContain("after 3 attempts");
  });
});

describe("openapi-fetch middleware", () => {
  it("sees by-name calls while it is registered, and they still resolve to the typed body", async () => {
    const f = scriptedFetch(jsonResponse(200, { id: "a" }));
    const rt = createRuntime(makeApi(), { fetch: f.fetch });
    const seen: string[] = [];
    const middleware = {
      onRequest({ request }: { request: Request }) {
        seen.push(`${request.method} ${new URL(request.url).pathname}`);
        request.headers.set("x-trace", "t-1");
        return request;
      },
    };
    rt.raw.use(middleware);
    await expect(rt.call("getThing", { path: { id: "a" } })).resolves.toEqual({ id: "a" });
    expect(seen).toEqual(["GET /v1/things/a"]);
    expect(f.requests[0].headers.get("x-trace")).toBe("t-1");
    rt.raw.eject(middleware);
    await rt.call("getThing", { path: { id: "b" } });
    expect(seen).toHaveLength(1);
  });
});
