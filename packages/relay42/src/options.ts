/**
 * Relay42's client options, shared by `createRelay42Client` (index.ts) and `createRelay42Core` (standalone.ts):
 * the site filled into every path, and HTTP Basic credentials or the API-key → refresh token → bearer token flow
 * (token-auth.ts), whose two exchanges the caller performs with its own client.
 */
import { requireOption, type ClientOptions, type Credential } from "@activation-kit/core";
import { Relay42TokenSession, tokenAuth, type Relay42TokenAuth, type TokenExchanges } from "./token-auth.js";

/** HTTP Basic credentials (the scheme the Relay42 Data Activation REST API v1 documentation describes). */
export interface Relay42BasicAuth {
  /** API identifier (HTTP Basic username). */
  apiIdentifier: Credential;
  /** Access token (HTTP Basic password). */
  accessToken: Credential;
}

export interface Relay42ClientOptions extends Omit<ClientOptions, "auth" | "config"> {
  /** Your site number: fills `{siteNumber}` in every `/v1/site-{siteNumber}/…` path. */
  siteNumber: number;
  /**
   * `{apiIdentifier, accessToken}` for HTTP Basic, or `{apiKey}` for the token (JWT) flow: the client exchanges
   * the key for a refresh token and that for a bearer token, renews both before they expire and once after a
   * 401. Credentials never appear in errors.
   */
  auth: Relay42BasicAuth | Relay42TokenAuth;
  /**
   * Client-side limit in Relay42 cost units per second (a GET costs 1, a POST with N facts or interactions
   * N + 1, as the rate limit counts them). Your contract sets the real limit; staying under it avoids 429s.
   */
  rateLimit?: ClientOptions["rateLimit"];
  /**
   * Default retry policy for every call: the spec's short interactive policy, overrides of it, or `"bulk"` for
   * the documented import ladder (50x/connection errors: 1, 2, 4 … minutes capped at 30, then the error; 429:
   * exponential back-off until they stop). Per call: `{retry: "bulk"}` as request option.
   */
  retry?: ClientOptions["retry"];
}

/**
 * The ClientOptions of a Relay42 client, and its token session in token mode. `exchanges` performs the
 * authenticate and token calls (through the very client being built: they declare `security: []`, so they
 * never ask the session for a token themselves).
 */
export function relay42ClientOptions(
  options: Relay42ClientOptions,
  exchanges: TokenExchanges,
): { clientOptions: ClientOptions; tokenSession: Relay42TokenSession | undefined } {
  const { siteNumber, auth, ...rest } = options;
  requireOption(siteNumber, "siteNumber", "Relay42");
  requireOption(auth, "auth", "Relay42");
  if ("apiKey" in auth) {
    requireOption(auth.apiKey, "auth.apiKey", "Relay42");
    const tokenSession = new Relay42TokenSession(auth, exchanges);
    return { clientOptions: { ...rest, config: { siteNumber }, auth: tokenAuth(tokenSession) }, tokenSession };
  }
  return {
    clientOptions: {
      ...rest,
      config: { siteNumber },
      auth: {
        type: "basic",
        username: requireOption(auth.apiIdentifier, "auth.apiIdentifier", "Relay42"),
        password: requireOption(auth.accessToken, "auth.accessToken", "Relay42"),
      },
    },
    tokenSession: undefined,
  };
}
