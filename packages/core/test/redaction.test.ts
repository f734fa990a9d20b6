import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import type { Auth } from "../src/auth.js";
import { authHeaders } from "../src/auth.js";
import { BadRequestError, ConfigurationError, ConnectionError } from "../src/errors.js";
import { REDACTED, Redactor } from "../src/redact.js";
import { createRuntime } from "../src/runtime.js";
import { errorOf, json, makeApi, scriptedFetch } from "./helpers.js";

/** Every way an error can end up in a log. */
function views(err: unknown): Record<string, string> {
  const e = err as Error & { request?: unknown };
  return {
    message: e.message,
    string: String(e),
    stack: e.stack ?? "",
    request: JSON.stringify(e.request),
    json: JSON.stringify(e),
    inspect: inspect(e, { depth: 20 }),
    causeInspect: inspect((e as { cause?: unknown }).cause, { depth: 20 }),
  };
}

function expectNoSecrets(err: unknown, secrets: string[]): void {
  for (const [where, text] of Object.entries(views(err))) {
    for (const s of secrets) {
      expect(text, `${where} leaks ${s}`).not.toContain(s);
    }
  }
}

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

interface Kind {
  name: string;
  auth: Auth;
  /** Values that must never be printed. */
  secrets: string[];
  /** Checks the credential really went out on the request. */
  sent: (r: Request) => void;
}

const kinds: Kind[] = [
  {
    name: "bearer token",
    auth: { type: "bearer", token: "sk-bearer-SECRET-1111" },
    secrets: ["sk-bearer-SECRET-1111"],
    sent: (r) => expect(r.headers.get("authorization")).toBe("Bearer sk-bearer-SECRET-1111"),
  },
  {
    name: "basic username/password",
    auth: { type: "basic", username: "alice", password: "pw-SECRET-2222" },
    secrets: ["pw-SECRET-2222", "alice:pw-SECRET-2222", b64("alice:pw-SECRET-2222")],
    sent: (r) => expect(r.headers.get("authorization")).toBe(`Basic ${b64("alice:pw-SECRET-2222")}`),
  },
  {
    name: "apiKey header",
    auth: { type: "apiKey", header: "X-Api-Key", value: "key-SECRET-3333" },
    secrets: ["key-SECRET-3333"],
    sent: (r) => expect(r.headers.get("x-api-key")).toBe("key-SECRET-3333"),
  },
  {
    name: "custom headers + secrets()",
    auth: {
      type: "custom",
      headers: async () => ({ authorization: "Bearer exchanged-SECRET-4444", "x-session": "session-SECRET-5555" }),
      secrets: () => ["client-secret-SECRET-6666"],
    },
    secrets: ["exchanged-SECRET-4444", "session-SECRET-5555", "client-secret-SECRET-6666"],
    sent: (r) => {
      expect(r.headers.get("authorization")).toBe("Bearer exchanged-SECRET-4444");
      expect(r.headers.get("x-session")).toBe("session-SECRET-5555");
    },
  },
  {
    name: "bearer token from an async function",
    auth: { type: "bearer", token: async () => "rotated-SECRET-7777" },
    secrets: ["rotated-SECRET-7777"],
    sent: (r) => expect(r.headers.get("authorization")).toBe("Bearer rotated-SECRET-7777"),
  },
  {
    name: "basic credentials from sync and async functions",
    auth: { type: "basic", username: () => "bob", password: async () => "pw-fn-SECRET-8888" },
    secrets: ["pw-fn-SECRET-8888", b64("bob:pw-fn-SECRET-8888")],
    sent: (r) => expect(r.headers.get("authorization")).toBe(`Basic ${b64("bob:pw-fn-SECRET-8888")}`),
  },
];

