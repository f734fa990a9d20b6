/**
 * Credentials. Each credential may be a string or a function (sync or async) that is called before every
 * request, so a token can rotate without rebuilding the client. Resolved values are handed to the redactor
 * so they can never appear in an error message, `toString` or log line.
 */

import { ConfigurationError } from "./errors.js";

export type Credential = string | (() => string | Promise<string>);

export type Auth =
  | { type: "bearer"; token: Credential }
  | { type: "basic"; username: Credential; password: Credential }
  | { type: "apiKey"; header: string; value: Credential }
  /**
   * Anything else (for example a token that must be exchanged first). `headers()` is called per attempt;
   * `onUnauthorized()` is called once after a 401 and returns true when a fresh credential is worth one more try;
   * it receives the headers `headers()` gave the rejected attempt, so a provider shared by concurrent calls can
   * tell a stale credential (refresh it) from one another call already replaced (just retry).
   */
  | {
      type: "custom";
      headers: () => Promise<Record<string, string>> | Record<string, string>;
      onUnauthorized?: (rejectedHeaders: Record<string, string>) => Promise<boolean> | boolean;
      /** Secrets the provider holds, to redact from errors. */
      secrets?: () => string[];
    };

export async function resolveCredential(c: Credential): Promise<string> {
  return checkCredential(typeof c === "function" ? await c() : c);
}

/** An empty value or a line break (header injection) is refused before anything is sent; the value is never shown. */
function checkCredential(value: unknown): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new ConfigurationError("A credential resolved to an empty or non-string value");
  }
  if (/[\r\n\0]/.test(value)) throw new ConfigurationError("A credential contains a line break or NUL character; nothing was sent");
  return value;
}

/**
 * Headers that never change (every credential a plain string) are computed once per client instead of per
 * attempt; anything with a function or a custom provider is resolved per attempt.
 */
export function staticAuthHeaders(auth: Auth | undefined): { headers: Record<string, string>; secrets: string[] } | undefined {
  if (!auth) return { headers: {}, secrets: [] };
  switch (auth.type) {
    case "bearer": {
      if (typeof auth.token !== "string") return undefined;
      const token = checkCredential(auth.token);
      return { headers: { authorization: `Bearer ${token}` }, secrets: [token] };
    }
    case "basic": {
      if (typeof auth.username !== "string" || typeof auth.password !== "string") return undefined;
      const user = checkCredential(auth.username);
      const pass = checkCredential(auth.password);
      const encoded = base64(`${user}:${pass}`);
      return { headers: { authorization: `Basic ${encoded}` }, secrets: [pass, encoded, `${user}:${pass}`] };
    }
    case "apiKey":
      if (typeof auth.value !== "string") return undefined;
      return { headers: { [auth.header.toLowerCase()]: checkCredential(auth.value) }, secrets: [auth.value] };
    default:
      return undefined;
  }
}

/** Headers for one attempt, plus the secret values they carry (for redaction). */
export async function authHeaders(auth: Auth | undefined): Promise<{ headers: Record<string, string>; secrets: string[] }> {
  if (!auth) return { headers: {}, secrets: [] };
  switch (auth.type) {
    case "bearer": {
      const token = await resolveCredential(auth.token);
      return { headers: { authorization: `Bearer ${token}` }, secrets: [token] };
    }
    case "basic": {
      const [user, pass] = await Promise.all([resolveCredential(auth.username), resolveCredential(auth.password)]);
      const encoded = base64(`${user}:${pass}`);
      return { headers: { authorization: `Basic ${encoded}` }, secrets: [pass, encoded, `${user}:${pass}`] };
    }
    case "apiKey": {
      const value = await resolveCredential(auth.value);
      return { headers: { [auth.header.toLowerCase()]: value }, secrets: [value] };
    }
    case "custom": {
      const headers = await auth.headers();
      for (const value of Object.values(headers)) checkCredential(value);
      return { headers, secrets: [...Object.values(headers).map(stripScheme), ...(auth.secrets?.() ?? [])] };
    }
  }
}

function stripScheme(v: string): string {
  const m = /^(?:Bearer|Basic)\s+(.+)$/i.exec(v);
  return m ? m[1] : v;
}

function base64(text: string): string {
  // btoa exists in Node >= 16, browsers and edge runtimes; encode UTF-8 first so non-ASCII works.
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}
