/**
 * @activation-kit/relay42: typed client for the Relay42 Data Activation REST API v1.
 * Operations, types, validators and the documented runtime policy (circuit on 401/403, retry ladders, rate-limit
 * cost) are generated from specs/relay42/openapi.yaml; this file presets servers, site and credentials
 * (HTTP Basic, or the API-key → refresh token → bearer token flow in token-auth.ts).
 */
import { createVendorClient, type VendorClient } from "@activation-kit/core";
import { bindOperations, type ApiOperations } from "./generated/client.js";
import { apiSpec, loadResponseSchemas, operations } from "./generated/operations.js";
import type { components, paths } from "./generated/types.js";
import { relay42ClientOptions, type Relay42ClientOptions } from "./options.js";
import type { Relay42TokenSession } from "./token-auth.js";

export type Relay42Client = VendorClient<ApiOperations, paths> & {
  /** Token mode only: the token session (expiry bookkeeping, `clear()` to start again from the API key). */
  readonly tokenSession: Relay42TokenSession | undefined;
};

/**
 * Creates a Relay42 client. 401/403 open the client's circuit: later calls throw `CircuitOpenError` without
 * reaching the API (repeated bad credentials lock the account for 15 minutes) until `client.resetCircuit()`.
 */
export function createRelay42Client(options: Relay42ClientOptions): Relay42Client {
  let client: VendorClient<ApiOperations, paths> | undefined;
  const { clientOptions, tokenSession } = relay42ClientOptions(options, {
    authenticate: (apiKey) => client!.authentication.authenticateUser({ body: { apiKey } }),
    token: (refreshToken) => client!.authentication.createAccessToken({ body: { refreshToken } }),
  });
  client = createVendorClient({ spec: apiSpec, operations, loadResponseSchemas }, bindOperations, clientOptions);
  return Object.assign(client, { tokenSession });
}

export type { Relay42BasicAuth, Relay42ClientOptions } from "./options.js";
export type { ApiOperations as Relay42Operations } from "./generated/client.js";
export type { components, operations as Relay42OperationTypes, paths } from "./generated/types.js";
export type Relay42Error = components["schemas"] extends { Error: infer E } ? E : unknown;
export { apiSpec, loadResponseSchemas, operations } from "./generated/operations.js";
export { Relay42TokenSession, Relay42TokenError, type Relay42TokenAuth, type TokenExchanges } from "./token-auth.js";
// Everything a user of this package needs (core's errors and option types, the typed error guard, the
// per-operation Params/Result types, one type per schema), generated so that installing this package is enough.
export * from "./generated/exports.js";
