/**
 * Token mode against a loopback server: API key → refresh token → bearer token, renewal before expiry (injected
 * clock), one refresh after a 401 and never a loop, one shared fetch for concurrent calls, and no secret in any
 * error.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  AuthenticationError,
  BadRequestError,
  CircuitOpenError,
  createRelay42Client,
  NotFoundError,
  Relay42TokenError,
  type Relay42ClientOptions,
} from "../src/index.js";
import { pathOf, rejection, startServer, type Reply, type Seen, type TestServer } from "./helpers.js";

const API_KEY = "r42-secret-api-key-0123456789";
const profile = { path: { partnerType: 42 }, query: { partnerId: "p-1" } };
let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Vendor {
  authenticate?: (s: Seen, n: number) => Reply;
  token?: (s: Seen, n: number) => Reply;
  api?: (s: Seen, bearer: string | undefined) => Reply;
}

/** A fake Relay42: numbered tokens, and a profile API that accepts only the listed bearer tokens. */
async function vendor(v: Vendor = {}) {
  let auths = 0;
  let tokens = 0;
  server = await startServer((s) => {
    if (pathOf(s) === "/users/authenticate") {
      auths += 1;
      return v.authenticate?.(s, auths) ?? { status: 200, body: { refreshToken: `refresh-token-${auths}`, expiresInSeconds: 172800 } };
    }
    if (pathOf(s) === "/users/token") {
      tokens += 1;
      return v.token?.(s, tokens) ?? { status: 200, body: { token: `bearer-token-${tokens}`, tokenType: "Bearer", expiresInSeconds: 86400 } };
    }
    const bearer = /^Bearer (.+)$/.exec(String(s.headers.authorization ?? ""))?.[1];
    return v.api?.(s, bearer) ?? { status: 200, body: [] };
  });
  return server;
}

function client(srv: TestServer, extra: Partial<Relay42ClientOptions> & { now?: () => number } = {}) {
  const { now, ...rest } = extra;
  return createRelay42Client({ baseUrl: srv.url, siteNumber: 7, auth: { apiKey: API_KEY, now }, maxRetries: 0, ...rest });
}

const calls = (srv: TestServer) => srv.seen.map((s) => `${s.method} ${pathOf(s)}${s.headers.authorization ? ` [${s.headers.authorization}]` : ""}`);

describe("token flow", () => {
  it("exchanges the key, then the refresh token, sends the bearer token, and reuses it", async () => {
    const srv = await vendor();
    const c = client(srv);
    await c.profiles.getProfileFacts(profile);
    await c.profiles.getProfileSegments(profile);
    expect(calls(srv)).toEqual([
      "POST /users/authenticate",
      "POST /users/token",
      "GET /v1/site-7/profiles/42/facts [Bearer bearer-token-1]",
      "GET /v1/site-7/profiles/42/segments [Bearer bearer-token-1]",
    ]);
    expect(JSON.parse(srv.seen[0].body.toString("utf8"))).toEqual({ apiKey: API_KEY });
    expect(JSON.parse(srv.seen[1].body.toString("utf8"))).toEqual({ refreshToken: "refresh-token-1" });
    // The token calls carry no credentials of their own and use the spec's UTF-8 JSON media type.
    expect(srv.seen[0].headers["content-type"]).toBe("application/json;charset=utf-8");
  });

  it("accepts the API key as a function, resolved only when a token is needed", async () => {
    const srv = await vendor();
    let asked = 0;
    const c = createRelay42Client({
      baseUrl: srv.url,
      siteNumber: 7,
      auth: {
        apiKey: async () => {
          asked += 1;
          return API_KEY;
        },
      },
    });
    expect(asked).toBe(0);
    await c.profiles.getProfileFacts(profile);
    await c.profiles.getProfileFacts(profile);
    expect(asked).toBe(1);
  });

  it("concurrent calls share one in-flight token fetch (no stampede)", async () => {
    const srv = await vendor();
    const c = client(srv);
    await Promise.all(Array.from({ length: 8 }, () => c.profiles.getProfileFacts(profile)));
    const paths = srv.seen.map(pathOf);
    expect(paths.filter((p) => p === "/users/authenticate")).toHaveLength(1);
    expect(paths.filter((p) => p === "/users/token")).toHaveLength(1);
    expect(srv.seen.filter((s) => s.headers.authorization === "Bearer bearer-token-1")).toHaveLength(8);
  });
});

