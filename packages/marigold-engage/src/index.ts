/**
 * @activation-kit/marigold-engage: typed client for the Marigold Engage API (formerly Selligent Marketing
 * Cloud). Operations, types, validators, paging and the `result_code` envelope policy are generated from
 * specs/marigold-engage/openapi.yaml; this file presets the host, the organization and the API key header.
 */
import { createVendorClient, requireOption, type ClientOptions, type Credential, type VendorClient } from "@activation-kit/core";
import { bindOperations, type ApiOperations } from "./generated/client.js";
import { apiSpec, operations } from "./generated/operations.js";
import type { paths } from "./generated/types.js";
import { validators } from "./generated/validators.js";

export interface MarigoldEngageClientOptions extends Omit<ClientOptions, "auth" | "config"> {
  /** API key (the part before `:` in the `X-ApiKey` header). */
  apiKey: Credential;
  /** API secret (the part after `:`). */
  apiSecret: Credential;
  /** Your Engage host, e.g. `ngpa.slgnt.eu` (fills the `{host}` server variable). Ignored when `baseUrl` is set. */
  host?: string;
  /** Organization name: fills `{organization}` in every path. */
  organization: string;
}

export type MarigoldEngageClient = VendorClient<ApiOperations, paths>;

export function createMarigoldEngageClient(options: MarigoldEngageClientOptions): MarigoldEngageClient {
  const { apiKey, apiSecret, host, organization, ...rest } = options;
  const key = requireOption(apiKey, "apiKey", "Marigold Engage");
  const secret = requireOption(apiSecret, "apiSecret", "Marigold Engage");
  const resolve = async (c: Credential) => (typeof c === "function" ? await c() : c);
  return createVendorClient({ spec: apiSpec, operations, validators }, bindOperations, {
    ...(host ? { serverVariables: { host } } : {}),
    ...rest,
    config: { organization: requireOption(organization, "organization", "Marigold Engage") },
    // The header carries both halves (`key:secret`); both are registered for redaction separately too.
    auth: {
      type: "custom",
      headers: async () => ({ "x-apikey": `${await resolve(key)}:${await resolve(secret)}` }),
      secrets: () => [typeof key === "string" ? key : "", typeof secret === "string" ? secret : ""].filter(Boolean),
    },
  });
}

export type { ApiOperations as MarigoldEngageOperations, ParamsOf, ResultOf } from "./generated/client.js";
export type { components, operations as MarigoldEngageOperationTypes, paths } from "./generated/types.js";
export { apiSpec, operations } from "./generated/operations.js";
