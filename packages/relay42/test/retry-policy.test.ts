/**
 * The documented retry policy (Relay42 Data Activation REST API v1 documentation, Error handling) with fake
 * timers (no waiting): the `bulk` ladder for 50x and connection errors (1, 2, 4, 8, 16, 30 minutes, then a typed
 * error), exponential back-off on 429 until they stop, the short interactive default, and the cost-counting
 * limiter making calls wait.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConnectionError, createRelay42Client, InternalServerError, RateLimitError, type Relay42ClientOptions } from "../src/index.js";

const MIN = 60_000;
const profile = { path: { partnerType: 42 }, query: { partnerId: "p-1" } };
const facts = [
  { factName: "a", factTtl: 60 },
  { factName: "b", factTtl: 60 },
];

/** A fetch that answers from a script (the last entry repeats) and notes the fake clock at each attempt. */
function scripted(...steps: (number | Error | { status: number; headers?: Record<string, string> })[]) {
  const times: number[] = [];
  const urls: string[] = [];
  const fetch = vi.fn(async (input: Request | string | URL) => {
    times.push(Date.now());
    urls.push(input instanceof Request ? input.url : String(input));
    const step = steps[Math.min(times.length - 1, steps.length - 1)];
    if (step instanceof Error) throw step;
    const { status, headers } = typeof step === "number" ? { status: step, headers: {} } : step;
    const body = status === 204 ? null : JSON.stringify(status < 300 ? [] : { errorCode: status, message: "x" });
    return new Response(body, { status, headers: { "content-type": "application/json", ...headers } });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, times, urls, mock: fetch };
}

function client(fetch: typeof globalThis.fetch, extra: Partial<Relay42ClientOptions> = {}) {
  return createRelay42Client({
    baseUrl: "http://127.0.0.1:9",
    fetch,
    siteNumber: 7,
    auth: { apiIdentifier: "api-id", accessToken: "relay42-access-token" },
    ...extra,
  });
}

/** Runs a call to completion on the fake clock and returns what it settled with. */
async function settle<T>(p: Promise<T>, ms: number): Promise<{ value?: T; error?: unknown }> {
  const out = p.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await vi.advanceTimersByTimeAsync(ms);
  return out;
}

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]);
const econnreset = () => Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("bulk ladder: 50x and connection errors", () => {
  it("503: retries after 1, 2, 4, 8, 16 and 30 minutes, then throws InternalServerError", async () => {
    const s = scripted(503);
    const c = client(s.fetch, { retry: "bulk" });
    const { error } = await settle(c.profiles.getProfileFacts(profile), 61 * MIN);
    expect(gaps(s.times)).toEqual([1, 2, 4, 8, 16, 30].map((m) => m * MIN));
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).status).toBe(503);
    // Halted: no attempt after the ladder, however long we wait.
    await vi.advanceTimersByTimeAsync(120 * MIN);
    expect(s.times).toHaveLength(7);
  });

  it("connection errors climb the same ladder, then throw ConnectionError", async () => {
    const s = scripted(econnreset());
    const c = client(s.fetch, { retry: "bulk" });
    const { error } = await settle(c.profiles.getProfileFacts(profile), 61 * MIN);
    expect(gaps(s.times)).toEqual([1, 2, 4, 8, 16, 30].map((m) => m * MIN));
    expect(error).toBeInstanceOf(ConnectionError);
  });

  it("stops climbing as soon as the API answers (the usual case: back within 2 minutes)", async () => {
    const s = scripted(500, 502, 200);
    const c = client(s.fetch, { retry: "bulk" });
    const { value } = await settle(c.profiles.getProfileFacts(profile), 3 * MIN);
    expect(value).toEqual([]);
    expect(gaps(s.times)).toEqual([1 * MIN, 2 * MIN]);
  });

  it("the ladder can be chosen per call on a client with the short default", async () => {
    const s = scripted(503, 503, 201);
    const c = client(s.fetch);
    const { value, error } = await settle(c.profiles.addProfileFacts({ ...profile, body: facts }, { retry: "bulk" }), 3 * MIN);
    expect(error).toBeUndefined();
    expect(value).toEqual([]);
    expect(gaps(s.times)).toEqual([1 * MIN, 2 * MIN]);
  });

  it("is configurable: overrides of the ladder (e.g. stop after 3 steps, cap at 5 minutes)", async () => {
    const s = scripted(503);
    const c = client(s.fetch, { retry: "bulk" });
    const { error } = await settle(c.profiles.getProfileFacts(profile, { retry: { maxRetries: 4, maxDelayMs: 5 * MIN } }), 20 * MIN);
    expect(gaps(s.times)).toEqual([1, 2, 4, 5].map((m) => m * MIN));
    expect(error).toBeInstanceOf(InternalServerError);
  });

  it("interactions are events: a 503 on them is not resent automatically, even with bulk", async () => {
    const s = scripted(503);
    const c = client(s.fetch, { retry: "bulk" });
    const { error } = await settle(
      c.profiles.addProfileInteractions({ ...profile, body: { interactions: [{ interactionType: "pageView" }] } }),
      MIN,
    );
    expect(error).toBeInstanceOf(InternalServerError);
    expect(s.times).toHaveLength(1);
  });
});