describe("renewal before expiry (injected clock)", () => {
  it("renews the bearer token before 86400 s, and re-authenticates before the refresh token's 172800 s", async () => {
    const srv = await vendor();
    let now = 1_000_000;
    const c = client(srv, { now: () => now });
    const margin = 5 * 60_000; // default
    await c.profiles.getProfileFacts(profile); // authenticate + token-1

    now += 86_400_000 - margin - 1; // just before the bearer token is due
    await c.profiles.getProfileFacts(profile);
    expect(srv.seen.map(pathOf).filter((p) => p.startsWith("/users"))).toEqual(["/users/authenticate", "/users/token"]);

    now += 1; // due: renewed with the refresh token, not the API key
    await c.profiles.getProfileFacts(profile);
    expect(srv.seen.slice(-2).map((s) => `${pathOf(s)} ${s.headers.authorization ?? ""}`)).toEqual([
      "/users/token ",
      "/v1/site-7/profiles/42/facts Bearer bearer-token-2",
    ]);
    expect(JSON.parse(srv.seen.at(-2)!.body.toString())).toEqual({ refreshToken: "refresh-token-1" });

    now = 1_000_000 + 172_800_000 - margin; // the refresh token is due: start again from the API key
    await c.profiles.getProfileFacts(profile);
    expect(calls(srv).slice(-3)).toEqual([
      "POST /users/authenticate",
      "POST /users/token",
      "GET /v1/site-7/profiles/42/facts [Bearer bearer-token-3]",
    ]);
    expect(JSON.parse(srv.seen.at(-2)!.body.toString())).toEqual({ refreshToken: "refresh-token-2" });
  });

  it("honours refreshMarginMs and short lifetimes (at most half a lifetime as margin)", async () => {
    const srv = await vendor({ token: (_s, n) => ({ status: 200, body: { token: `short-${n}`, tokenType: "Bearer", expiresInSeconds: 10 } }) });
    let now = 0;
    const c = createRelay42Client({ baseUrl: srv.url, siteNumber: 7, auth: { apiKey: API_KEY, now: () => now, refreshMarginMs: 60_000 } });
    await c.profiles.getProfileFacts(profile);
    expect(c.tokenSession!.state.accessTokenRenewAt).toBe(5_000); // 10 s lifetime, margin capped at 5 s
    now = 4_999;
    await c.profiles.getProfileFacts(profile);
    now = 5_000;
    await c.profiles.getProfileFacts(profile);
    expect(srv.seen.filter((s) => pathOf(s) === "/users/token")).toHaveLength(2);
  });
});

