/**
 * @activation-kit/marigold-engage: typed client for the Marigold Engage API (formerly Selligent Marketing
 * Cloud). Operations, types, validators, paging and the `result_code` envelope policy are generated from
 * specs/marigold-engage/openapi.yaml; this file presets the host, the organization and the API key header.
 * The vendor-specific helpers live beside it: `results.ts` (typed envelope and per-item outcomes) and
 * `transactional.ts` (chunked transactional sends and delivery-status polling).
 */
import { createVendorClient, type VendorClient } from "@activation-kit/core";
import { bindOperations, type ApiOperations } from "./generated/client.js";
import { apiSpec, loadResponseSchemas, operations } from "./generated/operations.js";
import type { paths } from "./generated/types.js";
import { marigoldEngageClientOptions, type MarigoldEngageClientOptions } from "./options.js";

export type MarigoldEngageClient = VendorClient<ApiOperations, paths> & {
  /** The organization the client fills into every path (helpers use it to validate whole batches up front). */
  readonly organization: string;
};

export function createMarigoldEngageClient(options: MarigoldEngageClientOptions): MarigoldEngageClient {
  const clientOptions = marigoldEngageClientOptions(options);
  const org = clientOptions.config.organization;
  const client = createVendorClient({ spec: apiSpec, operations, loadResponseSchemas }, bindOperations, clientOptions);
  return Object.assign(client, { organization: org });
}

export type { MarigoldEngageClientOptions } from "./options.js";
// Everything a user of this package needs (core's errors and option types, the typed error guard, the
// per-operation Params/Result types, one type per schema), generated so that installing this package is enough.
export * from "./generated/exports.js";
// Also named by the generated surface; these hand-written aliases (the same types) are the ones exported.
export type { TransactionalSendItem, TransactionalSendResult, TransactionalStatus, TransactionalUpdateSendItem } from "./results.js";
export type { ApiOperations as MarigoldEngageOperations } from "./generated/client.js";
export type { components, operations as MarigoldEngageOperationTypes, paths } from "./generated/types.js";
export { apiSpec, loadResponseSchemas, operations } from "./generated/operations.js";
export * from "./results.js";
export * from "./transactional.js";
