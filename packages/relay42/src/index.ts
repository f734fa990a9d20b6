/**
 * @activation-kit/relay42: typed client for the Relay42 Data Activation REST API v1.
 * Operations, types, validators and the documented runtime policy (circuit on 401/403, retry ladders, rate-limit
 * cost) are generated from specs/relay42/openapi.yaml; this file presets servers, site and credentials
 * (HTTP Basic, or the API-key → refresh token → bearer token flow in token-auth.ts).
 */
import { createVendorClient, requireOption, type ClientOptions, type Credential, type VendorClient } from "@activation-kit/core";
import { bindOperations, type ApiOperations } from "./generated/client.js";
import { apiSpec, loadResponseSchemas, operations } from "./generated/operations.js";
import type { components, paths } from "./generated/types.js";
import { Relay42TokenSession, tokenAuth, type Relay42TokenAuth } from "./token-auth.js";

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

export type Relay42Client = VendorClient<ApiOperations, paths> & {
  /** Token mode only: the token session (expiry bookkeeping, `clear()` to start again from the API key). */
  readonly tokenSession: Relay42TokenSession | undefined;
};

/**
 * Creates a Relay42 client. 401/403 open the client's circuit: later calls throw `CircuitOpenError` without
 * reaching the API (repeated bad credentials lock the account for 15 minutes) until `client.resetCircuit()`.
 */
export function createRelay42Client(options: Relay42ClientOptions): Relay42Client {
  const { siteNumber, auth, ...rest } = options;
  requireOption(siteNumber, "siteNumber", "Relay42");
  requireOption(auth, "auth", "Relay42");
  const api = { spec: apiSpec, operations, loadResponseSchemas };
  if ("apiKey" in auth) {
    requireOption(auth.apiKey, "auth.apiKey", "Relay42");
    // The session calls the token operations through this very client; they declare `security: []`, so they
    // never ask the session for a token themselves.
    let client: VendorClient<ApiOperations, paths> | undefined;
    const session = new Relay42TokenSession(auth, {
      authenticate: (apiKey) => client!.authentication.authenticateUser({ body: { apiKey } }),
      token: (refreshToken) => client!.authentication.createAccessToken({ body: { refreshToken } }),
    });
    client = createVendorClient(api, bindOperations, { ...rest, config: { siteNumber }, auth: tokenAuth(session) });
    return Object.assign(client, { tokenSession: session });
  }
  const client = createVendorClient<ApiOperations, paths>(api, bindOperations, {
    ...rest,
    config: { siteNumber },
    auth: {
      type: "basic",
      username: requireOption(auth.apiIdentifier, "auth.apiIdentifier", "Relay42"),
      password: requireOption(auth.accessToken, "auth.accessToken", "Relay42"),
    },
  });
  return Object.assign(client, { tokenSession: undefined });
}

export type { ApiOperations as Relay42Operations } from "./generated/client.js";
export type { components, operations as Relay42OperationTypes, paths } from "./generated/types.js";
export type Relay42Error = components["schemas"] extends { Error: infer E } ? E : unknown;
export { apiSpec, loadResponseSchemas, operations } from "./generated/operations.js";
export { Relay42TokenSession, Relay42TokenError, type Relay42TokenAuth, type TokenExchanges } from "./token-auth.js";
// Everything a user of this package needs (core's errors and option types, the typed error guard, the
// per-operation Params/Result types, one type per schema), generated so that installing this package is enough.
export * from "./generated/exports.js";