describe("429: exponential back-off until they stop", () => {
  /** Each 429 delay is the exponential step with "full jitter" between 50 % and 100 % (no herd of retries). */
  function expectJitteredLadder(g: number[], ladder: number[]) {
    expect(g).toHaveLength(ladder.length);
    g.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(ladder[i] / 2);
      expect(gap).toBeLessThanOrEqual(ladder[i]);
    });
  }

  it("bulk: 1, 2, 4, 8 s (jittered) … until the 429s stop", async () => {
    const s = scripted(429, 429, 429, 429, 201);
    const c = client(s.fetch, { retry: "bulk" });
    const { value } = await settle(c.profiles.addProfileFacts({ ...profile, body: facts }), 60_000);
    expect(value).toEqual([]);
    expectJitteredLadder(gaps(s.times), [1000, 2000, 4000, 8000]);
  });

  it("a Retry-After wins over the computed delay", async () => {
    const s = scripted({ status: 429, headers: { "retry-after": "20" } }, 200);
    const c = client(s.fetch, { retry: "bulk" });
    await settle(c.profiles.getProfileFacts(profile), 30_000);
    expect(gaps(s.times)).toEqual([20_000]);
  });

  it("429 means not processed, so even interactions are resent", async () => {
    const s = scripted(429, 201);
    const c = client(s.fetch, { retry: "bulk" });
    const { error } = await settle(
      c.profiles.addProfileInteractions({ ...profile, body: { interactions: [{ interactionType: "pageView" }] } }),
      5_000,
    );
    expect(error).toBeUndefined();
    expect(s.times).toHaveLength(2);
  });

  it("bulk gives up after its 429 budget with RateLimitError", async () => {
    const s = scripted(429);
    const c = client(s.fetch, { retry: "bulk" });
    const { error } = await settle(c.profiles.getProfileFacts(profile), 60 * MIN);
    expect(error).toBeInstanceOf(RateLimitError);
    expectJitteredLadder(gaps(s.times), [1, 2, 4, 8, 16, 32, ...Array<number>(24).fill(60)].map((x) => x * 1000));
  });
});

describe("the default policy is short (interactive)", () => {
  it("503: two quick retries (≤ 0.5 s, ≤ 1 s), then InternalServerError", async () => {
    const s = scripted(503);
    const c = client(s.fetch);
    const { error } = await settle(c.profiles.getProfileFacts(profile), 5_000);
    expect(error).toBeInstanceOf(InternalServerError);
    const g = gaps(s.times);
    expect(g).toHaveLength(2);
    expect(g[0]).toBeGreaterThanOrEqual(250);
    expect(g[0]).toBeLessThanOrEqual(500);
    expect(g[1]).toBeGreaterThanOrEqual(500);
    expect(g[1]).toBeLessThanOrEqual(1000);
  });

  it("maxRetries: 0 surfaces the first 503", async () => {
    const s = scripted(503);
    const c = client(s.fetch, { maxRetries: 0 });
    const { error } = await settle(c.profiles.getProfileFacts(profile), 1_000);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(s.times).toHaveLength(1);
  });
});

describe("client-side limiter counts Relay42's cost", () => {
  it("a POST with 2 facts spends 3 units, so the next GET waits for its 1 unit", async () => {
    const s = scripted(201, 200);
    const c = client(s.fetch, { rateLimit: { perSecond: 3, burst: 3 } });
    await settle(c.profiles.addProfileFacts({ ...profile, body: facts }), 0);
    expect(c.runtime.rateLimiter!.spent).toBe(3);
    expect(s.times).toHaveLength(1);
    const get = c.profiles.getProfileFacts(profile);
    await vi.advanceTimersByTimeAsync(300);
    expect(s.times).toHaveLength(1); // 1 unit refills in 333 ms
    await settle(get, 100);
    expect(s.times).toHaveLength(2);
    expect(gaps(s.times)[0]).toBe(334);
    expect(c.runtime.rateLimiter!.spent).toBe(4);
  });
});
