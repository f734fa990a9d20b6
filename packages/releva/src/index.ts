/**
 * @activation-kit/releva: typed client for Releva's Profile Upsert API.
 * The operations, types, validators and policy are generated from specs/releva/openapi.yaml; this file only
 * presets the vendor's servers and credentials.
 */
import { createVendorClient, type VendorClient } from "@activation-kit/core";
import { bindOperations, type ApiOperations } from "./generated/client.js";
import { apiSpec, loadResponseSchemas, operations } from "./generated/operations.js";
import type { paths } from "./generated/types.js";
import { relevaClientOptions, type RelevaClientOptions } from "./options.js";

export type RelevaClient = VendorClient<ApiOperations, paths>;

export function createRelevaClient(options: RelevaClientOptions): RelevaClient {
  return createVendorClient({ spec: apiSpec, operations, loadResponseSchemas }, bindOperations, relevaClientOptions(options));
}

export type { RelevaClientOptions } from "./options.js";

// Everything a user of this package needs (core's errors and option types, the typed error guard, the
// per-operation Params/Result types, one type per schema), generated so that installing this package is enough.
export * from "./generated/exports.js";
export type { ApiOperations as RelevaOperations } from "./generated/client.js";
export type { components, operations as RelevaOperationTypes, paths } from "./generated/types.js";
export { apiSpec, loadResponseSchemas, operations } from "./generated/operations.js";
