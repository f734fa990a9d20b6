/**
 * Client-level behaviour on a loopback server: rotating bearer tokens, 423 retried (also on Create Customer,
 * a POST), 409 as a typed conflict naming the existing customer, and pacing to the workspace's throttling.
 */
import { ConflictError, RateLimiter } from "@activation-kit/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { existingCustomerOf, isConflictError } from "../src/index.js";
import { client, customer, json, localServer, rejectionOf, scriptedFetch, sendJson, WS, type LocalServer } from "./helpers.js";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  vi.useRealTimers();
});

const CUSTOMER_ID = "9d1f6f0c-3b4e-4f6a-9a53-2b1c9ad0e4f7";

describe("bearer token", () => {
  it("calls an async token provider per request and sends the rotated token", async () => {
    server = await localServer((_req, res) => sendJson(res, 200, { maxRequestsPerMinute: 0 }));
    let n = 0;
    const provider = vi.fn(async () => `token-${++n}`);
    const ch = client(server.baseUrl, { token: provider });
    await ch.configuration.getWorkspaceThrottling();
    await ch.configuration.getWorkspaceThrottling();
    expect(provider).toHaveBeenCalledTimes(2);
    expect(server.received.map((r) => r.headers.authorization)).toEqual(["Bearer token-1", "Bearer token-2"]);
  });

  it("never puts the token in an error message", async () => {
    server = await localServer((_req, res) => sendJson(res, 401, { message: "bad token" }));
    const ch = client(server.baseUrl, { token: "secret-token-value" });
    const e = (await rejectionOf(ch.configuration.getWorkspaceThrottling())) as Error;
    expect(e.message).not.toContain("secret-token-value");
    expect(JSON.stringify(e)).not.toContain("secret-token-value");
  });
});

describe("423 Locked (reindexing in progress) is retried", () => {
  it("Create Customer (a POST) answered 423 then 201 resolves to the customer", async () => {
    let calls = 0;
    server = await localServer((_req, res) =>
      ++calls === 1 ? sendJson(res, 423, { message: "Reindexing in progress" }) : sendJson(res, 201, { id: CUSTOMER_ID, ...customer() }),
    );
    const ch = client(server.baseUrl);
    const created = await ch.customers.createCustomer({ body: customer() });
    expect(created.id).toBe(CUSTOMER_ID);
    expect(server.received).toHaveLength(2);
    expect(server.received.map((r) => r.method)).toEqual(["POST", "POST"]);
    expect(JSON.parse(server.received[1].body.toString())).toEqual(customer());
  });

  it("Modify customer (PUT) answered 423 then 200 resolves", async () => {
    let calls = 0;
    server = await localServer((_req, res) =>
      ++calls === 1 ? sendJson(res, 423, { message: "Reindexing in progress" }) : sendJson(res, 200, { id: CUSTOMER_ID, ...customer() }),
    );
    const ch = client(server.baseUrl);
    const updated = await ch.customers.modifyCustomer({ path: { customerId: CUSTOMER_ID }, body: { id: CUSTOMER_ID, ...customer() } as never });
    expect(updated.id).toBe(CUSTOMER_ID);
    expect(server.received).toHaveLength(2);
  });

  it("gives up after the policy's retries with the 423 error", async () => {
    server = await localServer((_req, res) => sendJson(res, 423, { message: "Reindexing in progress" }));
    const ch = client(server.baseUrl);
    const e = (await rejectionOf(ch.customers.createCustomer({ body: customer() }))) as { status: number };
    expect(e.status).toBe(423);
    expect(server.received).toHaveLength(3); // 1 + maxRetries 2 (spec default)
  });
});

describe("409 Conflict on create", () => {
  it("surfaces as a ConflictError whose typed body names the existing customer; never retried", async () => {
    const href = `https://api.contactlab.it/hub/v1/workspaces/${WS}/customers/${CUSTOMER_ID}`;
    server = await localServer((_req, res) =>
      sendJson(res, 409, { message: "Customer already exists", logref: "7f1c2e", data: { customer: { id: CUSTOMER_ID, href } } }),
    );
    const ch = client(server.baseUrl);
    const e = await rejectionOf(ch.customers.createCustomer({ body: customer() }));
    expect(e).toBeInstanceOf(ConflictError);
    expect(isConflictError(e)).toBe(true);
    if (!isConflictError(e)) throw e;
    expect(e.body.data?.customer?.id).toBe(CUSTOMER_ID);
    expect(existingCustomerOf(e)).toEqual({ id: CUSTOMER_ID, href });
    expect(server.received).toHaveLength(1);
  });

  it("existingCustomerOf is undefined for other errors and for a 409 without a customer", async () => {
    server = await localServer((_req, res) => sendJson(res, 409, { message: "Conflict" }));
    const ch = client(server.baseUrl);
    const e = await rejectionOf(ch.customers.createCustomer({ body: customer() }));
    expect(isConflictError(e)).toBe(true);
    expect(existingCustomerOf(e)).toBeUndefined();
    expect(existingCustomerOf(new Error("x"))).toBeUndefined();
    expect(existingCustomerOf(undefined)).toBeUndefined();
  });
});

describe("limitToWorkspaceThrottling", () => {
  function throttled(maxRequestsPerMinute: number) {
    return scriptedFetch((req) =>
      new URL(req.url).pathname.endsWith("/configuration/throttling") ? json(200, { maxRequestsPerMinute }) : json(200, { status: "UP" }),
    );
  }

  it("installs a limiter at maxRequestsPerMinute / 60 per second: the client paces itself", async () => {
    vi.useFakeTimers();
    const f = throttled(60);
    const ch = client("http://127.0.0.1:1", { fetch: f.fetch });
    const limit = await ch.limitToWorkspaceThrottling();
    expect(limit.maxRequestsPerMinute).toBe(60);
    expect(limit.limiter).toBeInstanceOf(RateLimiter);
    expect(ch.runtime.rateLimiter).toBe(limit.limiter);

    // 60/min = one request per second (burst 1): three calls take two more seconds.
    const done = Promise.all([ch.health.getHealth(), ch.health.getHealth(), ch.health.getHealth()]);
    await vi.advanceTimersByTimeAsync(0);
    expect(f.requests).toHaveLength(2); // the throttling read + the first call
    await vi.advanceTimersByTimeAsync(999);
    expect(f.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(f.requests).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1000);
    await done;
    expect(f.requests).toHaveLength(4);
    expect(f.requests[3].at - f.requests[1].at).toBe(2000);
  });

  it("0 (throttling off) removes the limiter; calling again picks up a changed setting", async () => {
    vi.useFakeTimers();
    let setting = 6000;
    const f = scriptedFetch((req) =>
      new URL(req.url).pathname.endsWith("/configuration/throttling") ? json(200, { maxRequestsPerMinute: setting }) : json(200, {}),
    );
    const ch = client("http://127.0.0.1:1", { fetch: f.fetch, rateLimit: { perSecond: 1 } });
    const first = await ch.limitToWorkspaceThrottling();
    expect(first.limiter).toBeInstanceOf(RateLimiter);
    setting = 0;
    const second = await ch.limitToWorkspaceThrottling();
    expect(second).toEqual({ maxRequestsPerMinute: 0, limiter: undefined });
    expect(ch.runtime.rateLimiter).toBeUndefined();
    // With no limiter, ten calls go at once.
    const before = f.requests.length;
    await Promise.all(Array.from({ length: 10 }, () => ch.health.getHealth()));
    expect(f.requests.length - before).toBe(10);
    expect(new Set(f.requests.slice(before).map((r) => r.at)).size).toBe(1);
  });
});
