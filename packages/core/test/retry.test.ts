import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  AuthenticationError,
  InternalServerError,
  PermissionDeniedError,
  RateLimitError,
} from "../src/errors.js";
import { backoffDelayMs, retryAfterMs, RetryState, type BackoffPolicy } from "../src/retry.js";
import { createRuntime } from "../src/runtime.js";
import { errorOf, json, makeApi, scriptedFetch, settle } from "./helpers.js";

const ladder: BackoffPolicy = { maxRetries: 10, initialDelayMs: 1000, maxDelayMs: 60_000 };

describe("backoffDelayMs", () => {
  it("grows exponentially from initialDelayMs (jitter off gives the exact 1, 2, 4 … ladder)", () => {
    const p = { ...ladder, jitter: false };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, p))).toEqual([1000, 2000, 4000, 8000, 16000]);
  });

  it("honours a custom multiplier", () => {
    const p = { ...ladder, jitter: false, multiplier: 3 };
    expect([1, 2, 3].map((n) => backoffDelayMs(n, p))).toEqual([1000, 3000, 9000]);
  });

  it("caps each delay at maxDelayMs", () => {
    const p = { ...ladder, jitter: false, maxDelayMs: 5000 };
    expect([1, 2, 3, 4, 10].map((n) => backoffDelayMs(n, p))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  it("jitter stays between 50 % and 100 % of the (capped) delay", () => {
    expect(backoffDelayMs(3, ladder, undefined, () => 0)).toBe(2000);
    expect(backoffDelayMs(3, ladder, undefined, () => 0.5)).toBe(3000);
    expect(backoffDelayMs(3, ladder, undefined, () => 0.999999)).toBe(4000);
    const capped = { ...ladder, maxDelayMs: 3000 };
    expect(backoffDelayMs(6, capped, undefined, () => 0)).toBe(1500);
    expect(backoffDelayMs(6, capped, undefined, () => 0.999999)).toBe(3000);
    for (let i = 0; i < 50; i++) {
      const d = backoffDelayMs(2, ladder);
      expect(d).toBeGreaterThanOrEqual(1000);
      expect(d).toBeLessThanOrEqual(2000);
    }
  });

  it("uses a server delay when given, capped at maxDelayMs, without jitter", () => {
    expect(backoffDelayMs(1, ladder, 2500, () => 0)).toBe(2500);
    expect(backoffDelayMs(1, { ...ladder, maxDelayMs: 2000 }, 10_000, () => 0)).toBe(2000);
  });
});

describe("retryAfterMs", () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0);
  const h = (init: Record<string, string>) => new Headers(init);

  it("reads the seconds form", () => {
    expect(retryAfterMs(h({ "retry-after": "2" }), now)).toBe(2000);
    expect(retryAfterMs(h({ "retry-after": " 1.5 " }), now)).toBe(1500);
    expect(retryAfterMs(h({ "retry-after": "0" }), now)).toBe(0);
  });

  it("reads the HTTP-date form relative to now", () => {
    const at = new Date(now + 30_000).toUTCString();
    expect(retryAfterMs(h({ "retry-after": at }), now)).toBe(30_000);
    // A date in the past means "now".
    expect(retryAfterMs(h({ "retry-after": new Date(now - 5000).toUTCString() }), now)).toBe(0);
    // The obsolete forms RFC 9110 still accepts.
    expect(retryAfterMs(h({ "retry-after": "Wednesday, 01-Jan-25 12:00:10 GMT" }), now)).toBe(10_000);
    expect(retryAfterMs(h({ "retry-after": "Wed Jan  1 12:00:20 2025" }), Date.parse("Wed Jan  1 12:00:00 2025"))).toBe(20_000);
  });

  it("prefers retry-after-ms", () => {
    expect(retryAfterMs(h({ "retry-after-ms": "250", "retry-after": "9" }), now)).toBe(250);
    // A malformed retry-after-ms falls back to Retry-After.
    expect(retryAfterMs(h({ "retry-after-ms": "soon", "retry-after": "3" }), now)).toBe(3000);
  });

  it("ignores garbage and absence", () => {
    expect(retryAfterMs(h({ "retry-after": "soon-ish" }), now)).toBeUndefined();
    // V8's Date.parse reads these as dates in 2001; they must not turn into "retry now".
    expect(retryAfterMs(h({ "retry-after": "-5" }), now)).toBeUndefined();
    expect(retryAfterMs(h({ "retry-after": "later 2" }), now)).toBeUndefined();
    expect(retryAfterMs(h({ "retry-after": "" }), now)).toBeUndefined();
    expect(retryAfterMs(h({ "retry-after-ms": "-1" }), now)).toBeUndefined();
    expect(retryAfterMs(h({}), now)).toBeUndefined();
  });
});