describe.each(kinds)("redaction: $name", ({ auth, secrets, sent }) => {
  it("an API error (400) names no credential, even with the secret in the request body and query", async () => {
    const f = scriptedFetch(json(400, { message: "profile is invalid" }, { "x-request-id": "r-1" }));
    const rt = createRuntime(makeApi(), { fetch: f.fetch, auth, maxRetries: 0 });
    const err = await errorOf(
      rt.call("createThing", { body: { apiKey: secrets[0], all: secrets.join(" ") }, query: { note: secrets[0] } }),
    );
    expect(err).toBeInstanceOf(BadRequestError);
    sent(f.requests[0]);
    expectNoSecrets(err, secrets);
    const e = err as BadRequestError;
    expect(e.message).toContain("400 from POST https://api.example.test/v1/things");
    expect(e.message).toContain("profile is invalid");
    expect(JSON.parse(e.request.body!)).toEqual({ apiKey: REDACTED, all: secrets.map(() => REDACTED).join(" ") });
    expect(e.request.url).toBe(`https://api.example.test/v1/things?note=${REDACTED}`);
  });

  it("a ConnectionError whose cause mentions the credential names none", async () => {
    const leaky = new TypeError(`fetch failed: proxy said "${secrets.join('", "')}" is not allowed`, {
      cause: Object.assign(new Error(`socket hang up with ${secrets[0]}`), { code: "ECONNRESET" }),
    });
    const f = scriptedFetch(leaky);
    const rt = createRuntime(makeApi(), { fetch: f.fetch, auth, maxRetries: 0 });
    const err = await errorOf(rt.call("createThing", { body: { apiKey: secrets[0] } }));
    expect(err).toBeInstanceOf(ConnectionError);
    sent(f.requests[0]);
    expectNoSecrets(err, secrets);
    const e = err as ConnectionError;
    expect(e.message).toContain(`fetch failed: proxy said "${REDACTED}`);
    expect(e.message).toContain("(ECONNRESET)");
    expect(e.request.body).toBe(JSON.stringify({ apiKey: REDACTED }));
  });

  it("runtime.redact() scrubs every credential the client used", async () => {
    const f = scriptedFetch(json(200, { ok: true }));
    const rt = createRuntime(makeApi(), { fetch: f.fetch, auth });
    await rt.call("getThing", { path: { id: "1" } });
    const text = `log line: ${secrets.join(" | ")}`;
    const out = rt.redact(text);
    for (const s of secrets) expect(out).not.toContain(s);
    expect(out).toContain("log line: [REDACTED]");
  });
});

describe("redaction details", () => {
  it("a credential that rotates between attempts is redacted in both forms", async () => {
    let n = 0;
    const token = async () => `rotating-SECRET-${++n}${n}${n}${n}`;
    const f = scriptedFetch(new TypeError("fetch failed"));
    const rt = createRuntime(makeApi(), { fetch: f.fetch, auth: { type: "bearer", token } });
    await errorOf(rt.call("getThing", { path: { id: "1" } }, { maxRetries: 1, retry: { initialDelayMs: 0, jitter: false } }));
    expect(f.requests.map((r) => r.headers.get("authorization"))).toEqual(["Bearer rotating-SECRET-1111", "Bearer rotating-SECRET-2222"]);
    expect(rt.redact("rotating-SECRET-1111 rotating-SECRET-2222")).toBe(`${REDACTED} ${REDACTED}`);
  });

  it("authHeaders reports the secrets it put on the wire", async () => {
    const basic = await authHeaders({ type: "basic", username: "user", password: "pass-word" });
    expect(basic.headers).toEqual({ authorization: `Basic ${b64("user:pass-word")}` });
    expect(basic.secrets).toEqual(expect.arrayContaining(["pass-word", b64("user:pass-word")]));
    const custom = await authHeaders({ type: "custom", headers: () => ({ authorization: "Basic abcd1234" }), secrets: () => ["extra-one"] });
    expect(custom.secrets).toEqual(["abcd1234", "extra-one"]);
    await expect(authHeaders({ type: "bearer", token: async () => "" })).rejects.toThrow(ConfigurationError);
  });

  it("Redactor.url strips userinfo and masks credential-like query values", () => {
    const r = new Redactor();
    const out = r.url("https://user:pa55word@api.example.com/v1/x?api_key=k-123456&token=t-abcdef&page=2&Access_Token=zzz999&apiKey=ak-000");
    expect(out).toBe(
      "https://api.example.com/v1/x?api_key=%5BREDACTED%5D&token=%5BREDACTED%5D&page=2&Access_Token=%5BREDACTED%5D&apiKey=%5BREDACTED%5D",
    );
    for (const s of ["user", "pa55word", "k-123456", "t-abcdef", "zzz999", "ak-000"]) expect(out).not.toContain(s);
  });

  it("Redactor.url scrubs registered secrets from paths and from unparsable URLs", () => {
    const r = new Redactor();
    r.add("path-secret-1", undefined, "abc"); // "abc" is too short to redact safely
    expect(r.url("https://h.example/p/path-secret-1/abc")).toBe(`https://h.example/p/${REDACTED}/abc`);
    expect(r.url("not a url path-secret-1")).toBe(`not a url ${REDACTED}`);
  });

  it("scrub removes a longer secret whole when it contains a shorter one", () => {
    const r = new Redactor();
    r.add("secret", "secret-and-more");
    expect(r.scrub("x secret-and-more y secret")).toBe(`x ${REDACTED} y ${REDACTED}`);
  });
});
