/**
 * The response side, on a real loopback socket, with both transports: every failure is a typed
 * ActivationKitError, timeouts bound the whole attempt (headers and body), a body cut mid-way is a
 * ConnectionError retried exactly when the request is safe to repeat, redirects never carry the credential
 * to another origin, and sequential calls share one keep-alive connection.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  ActivationKitError,
  ConnectionError,
  InternalServerError,
  ResponseParseError,
  TimeoutError,
} from "../src/errors.js";
import { createRuntime } from "../src/runtime.js";
import { errorOf, makeApi, op } from "./helpers.js";
import { cut, drip, json, startLocalServer, type LocalServer } from "./local-server.js";

const transports = ["node", "fetch"] as const;

function api() {
  return makeApi({}, [
    op({ operationId: "getDoc", method: "get", path: "/docs/{id}", pathParams: [{ name: "id" }], responseMediaTypes: { "200": ["application/json"] } }),
    op({ operationId: "sendDoc", method: "post", path: "/docs", responseMediaTypes: { "200": ["application/json"] } }),
    op({ operationId: "exportDocs", method: "get", path: "/docs/export", parseAs: "stream", responseMediaTypes: { "200": ["application/x-ndjson"] } }),
    op({ operationId: "deleteDoc", method: "delete", path: "/docs/{id}", pathParams: [{ name: "id" }], successStatuses: [204], responseMediaTypes: { "204": [] } }),
  ]);
}

describe.each(transports)("response side over the %s transport", (transport) => {
  let server: LocalServer;
  let other: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer();
    other = await startLocalServer();
  });
  afterAll(async () => {
    await server.close();
    await other.close();
  });

  const client = (extra: Record<string, unknown> = {}) =>
    createRuntime(api(), {
      baseUrl: `${server.url}/v1`,
      transport,
      auth: { type: "bearer", token: "sk-live-SECRET-9876" },
      retry: { initialDelayMs: 1, maxDelayMs: 5, jitter: false },
      ...extra,
    });

  it("malformed JSON on a 200 is a ResponseParseError with status, operation, request id and the body's start", async () => {
    server.handle((_, res) => {
      res.writeHead(200, { "content-type": "application/json", "x-request-id": "req-77" });
      res.end('{"profiles": [');
    });
    const err = (await errorOf(client().call("getDoc", { path: { id: "a" } }))) as ResponseParseError;
    expect(err).toBeInstanceOf(ResponseParseError);
    expect(err).toBeInstanceOf(ActivationKitError);
    expect(err.status).toBe(200);
    expect(err.requestId).toBe("req-77");
    expect(err.request.operationId).toBe("getDoc");
    expect(err.body).toBe('{"profiles": [');
    expect(err.message).toMatch(/not valid JSON/);
    expect(err.attempts).toBe(1);
  });

  it("an HTML page on a 200 (a captive proxy) is a ResponseParseError naming the media type", async () => {
    server.handle((_, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end("<html><body>Please log in to the hotel wifi</body></html>");
    });
    const err = (await errorOf(client().call("getDoc", { path: { id: "a" } }))) as ResponseParseError;
    expect(err).toBeInstanceOf(ResponseParseError);
    expect(err.contentType).toBe("text/html; charset=utf-8");
    expect(err.message).toContain("text/html");
    expect(err.body).toContain("hotel wifi");
  });

  it("an empty body where the operation documents one is a ResponseParseError; a documented 204 is undefined", async () => {
    server.handle((s, res) => {
      res.writeHead(s.method === "DELETE" ? 204 : 200, { "content-length": "0" });
      res.end();
    });
    const err = await errorOf(client().call("getDoc", { path: { id: "a" } }));
    expect(err).toBeInstanceOf(ResponseParseError);
    expect((err as Error).message).toMatch(/empty/);
    await expect(client().call("deleteDoc", { path: { id: "a" } })).resolves.toBeUndefined();
  });

  it("a 503 with an HTML body ends, after the retries, in InternalServerError whose body is the text", async () => {
    server.handle((_, res) => {
      res.writeHead(503, { "content-type": "text/html" });
      res.end("<h1>Service Unavailable</h1>");
    });
    const before = server.seen.length;
    const err = (await errorOf(client({ maxRetries: 2 }).call("getDoc", { path: { id: "a" } }))) as InternalServerError;
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err.status).toBe(503);
    expect(err.body).toBe("<h1>Service Unavailable</h1>");
    expect(err.attempts).toBe(3);
    expect(err.message).toContain("after 3 attempts");
    expect(server.seen.length - before).toBe(3);
  });

  it("a body cut mid-way is a ConnectionError, retried for an idempotent operation", async () => {
    let n = 0;
    server.handle((_, res, socket) => {
      n += 1;
      if (n === 1) cut(res, socket, JSON.stringify({ id: "a", title: "x".repeat(2000) }));
      else json(res, 200, { id: "a" });
    });
    await expect(client().call("getDoc", { path: { id: "a" } })).resolves.toEqual({ id: "a" });
    expect(n).toBe(2);
  });

  it("a body cut mid-way is not repeated for a non-idempotent POST (the server may have acted)", async () => {
    let n = 0;
    server.handle((_, res, socket) => {
      n += 1;
      cut(res, socket, JSON.stringify({ id: "a", title: "x".repeat(2000) }));
    });
    const err = (await errorOf(client({ maxRetries: 3 }).call("sendDoc", { body: { title: "x" } }))) as ConnectionError;
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.attempts).toBe(1);
    expect(n).toBe(1);
  });

  it("a body that drips past timeoutMs ends in TimeoutError within the bound", async () => {
    server.handle((_, res) => drip(res, 200, JSON.stringify({ id: "a", pad: "p".repeat(40) }), 50));
    const started = Date.now();
    const err = (await errorOf(client({ timeoutMs: 300, maxRetries: 0 }).call("getDoc", { path: { id: "a" } }))) as TimeoutError;
    const took = Date.now() - started;
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.timeoutMs).toBe(300);
    expect(err.scope).toBe("attempt");
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(3000);
  });

  it("an attempt that times out waiting for headers is stopped on the wire too (the connection is released)", async () => {
    let closed = false;
    server.handle((_, res) => {
      res.on("close", () => (closed = true));
      // Never answers.
    });
    const err = await errorOf(client({ timeoutMs: 150, maxRetries: 0 }).call("getDoc", { path: { id: "a" } }));
    expect(err).toBeInstanceOf(TimeoutError);
    await vi.waitFor(() => expect(closed).toBe(true), { timeout: 2000 });
  });

  it("totalTimeoutMs bounds the whole call, retries and back-off included", async () => {
    server.handle((_, res) => {
      res.writeHead(503, { "content-type": "application/json", "retry-after": "1" });
      res.end("{}");
    });
    const started = Date.now();
    const rt = client({ totalTimeoutMs: 400, maxRetries: 10, retry: { initialDelayMs: 1000, maxDelayMs: 1000 } });
    const err = (await errorOf(rt.call("getDoc", { path: { id: "a" } }))) as TimeoutError;
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.scope).toBe("call");
    expect(err.message).toContain("totalTimeoutMs");
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("a redirect to another origin does not carry the credential; one on the same origin does", async () => {
    other.handle((_, res) => json(res, 200, { where: "other" }));
    server.handle((s, res) => {
      if (s.path.endsWith("/docs/away")) {
        res.writeHead(302, { location: `${other.url}/v1/docs/away` });
        res.end();
      } else if (s.path.endsWith("/docs/here")) {
        res.writeHead(307, { location: "/v1/docs/landed" });
        res.end();
      } else json(res, 200, { where: "here" });
    });
    await expect(client().call("getDoc", { path: { id: "away" } })).resolves.toEqual({ where: "other" });
    expect(other.seen.at(-1)!.headers.authorization).toBeUndefined();
    await expect(client().call("getDoc", { path: { id: "here" } })).resolves.toEqual({ where: "here" });
    expect(server.seen.at(-1)!.path).toBe("/v1/docs/landed");
    expect(server.seen.at(-1)!.headers.authorization).toBe("Bearer sk-live-SECRET-9876");
  });

  it("a request stalled before its headers is cut off after its timeout, not left open in the background", async () => {
    let closed = false;
    server.handle((s, res, socket) => {
      if (s.path.endsWith("/docs/stall")) {
        socket.once("close", () => (closed = true));
        return; // never answers
      }
      json(res, 200, { ok: true });
    });
    const rt = client({ timeoutMs: 400, maxRetries: 0 });
    const err = await errorOf(rt.call("getDoc", { path: { id: "stall" } }));
    expect(err).toBeInstanceOf(TimeoutError);
    // A call with the same timeout right away (the fetch transport then takes a fresh timeout signal, as the
    // stalled call's one is 1/20 of the timeout old) must not disarm what stops the stalled request.
    await rt.call("getDoc", { path: { id: "next" } });
    for (let waited = 0; !closed && waited < 2000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    expect(closed).toBe(true);
  });

  it("a streamed result is read to its end after the attempt is over, however long it takes past timeoutMs", async () => {
    server.handle(async (_, res) => {
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      for (let i = 0; i < 6; i++) {
        res.write(`{"line":${i}}\n`);
        await new Promise((r) => setTimeout(r, 60));
      }
      res.end();
    });
    // The attempt ends with the headers; reading the rest takes ~360 ms, past the 100 ms attempt timeout (and
    // past the deadline of a timeout signal shared between attempts, which the fetch transport once used here).
    const rt = client({ timeoutMs: 100 });
    const stream = (await rt.call("exportDocs")) as ReadableStream<Uint8Array>;
    const text = await new Response(stream).text();
    expect(text.trim().split("\n")).toHaveLength(6);
  });

  it("no error shows the credential, whatever the failure", async () => {
    server.handle((_, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"echo": "sk-live-SECRET-9876", "oops": ');
    });
    const err = await errorOf(client().call("getDoc", { path: { id: "a" } }));
    const { inspect } = await import("node:util");
    for (const view of [String(err), (err as Error).stack ?? "", JSON.stringify(err), inspect(err, { depth: 10 })]) {
      expect(view).not.toContain("sk-live-SECRET-9876");
    }
  });
});

describe("keep-alive on the node transport", () => {
  it("sequential calls share one connection", async () => {
    const server = await startLocalServer((_, res) => json(res, 200, { ok: true }));
    try {
      const rt = createRuntime(api(), { baseUrl: server.url, transport: "node" });
      for (let i = 0; i < 10; i++) await rt.call("getDoc", { path: { id: String(i) } });
      expect(server.seen).toHaveLength(10);
      expect(server.connections).toBe(1);
    } finally {
      await server.close();
    }
  });
});
