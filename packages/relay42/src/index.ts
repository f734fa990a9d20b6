/**
 * @activation-kit/relay42: typed client for the Relay42 Data Activation REST API v1.
 * Operations, types, validators and the seed's runtime policy (circuit on 401/403, retry ladders, rate-limit
 * cost) are generated from specs/relay42/openapi.yaml; this file presets servers, site and credentials.
 */
import { createVendorClient, requireOption, type ClientOptions, type Credential, type VendorClient } from "@activation-kit/core";
import { bindOperations, type ApiOperations } from "./generated/client.js";
import { apiSpec, operations } from "./generated/operations.js";
import type { components, paths } from "./generated/types.js";
import { validators } from "./generated/validators.js";

export interface Relay42BasicAuth {
  /** API identifier (HTTP Basic username). */
  apiIdentifier: Credential;
  /** Access token (HTTP Basic password). */
  accessToken: Credential;
}

export interface Relay42ClientOptions extends Omit<ClientOptions, "auth" | "config"> {
  /** Your site number: fills `{siteNumber}` in every `/v1/site-{siteNumber}/…` path. */
  siteNumber: number;
  /** HTTP Basic credentials. */
  auth: Relay42BasicAuth;
}

export type Relay42Client = VendorClient<ApiOperations, paths>;

export function createRelay42Client(options: Relay42ClientOptions): Relay42Client {
  const { siteNumber, auth, ...rest } = options;
  requireOption(siteNumber, "siteNumber", "Relay42");
  requireOption(auth, "auth", "Relay42");
  return createVendorClient({ spec: apiSpec, operations, validators }, bindOperations, {
    ...rest,
    config: { siteNumber },
    auth: {
      type: "basic",
      username: requireOption(auth.apiIdentifier, "auth.apiIdentifier", "Relay42"),
      password: requireOption(auth.accessToken, "auth.accessToken", "Relay42"),
    },
  });
}

export type { ApiOperations as Relay42Operations, ParamsOf, ResultOf } from "./generated/client.js";
export type { components, operations as Relay42OperationTypes, paths } from "./generated/types.js";
export type Relay42Error = components["schemas"] extends { Error: infer E } ? E : unknown;
export { apiSpec, operations } from "./generated/operations.js";