describe("401: one refresh, never a loop", () => {
  it("a rejected token is replaced once and the call succeeds", async () => {
    const srv = await vendor({ api: (_s, bearer) => (bearer === "bearer-token-1" ? { status: 401, body: { errorCode: 401, message: "expired" } } : { status: 200, body: [] }) });
    const c = client(srv);
    await expect(c.profiles.getProfileFacts(profile)).resolves.toEqual([]);
    expect(calls(srv)).toEqual([
      "POST /users/authenticate",
      "POST /users/token",
      "GET /v1/site-7/profiles/42/facts [Bearer bearer-token-1]",
      "POST /users/token",
      "GET /v1/site-7/profiles/42/facts [Bearer bearer-token-2]",
    ]);
    expect(c.runtime.circuitOpenedBy).toBeUndefined();
  });

  it("a server that always answers 401 gets exactly one refresh, then the circuit opens", async () => {
    const srv = await vendor({ api: () => ({ status: 401, body: { errorCode: 401, message: "User not found for this site" } }) });
    const c = client(srv);
    const error = await rejection(c.profiles.getProfileFacts(profile));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(calls(srv)).toEqual([
      "POST /users/authenticate",
      "POST /users/token",
      "GET /v1/site-7/profiles/42/facts [Bearer bearer-token-1]",
      "POST /users/token",
      "GET /v1/site-7/profiles/42/facts [Bearer bearer-token-2]",
    ]);
    expect(c.runtime.circuitOpenedBy?.status).toBe(401);
    // Halted: nothing more is sent, not even a token request, until the caller resets.
    await expect(c.profiles.getProfileFacts(profile)).rejects.toBeInstanceOf(CircuitOpenError);
    await expect(c.profiles.getProfileSegments(profile)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(srv.seen).toHaveLength(5);
    c.resetCircuit();
    await expect(c.profiles.getProfileFacts(profile)).rejects.toBeInstanceOf(AuthenticationError);
    expect(srv.seen).toHaveLength(8); // again one refresh + one retry, never more
  });

  it("concurrent 401s on the same token share one refresh", async () => {
    const srv = await vendor({ api: (_s, bearer) => (bearer === "bearer-token-1" ? { status: 401, body: { errorCode: 401 } } : { status: 200, body: [] }) });
    const c = client(srv);
    await Promise.all(Array.from({ length: 5 }, () => c.profiles.getProfileFacts(profile)));
    const facts = srv.seen.filter((s) => pathOf(s).endsWith("/facts")).map((s) => s.headers.authorization);
    expect(facts.filter((h) => h === "Bearer bearer-token-1")).toHaveLength(5);
    expect(facts.filter((h) => h === "Bearer bearer-token-2")).toHaveLength(5);
    expect(srv.seen.filter((s) => pathOf(s) === "/users/authenticate")).toHaveLength(1);
    expect(srv.seen.filter((s) => pathOf(s) === "/users/token")).toHaveLength(2); // the first one + one refresh
    expect(c.runtime.circuitOpenedBy).toBeUndefined();
  });

  it("a 401 from /users/authenticate (bad API key) halts without a loop and without the key in the error", async () => {
    const srv = await vendor({ authenticate: () => ({ status: 401, body: { errorCode: 401, message: "Invalid API key" } }) });
    const c = client(srv);
    const error = (await rejection(c.profiles.getProfileFacts(profile))) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.request.operationId).toBe("authenticateUser");
    expect(error.request.body).toBe('{"apiKey":"[REDACTED]"}');
    expect(srv.seen.map(pathOf)).toEqual(["/users/authenticate"]);
    expect(c.runtime.circuitOpenedBy?.status).toBe(401);
    await expect(c.profiles.getProfileFacts(profile)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(srv.seen).toHaveLength(1);
    expectNoSecret(error, [API_KEY]);
  });
});

describe("secrets never appear in errors", () => {
  function expectNoSecretIn(text: string, secrets: string[]) {
    for (const s of secrets) expect(text).not.toContain(s);
  }

  it("the API key is redacted from a failed authenticate request's body", async () => {
    const srv = await vendor({ authenticate: () => ({ status: 400, body: { errorCode: 400, message: "Invalid request body" } }) });
    const c = client(srv);
    const error = (await rejection(c.profiles.getProfileFacts(profile))) as BadRequestError;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.request).toEqual({
      method: "POST",
      url: `${srv.url}/users/authenticate`,
      body: '{"apiKey":"[REDACTED]"}',
      operationId: "authenticateUser",
    });
    expectNoSecret(error, [API_KEY]);
    expectNoSecretIn(String(error), [API_KEY]);
  });

  it("the refresh token is redacted from a failed token request's body", async () => {
    const srv = await vendor({ token: () => ({ status: 400, body: { errorCode: 400, message: "bad refresh token" } }) });
    const c = client(srv);
    const error = (await rejection(c.profiles.getProfileFacts(profile))) as BadRequestError;
    expect(error.request.operationId).toBe("createAccessToken");
    expect(error.request.body).toBe('{"refreshToken":"[REDACTED]"}');
    expectNoSecret(error, [API_KEY, "refresh-token-1"]);
  });

  it("the bearer token is in no API error, nor in a CircuitOpenError", async () => {
    const srv = await vendor({
      api: (s) =>
        pathOf(s).endsWith("/segments/vip")
          ? { status: 404, body: { errorCode: 404, message: "Profile not found" } }
          : { status: 403, body: { errorCode: 403, message: "Access denied" } },
    });
    const c = client(srv);
    const notFound = (await rejection(c.profiles.getProfileSegment({ ...profile, path: { partnerType: 42, segmentName: "vip" } }))) as NotFoundError;
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect(notFound.request.url).toBe(`${srv.url}/v1/site-7/profiles/42/segments/vip?partnerId=p-1`);
    const forbidden = await rejection(c.profiles.addProfileFacts({ ...profile, body: [{ factName: "f", factTtl: 60 }] }));
    const open = await rejection(c.profiles.getProfileFacts(profile));
    expect(open).toBeInstanceOf(CircuitOpenError);
    for (const e of [notFound, forbidden, open]) expectNoSecret(e, [API_KEY, "refresh-token-1", "bearer-token-1"]);
  });

  it("a token endpoint answering 200 without a token is a typed error naming the field, not the values", async () => {
    const srv = await vendor({ token: () => ({ status: 200, body: { tokenType: "Bearer", expiresInSeconds: 86400 } }) });
    const c = client(srv);
    const error = await rejection(c.profiles.getProfileFacts(profile));
    expect(error).toBeInstanceOf(Relay42TokenError);
    expect((error as Error).message).toMatch(/\/users\/token answered without a `token`/);
    expectNoSecret(error, [API_KEY, "refresh-token-1"]);
  });
});

function expectNoSecret(error: unknown, secrets: string[]) {
  const e = error as Error & { request?: unknown; cause?: unknown };
  const dump = [
    e.message,
    e.stack ?? "",
    String(e),
    JSON.stringify(e),
    JSON.stringify(e.request ?? null),
    e.cause instanceof Error ? `${e.cause.message} ${JSON.stringify((e.cause as { request?: unknown }).request ?? null)}` : "",
  ].join("\n");
  for (const s of secrets) expect(dump).not.toContain(s);
}
