/**
 * @activation-kit/rudderstack: typed client for the RudderStack Activation API.
 * The operations, types, validators and policy are generated from specs/rudderstack/openapi.yaml; this file
 * only presets the vendor's servers and credentials.
 */
import { createVendorClient, requireOption, type ClientOptions, type Credential, type VendorClient } from "@activation-kit/core";
import { bindOperations, type ApiOperations } from "./generated/client.js";
import { apiSpec, loadResponseSchemas, operations } from "./generated/operations.js";
import type { paths } from "./generated/types.js";

export interface RudderStackClientOptions extends Omit<ClientOptions, "auth"> {
  /** Personal access token with the Admin role, or a function that returns one (called per request). */
  accessToken: Credential;
  /** Data plane: `us` (profiles.rudderstack.com, default) or `eu` (profiles-eu.rudderstack.com). Ignored when `baseUrl` is set. */
  region?: "us" | "eu";
}

export type RudderStackClient = VendorClient<ApiOperations, paths>;

export function createRudderStackClient(options: RudderStackClientOptions): RudderStackClient {
  const { accessToken, region = "us", ...rest } = options;
  return createVendorClient({ spec: apiSpec, operations, loadResponseSchemas }, bindOperations, {
    server: region === "eu" ? 1 : 0,
    ...rest,
    auth: { type: "bearer", token: requireOption(accessToken, "accessToken", "RudderStack") },
  });
}

// Everything a user of this package needs (core's errors and option types, the typed error guard, the
// per-operation Params/Result types, one type per schema), generated so that installing this package is enough.
export * from "./generated/exports.js";
export type { ApiOperations as RudderStackOperations } from "./generated/client.js";
export type { components, operations as RudderStackOperationTypes, paths } from "./generated/types.js";
export { apiSpec, loadResponseSchemas, operations } from "./generated/operations.js";
