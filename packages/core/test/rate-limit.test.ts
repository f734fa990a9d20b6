import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { vi } from "vitest";
import { AbortError } from "../src/errors.js";
import { costOf, jsonPointer, RateLimiter } from "../src/rate-limit.js";
import { createRuntime } from "../src/runtime.js";
import { json, makeApi, op, scriptedFetch, settle } from "./helpers.js";

describe("costOf", () => {
  it("is base + items at perItemPointer", () => {
    expect(costOf({ base: 1, perItemPointer: "/facts" }, { facts: [1, 2, 3] })).toBe(4);
    expect(costOf({ base: 2, perItemPointer: "/data/attributes" }, { data: { attributes: { a: 1, b: 2 } } })).toBe(4);
    expect(costOf({ base: 1, perItemPointer: "/facts" }, { facts: [] })).toBe(1);
    expect(costOf({ base: 1, perItemPointer: "/missing" }, { facts: [1] })).toBe(1);
    expect(costOf({ base: 1, perItemPointer: "/facts" }, undefined)).toBe(1);
  });

  it('pointer "" means the whole body (a top-level array)', () => {
    expect(costOf({ base: 1, perItemPointer: "" }, ["a", "b", "c", "d", "e"])).toBe(6);
    expect(costOf({ base: 0, perItemPointer: "" }, { x: 1, y: 2 })).toBe(2);
  });

  it("without a pointer it is base; without a rule it is 1", () => {
    expect(costOf({ base: 3 }, [1, 2, 3])).toBe(3);
    expect(costOf(undefined, [1, 2, 3])).toBe(1);
  });

  it("jsonPointer unescapes ~1 and ~0 and indexes arrays", () => {
    expect(jsonPointer({ "a/b": { "c~d": [10, 20] } }, "/a~1b/c~0d/1")).toBe(20);
    expect(jsonPointer({ a: 1 }, "/a/b")).toBeUndefined();
  });
});

describe("RateLimiter (injected clock + fake timers)", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2025-01-01T00:00:00Z"));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** The limiter's clock is the faked Date, so advancing timers also advances its refill. */
  const clock = () => Date.now();

  it("serves up to the burst at once, then waits for the refill", async () => {
    const limiter = new RateLimiter({ perSecond: 2, burst: 2, now: clock });
    await limiter.acquire(2);
    let done = false;
    const next = limiter.acquire(1).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(499);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await next;
    expect(done).toBe(true);
    expect(limiter.spent).toBe(3);
  });

  it("serves calls in order, each waiting for its own cost", async () => {
    const limiter = new RateLimiter({ perSecond: 10, burst: 10, now: clock });
    const order: string[] = [];
    await limiter.acquire(10);
    const a = limiter.acquire(5).then(() => order.push(`a@${Date.now() % 10_000}`));
    const b = limiter.acquire(1).then(() => order.push(`b@${Date.now() % 10_000}`));
    await vi.advanceTimersByTimeAsync(2000);
    await Promise.all([a, b]);
    // a needs 500 ms of refill; b (cost 1) comes after a, 100 ms later — never before it.
    expect(order).toEqual(["a@500", "b@600"]);
  });

  it("a call costing more than the burst goes once the bucket is full", async () => {
    const limiter = new RateLimiter({ perSecond: 1, burst: 3, now: clock });
    await limiter.acquire(1);
    let done = false;
    const big = limiter.acquire(50).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await big;
    expect(limiter.spent).toBe(51);
  });

  it("uses the injected clock for refills", async () => {
    let t = 0;
    const limiter = new RateLimiter({ perSecond: 1, burst: 1, now: () => t });
    await limiter.acquire(1);
    t = 1000; // a full second passed on the injected clock: no wait needed
    let done = false;
    const p = limiter.acquire(1).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(true);
    await p;
  });

  it("an abort while waiting rejects, and later calls still run", async () => {
    const limiter = new RateLimiter({ perSecond: 1, burst: 1, now: clock });
    await limiter.acquire(1);
    const ac = new AbortController();
    const waiting = settle(limiter.acquire(1, ac.signal));
    await vi.advanceTimersByTimeAsync(100);
    ac.abort(new Error("cancel"));
    expect((await waiting).ok).toBe(false);
    const after = settle(limiter.acquire(1));
    await vi.advanceTimersByTimeAsync(1000);
    expect((await after).ok).toBe(true);
  });

  it("rejects a non-positive rate", () => {
    expect(() => new RateLimiter({ perSecond: 0 })).toThrow(RangeError);
  });

  it("through createRuntime: each call spends base + items, and a call waits when the bucket is empty", async () => {
    const track = op({
      operationId: "trackFacts",
      method: "post",
      path: "/facts",
      idempotent: false,
      rateLimitCost: { base: 1, perItemPointer: "" },
    });
    const f = scriptedFetch(json(200, {}));
    const rt = createRuntime(makeApi({}, [track]), { fetch: f.fetch, rateLimit: { perSecond: 4, burst: 4, now: clock } });
    await rt.call("trackFacts", { body: [{ f: 1 }, { f: 2 }, { f: 3 }] });
    expect(rt.rateLimiter?.spent).toBe(4);
    expect(f.mock).toHaveBeenCalledTimes(1);

    const second = settle(rt.call("trackFacts", { body: [{ f: 4 }] }));
    await vi.advanceTimersByTimeAsync(499);
    expect(f.mock).toHaveBeenCalledTimes(1); // needs 2 units at 4/s: 500 ms
    await vi.advanceTimersByTimeAsync(1);
    expect((await second).ok).toBe(true);
    expect(f.mock).toHaveBeenCalledTimes(2);
    expect(rt.rateLimiter?.spent).toBe(6);
  });

  it("through createRuntime: aborting while queued for the limiter → AbortError, nothing sent", async () => {
    const f = scriptedFetch(json(200, {}));
    const limiter = new RateLimiter({ perSecond: 1, burst: 1, now: clock });
    const rt = createRuntime(makeApi(), { fetch: f.fetch, rateLimit: limiter });
    expect(rt.rateLimiter).toBe(limiter);
    await rt.call("getThing", { path: { id: "1" } });
    const ac = new AbortController();
    const queued = settle(rt.call("getThing", { path: { id: "2" } }, { signal: ac.signal }));
    await vi.advanceTimersByTimeAsync(200);
    ac.abort();
    const r = await queued;
    expect(r.ok).toBe(false);
    expect((r as { error: unknown }).error).toBeInstanceOf(AbortError);
    expect(f.mock).toHaveBeenCalledTimes(1);
  });
});