describe("RetryState", () => {
  const policy = { ...ladder, jitter: false, maxRetries: 2, retryStatuses: [429, 503] };

  it("counts retries against maxRetries and never retries never-retry statuses", () => {
    const s = new RetryState(policy, [401, 403]);
    expect(s.decide({ status: 503 }, true)).toEqual({ retry: true, delayMs: 1000 });
    expect(s.decide({ status: 503 }, true)).toEqual({ retry: true, delayMs: 2000 });
    expect(s.decide({ status: 503 }, true)).toEqual({ retry: false });
    expect(new RetryState({ ...policy, retryStatuses: [401] }, [401]).decide({ status: 401 }, true)).toEqual({ retry: false });
    expect(new RetryState(policy, []).decide({ status: 503 }, false)).toEqual({ retry: false });
    expect(new RetryState(policy, []).decide({ status: 400 }, true)).toEqual({ retry: false });
  });

  it("gives 429 its own budget and ladder when rateLimited is set", () => {
    const s = new RetryState({ ...policy, rateLimited: { maxRetries: 1, initialDelayMs: 7000, maxDelayMs: 60_000, jitter: false } }, []);
    expect(s.decide({ status: 429 }, true)).toEqual({ retry: true, delayMs: 7000 });
    expect(s.decide({ status: 429 }, true)).toEqual({ retry: false });
    expect(s.decide({ status: 503 }, true)).toEqual({ retry: true, delayMs: 1000 });
  });

  it("follows x-should-retry", () => {
    const s = new RetryState(policy, []);
    expect(s.decide({ status: 503, headers: new Headers({ "x-should-retry": "false" }) }, true)).toEqual({ retry: false });
    expect(s.decide({ status: 400, headers: new Headers({ "x-should-retry": "true" }) }, true)).toEqual({ retry: true, delayMs: 1000 });
  });
});

