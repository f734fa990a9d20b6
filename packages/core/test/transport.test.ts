import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  AbortError,
  CircuitOpenError,
  ConfigurationError,
  PermissionDeniedError,
  AuthenticationError,
  TimeoutError,
} from "../src/errors.js";
import { createRuntime, resolveBaseUrl } from "../src/runtime.js";
import { errorOf, json, makeApi, scriptedFetch, settle } from "./helpers.js";

describe("base URL: plain http only to loopback", () => {
  it.each(["http://example.com", "http://api.example.com:8080/v1", "http://localhost.evil.example", "http://127.0.0.1.nip.io"])(
    "refuses %s with ConfigurationError before any fetch",
    (baseUrl) => {
      const f = scriptedFetch(json(200, {}));
      expect(() => createRuntime(makeApi(), { baseUrl, fetch: f.fetch })).toThrow(ConfigurationError);
      expect(() => createRuntime(makeApi(), { baseUrl, fetch: f.fetch })).toThrow(/Refusing plain http:\/\//);
      expect(f.mock).not.toHaveBeenCalled();
    },
  );

  it.each([
    ["http://127.0.0.1:1234", "http://127.0.0.1:1234"],
    ["http://localhost", "http://localhost"],
    ["http://LOCALHOST:3000/api/", "http://LOCALHOST:3000/api"],
    ["http://[::1]:8080", "http://[::1]:8080"],
    ["https://api.example.com/v2/", "https://api.example.com/v2"],
  ])("allows %s", (baseUrl, expected) => {
    const rt = createRuntime(makeApi(), { baseUrl, fetch: scriptedFetch(json(200, {})).fetch });
    expect(rt.baseUrl).toBe(expected);
  });

  it("refuses credentials in the URL, without echoing them", () => {
    for (const baseUrl of ["https://user:hunter2-pw@api.example.com", "https://token-only@api.example.com"]) {
      let err: unknown;
      try {
        createRuntime(makeApi(), { baseUrl });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigurationError);
      expect((err as Error).message).toMatch(/must not contain credentials/);
      expect((err as Error).message).not.toContain("hunter2-pw");
      expect((err as Error).message).not.toContain("token-only");
    }
  });

  it("refuses non-http(s) and relative URLs", () => {
    expect(() => createRuntime(makeApi(), { baseUrl: "ftp://files.example.com" })).toThrow(ConfigurationError);
    expect(() => createRuntime(makeApi(), { baseUrl: "/relative/path" })).toThrow(/not an absolute URL/);
  });

  it("applies the same rule to the spec's servers and fills server variables", () => {
    const api = makeApi();
    api.spec.servers = [
      { url: "http://insecure.example.com" },
      { url: "https://{realm}.example.com/api", variables: { realm: { default: "eu", enum: ["eu", "us"] } } },
    ];
    expect(() => resolveBaseUrl(api.spec, {})).toThrow(ConfigurationError);
    expect(resolveBaseUrl(api.spec, { server: 1 })).toBe("https://eu.example.com/api");
    expect(resolveBaseUrl(api.spec, { server: 1, serverVariables: { realm: "us" } })).toBe("https://us.example.com/api");
    expect(() => resolveBaseUrl(api.spec, { server: 1, serverVariables: { realm: "evil.com/x" } })).toThrow(ConfigurationError);
    expect(() => resolveBaseUrl(api.spec, { server: 5 })).toThrow(ConfigurationError);
  });
});

describe("timeout and abort against a local server (real timers)", () => {
  let server: Server;
  let base: string;
  const hits: IncomingMessage[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req);
      if (req.url?.startsWith("/v1/things/ok")) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ id: "ok", ua: req.headers["user-agent"] }));
      }
      // Anything else: never answer.
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("a loopback http server is reachable (sanity check of the fixture)", async () => {
    const rt = createRuntime(makeApi(), { baseUrl: base, userAgent: "my-app/1.0" });
    const data = (await rt.call("getThing", { path: { id: "ok" } })) as { id: string; ua: string };
    expect(data.id).toBe("ok");
    expect(data.ua).toMatch(/^activation-kit\/0\.1\.0 \(testvendor\) node\/\S+ my-app\/1\.0$/);
  });

  it("timeoutMs: 50 against a server that never answers → TimeoutError", async () => {
    const before = hits.length;
    const rt = createRuntime(makeApi(), { baseUrl: base, timeoutMs: 50, maxRetries: 0 });
    const err = await errorOf(rt.call("getThing", { path: { id: "silent" } }));
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).timeoutMs).toBe(50);
    expect((err as TimeoutError).request).toMatchObject({ method: "GET", url: `${base}/things/silent`, operationId: "getThing" });
    expect((err as Error).message).toBe(`GET ${base}/things/silent (getThing) timed out after 50 ms`);
    expect(hits.length - before).toBe(1);
  });

  it("a per-call timeout overrides the client's and timeouts are retried when the policy allows", async () => {
    const before = hits.length;
    const rt = createRuntime(makeApi(), { baseUrl: base, timeoutMs: 60_000 });
    const err = await errorOf(
      rt.call("getThing", { path: { id: "silent" } }, { timeoutMs: 30, maxRetries: 1, retry: { initialDelayMs: 1, jitter: false } }),
    );
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).timeoutMs).toBe(30);
    expect(hits.length - before).toBe(2);
  });

  it("an AbortController aborted mid-request → AbortError (not TimeoutError)", async () => {
    const rt = createRuntime(makeApi(), { baseUrl: base, timeoutMs: 10_000, maxRetries: 3 });
    const ac = new AbortController();
    const before = hits.length;
    const pending = errorOf(rt.call("getThing", { path: { id: "silent" } }, { signal: ac.signal }));
    // Abort once the request reached the server.
    await vi.waitFor(() => expect(hits.length).toBe(before + 1));
    ac.abort(new Error("user cancelled"));
    const err = await pending;
    expect(err).toBeInstanceOf(AbortError);
    expect((err as Error).message).toContain("was aborted: user cancelled");
    expect(hits.length - before).toBe(1);
  });
});