describe("retries through createRuntime (fake timers)", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("503, 503, 200 resolves after 1000 + 2000 ms with 3 attempts", async () => {
    const f = scriptedFetch(json(503, { message: "busy" }), json(503, { message: "busy" }), json(200, { id: "t1" }));
    const rt = createRuntime(makeApi(), { fetch: f.fetch, auth: { type: "bearer", token: "tok-123456" } });
    const result = settle(rt.call("getThing", { path: { id: "t1" } }));

    await vi.advanceTimersByTimeAsync(0);
    expect(f.mock).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(f.mock).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(f.mock).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1999);
    expect(f.mock).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(f.mock).toHaveBeenCalledTimes(3);

    expect(await result).toEqual({ ok: true, value: { id: "t1" } });
    expect(f.requests.map((r) => r.url)).toEqual(Array(3).fill("https://api.example.test/v1/things/t1"));
    // Credentials are set on every attempt.
    expect(f.requests.every((r) => r.headers.get("authorization") === "Bearer tok-123456")).toBe(true);
  });

  it("uses jittered delays from the policy when jitter is on", async () => {
    const api = makeApi();
    api.spec.policy.retry.jitter = true;
    const f = scriptedFetch(json(503, {}), json(200, { ok: true }));
    const rt = createRuntime(api, { fetch: f.fetch });
    const spy = vi.spyOn(Math, "random").mockReturnValue(0);
    try {
      const result = settle(rt.call("getThing", { path: { id: "x" } }));
      await vi.advanceTimersByTimeAsync(499);
      expect(f.mock).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(f.mock).toHaveBeenCalledTimes(2);
      expect((await result).ok).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  it("gives up after maxRetries and throws InternalServerError(503)", async () => {
    const f = scriptedFetch(json(503, { message: "down" }, { "x-request-id": "req-9" }));
    const rt = createRuntime(makeApi(), { fetch: f.fetch, maxRetries: 2 });
    const result = settle(rt.call("getThing", { path: { id: "t1" } }));
    await vi.advanceTimersByTimeAsync(60_000);
    const r = await result;
    expect(r.ok).toBe(false);
    const err = (r as { error: unknown }).error;
    expect(err).toBeInstanceOf(InternalServerError);
    expect((err as InternalServerError).status).toBe(503);
    expect((err as InternalServerError).body).toEqual({ message: "down" });
    expect((err as InternalServerError).requestId).toBe("req-9");
    expect(f.mock).toHaveBeenCalledTimes(3);
  });

  it("per-call maxRetries overrides the policy", async () => {
    const f = scriptedFetch(json(503, {}));
    const rt = createRuntime(makeApi(), { fetch: f.fetch });
    const result = settle(rt.call("getThing", { path: { id: "t1" } }, { maxRetries: 0 }));
    await vi.advanceTimersByTimeAsync(60_000);
    expect((await result).ok).toBe(false);
    expect(f.mock).toHaveBeenCalledTimes(1);
  });

  it("a 429 with Retry-After: 2 waits 2000 ms before the retry", async () => {
    const f = scriptedFetch(json(429, { message: "slow down" }, { "retry-after": "2" }), json(200, { id: "t1" }));
    const rt = createRuntime(makeApi(), { fetch: f.fetch });
    const result = settle(rt.call("getThing", { path: { id: "t1" } }));
    await vi.advanceTimersByTimeAsync(1999);
    expect(f.mock).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(f.mock).toHaveBeenCalledTimes(2);
    expect(await result).toEqual({ ok: true, value: { id: "t1" } });
  });
});

describe("what is not retried (and what is)", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("401: one attempt, AuthenticationError with status, body, headers and requestId", async () => {
    // Even a server asking for a retry does not get one: credentials errors never repeat.
    const f = scriptedFetch(
      json(401, { error: "invalid token" }, { "x-request-id": "req-401", "x-should-retry": "true" }),
      json(200, {}),
    );
    const rt = createRuntime(makeApi(), { fetch: f.fetch, auth: { type: "bearer", token: "bad-token" } });
    const p = errorOf(rt.call("getThing", { path: { id: "a" } }));
    await vi.advanceTimersByTimeAsync(60_000);
    const err = (await p) as AuthenticationError;
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.status).toBe(401);
    expect(err.body).toEqual({ error: "invalid token" });
    expect(err.headers.get("x-request-id")).toBe("req-401");
    expect(err.requestId).toBe("req-401");
    expect(err.request).toMatchObject({ method: "GET", url: "https://api.example.test/v1/things/a", operationId: "getThing" });
    expect(err.message).toContain("401 from GET https://api.example.test/v1/things/a (getThing): invalid token");
    expect(f.mock).toHaveBeenCalledTimes(1);
  });

  it("403: one attempt, PermissionDeniedError", async () => {
    const api = makeApi();
    api.spec.policy.retry.retryStatuses.push(403); // neverRetryStatuses wins over a policy that lists it
    const f = scriptedFetch(json(403, { message: "forbidden" }, { "x-request-id": "req-403" }), json(200, {}));
    const rt = createRuntime(api, { fetch: f.fetch });
    const p = errorOf(rt.call("getThing", { path: { id: "a" } }));
    await vi.advanceTimersByTimeAsync(60_000);
    const err = (await p) as PermissionDeniedError;
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect(err.status).toBe(403);
    expect(err.body).toEqual({ message: "forbidden" });
    expect(err.requestId).toBe("req-403");
    expect(f.mock).toHaveBeenCalledTimes(1);
  });

  it.each([500, 503])("a non-idempotent POST is not retried on %i", async (status) => {
    const f = scriptedFetch(json(status, { message: "oops" }), json(201, { id: "new" }));
    const rt = createRuntime(makeApi(), { fetch: f.fetch });
    const p = errorOf(rt.call("createThing", { body: { name: "x" } }));
    await vi.advanceTimersByTimeAsync(60_000);
    const err = (await p) as InternalServerError;
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err.status).toBe(status);
    expect(f.mock).toHaveBeenCalledTimes(1);
  });

  it("a non-idempotent POST is not retried after a connection error either", async () => {
    const f = scriptedFetch(new TypeError("fetch failed"), json(201, {}));
    const rt = createRuntime(makeApi(), { fetch: f.fetch });
    const p = errorOf(rt.call("createThing", { body: { name: "x" } }));
    await vi.advanceTimersByTimeAsync(60_000);
    expect((await p) as Error).toMatchObject({ name: "ConnectionError" });
    expect(f.mock).toHaveBeenCalledTimes(1);
  });

  it("an idempotent POST is retried, with the same body", async () => {
    const f = scriptedFetch(json(503, {}), json(200, { upserted: 1 }));
    const rt = createRuntime(makeApi(), { fetch: f.fetch });
    const result = settle(rt.call("upsertThings", { body: { things: [{ id: 1 }] } }));
    await vi.advanceTimersByTimeAsync(1000);
    expect(await result).toEqual({ ok: true, value: { upserted: 1 } });
    expect(f.mock).toHaveBeenCalledTimes(2);
    const bodies = await Promise.all(f.requests.map((r) => r.text()));
    expect(bodies).toEqual(['{"things":[{"id":1}]}', '{"things":[{"id":1}]}']);
    expect(f.requests.every((r) => r.method === "POST")).toBe(true);
  });

  it("a 429 on a non-idempotent POST is retried (429 means not processed)", async () => {
    const f = scriptedFetch(json(429, {}, { "retry-after": "1" }), json(201, { id: "new" }));
    const rt = createRuntime(makeApi(), { fetch: f.fetch });
    const result = settle(rt.call("createThing", { body: { name: "x" } }));
    await vi.advanceTimersByTimeAsync(999);
    expect(f.mock).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await result).toEqual({ ok: true, value: { id: "new" } });
    expect(f.mock).toHaveBeenCalledTimes(2);
  });

  it("a 429 that stays 429 ends in RateLimitError after maxRetries", async () => {
    const f = scriptedFetch(json(429, { message: "quota" }));
    const rt = createRuntime(makeApi(), { fetch: f.fetch, maxRetries: 1 });
    const p = errorOf(rt.call("createThing", { body: { name: "x" } }));
    await vi.advanceTimersByTimeAsync(60_000);
    const err = (await p) as RateLimitError;
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.status).toBe(429);
    expect(f.mock).toHaveBeenCalledTimes(2);
  });
});