describe("abort with a fetch double", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("aborting while fetch is pending rejects with AbortError and does not retry", async () => {
    const f = scriptedFetch(
      (req) =>
        new Promise<Response>((_, reject) => {
          req.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
        }),
    );
    const rt = createRuntime(makeApi(), { fetch: f.fetch, maxRetries: 5 });
    const ac = new AbortController();
    const pending = errorOf(rt.call("getThing", { path: { id: "1" } }, { signal: ac.signal }));
    await vi.waitFor(() => expect(f.mock).toHaveBeenCalledTimes(1));
    ac.abort();
    expect(await pending).toBeInstanceOf(AbortError);
    expect(f.mock).toHaveBeenCalledTimes(1);
  });

  it("an already-aborted signal sends nothing", async () => {
    const f = scriptedFetch(json(200, {}));
    const rt = createRuntime(makeApi(), { fetch: f.fetch });
    const err = await errorOf(rt.call("getThing", { path: { id: "1" } }, { signal: AbortSignal.abort() }));
    expect(err).toBeInstanceOf(AbortError);
    expect(f.mock).not.toHaveBeenCalled();
  });

  it("aborting during the retry back-off sleep → AbortError without a further attempt", async () => {
    vi.useFakeTimers();
    const f = scriptedFetch(json(503, {}), json(200, { id: "1" }));
    const rt = createRuntime(makeApi(), { fetch: f.fetch });
    const ac = new AbortController();
    const result = settle(rt.call("getThing", { path: { id: "1" } }, { signal: ac.signal }));
    await vi.advanceTimersByTimeAsync(500); // the first back-off is 1000 ms
    expect(f.mock).toHaveBeenCalledTimes(1);
    ac.abort(new Error("stop"));
    const r = await result;
    expect(r.ok).toBe(false);
    expect((r as { error: unknown }).error).toBeInstanceOf(AbortError);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(f.mock).toHaveBeenCalledTimes(1);
  });
});

describe("circuit breaker", () => {
  it("a 403 opens the circuit; the next call throws CircuitOpenError without fetching; resetCircuit() closes it", async () => {
    const f = scriptedFetch(json(403, { message: "locked soon" }), json(200, { id: "1" }));
    const rt = createRuntime(makeApi({ circuitBreakerStatuses: [401, 403] }), { fetch: f.fetch });

    const first = await errorOf(rt.call("getThing", { path: { id: "1" } }));
    expect(first).toBeInstanceOf(PermissionDeniedError);
    expect(f.mock).toHaveBeenCalledTimes(1);
    expect(rt.circuitOpenedBy).toBeInstanceOf(PermissionDeniedError);
    expect(rt.circuitOpenedBy?.status).toBe(403);
    expect(rt.circuitOpenedBy?.body).toEqual({ message: "locked soon" });

    const second = await errorOf(rt.call("getThing", { path: { id: "2" } }));
    expect(second).toBeInstanceOf(CircuitOpenError);
    expect((second as CircuitOpenError).cause.status).toBe(403);
    expect((second as CircuitOpenError).request.url).toBe("https://api.example.test/v1/things/2");
    expect((second as Error).message).toMatch(/resetCircuit/);
    expect(f.mock).toHaveBeenCalledTimes(1);
    // A different operation is blocked too: the circuit belongs to the client.
    expect(await errorOf(rt.call("createThing", { body: {} }))).toBeInstanceOf(CircuitOpenError);
    expect(f.mock).toHaveBeenCalledTimes(1);

    rt.resetCircuit();
    expect(rt.circuitOpenedBy).toBeUndefined();
    await expect(rt.call("getThing", { path: { id: "3" } })).resolves.toEqual({ id: "1" });
    expect(f.mock).toHaveBeenCalledTimes(2);
  });

  it("a 401 opens it too, and statuses outside the list do not", async () => {
    const f = scriptedFetch(json(404, {}), json(401, {}));
    const rt = createRuntime(makeApi({ circuitBreakerStatuses: [401, 403] }), { fetch: f.fetch });
    await errorOf(rt.call("getThing", { path: { id: "1" } }));
    expect(rt.circuitOpenedBy).toBeUndefined();
    expect(await errorOf(rt.call("getThing", { path: { id: "1" } }))).toBeInstanceOf(AuthenticationError);
    expect(rt.circuitOpenedBy?.status).toBe(401);
    expect(await errorOf(rt.call("getThing", { path: { id: "1" } }))).toBeInstanceOf(CircuitOpenError);
    expect(f.mock).toHaveBeenCalledTimes(2);
  });

  it("a call in its retry back-off when another call opens the circuit stops there, without another attempt", async () => {
    const f = scriptedFetch((request) => (request.url.endsWith("/things/b") ? json(403, {}) : json(503, {})));
    const rt = createRuntime(makeApi({ circuitBreakerStatuses: [401, 403] }), {
      fetch: f.fetch,
      retry: { initialDelayMs: 50, maxDelayMs: 50, jitter: false, maxRetries: 3 },
    });
    const retrying = errorOf(rt.call("getThing", { path: { id: "a" } }));
    await vi.waitFor(() => expect(f.requests).toHaveLength(1)); // a got its 503 and is waiting to retry
    expect(await errorOf(rt.call("getThing", { path: { id: "b" } }))).toBeInstanceOf(PermissionDeniedError);
    const stopped = await retrying;
    expect(stopped).toBeInstanceOf(CircuitOpenError);
    expect((stopped as CircuitOpenError).attempts).toBe(1);
    expect(f.requests.map((r) => new URL(r.url).pathname)).toEqual(["/v1/things/a", "/v1/things/b"]);
  });

  it("a call queued in the rate limiter when another call opens the circuit never sends", async () => {
    const f = scriptedFetch(json(403, {}), json(200, {}));
    const rt = createRuntime(makeApi({ circuitBreakerStatuses: [401, 403] }), { fetch: f.fetch, rateLimit: { perSecond: 20, burst: 1 } });
    const opening = errorOf(rt.call("getThing", { path: { id: "a" } })); // takes the only token
    const queued = errorOf(rt.call("getThing", { path: { id: "b" } })); // waits ~50 ms for the next one
    expect(await opening).toBeInstanceOf(PermissionDeniedError);
    const stopped = await queued;
    expect(stopped).toBeInstanceOf(CircuitOpenError);
    expect((stopped as CircuitOpenError).attempts).toBe(0);
    expect(f.mock).toHaveBeenCalledTimes(1);
  });

  it("without circuitBreakerStatuses a 403 leaves the client usable", async () => {
    const f = scriptedFetch(json(403, {}), json(200, { id: "1" }));
    const rt = createRuntime(makeApi(), { fetch: f.fetch });
    expect(await errorOf(rt.call("getThing", { path: { id: "1" } }))).toBeInstanceOf(PermissionDeniedError);
    await expect(rt.call("getThing", { path: { id: "1" } })).resolves.toEqual({ id: "1" });
  });
});

describe("custom auth onUnauthorized", () => {
  it("refreshes once after a 401, then gives up", async () => {
    let token = "old-token-1";
    const onUnauthorized = vi.fn(() => {
      token = "new-token-2";
      return true;
    });
    const f = scriptedFetch(json(401, {}), json(401, {}));
    const rt = createRuntime(makeApi(), {
      fetch: f.fetch,
      auth: { type: "custom", headers: () => ({ authorization: `Bearer ${token}` }), onUnauthorized },
    });
    expect(await errorOf(rt.call("getThing", { path: { id: "1" } }))).toBeInstanceOf(AuthenticationError);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(f.requests.map((r) => r.headers.get("authorization"))).toEqual(["Bearer old-token-1", "Bearer new-token-2"]);
  });
});
