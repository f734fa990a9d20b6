/**
 * @activation-kit/marigold-engage: typed client for the Marigold Engage API (formerly Selligent Marketing
 * Cloud). Operations, types, validators, paging and the `result_code` envelope policy are generated from
 * specs/marigold-engage/openapi.yaml; this file presets the host, the organization and the API key header.
 * The vendor-specific helpers live beside it: `results.ts` (typed envelope and per-item outcomes) and
 * `transactional.ts` (chunked transactional sends and delivery-status polling).
 */
import {
  createVendorClient,
  requireOption,
  resolveCredential,
  type ClientOptions,
  type Credential,
  type VendorClient,
} from "@activation-kit/core";
import { bindOperations, type ApiOperations } from "./generated/client.js";
import { apiSpec, loadResponseSchemas, operations } from "./generated/operations.js";
import type { paths } from "./generated/types.js";

export interface MarigoldEngageClientOptions extends Omit<ClientOptions, "auth" | "config"> {
  /**
   * API key of the Engage service account (the part before `:` in `X-ApiKey`). A function is called before
   * every attempt, so a rotated key is picked up without rebuilding the client.
   */
  apiKey: Credential;
  /** API secret (the part after `:`). Same rules as `apiKey`; it is never printed, thrown or logged. */
  apiSecret: Credential;
  /** Your Engage host, e.g. `ngpa.slgnt.eu` (fills the `{host}` server variable). Ignored when `baseUrl` is set. */
  host?: string;
  /** Organization name: fills `{organization}` in every path, so calls only pass what differs per call. */
  organization: string;
}

export type MarigoldEngageClient = VendorClient<ApiOperations, paths> & {
  /** The organization the client fills into every path (helpers use it to validate whole batches up front). */
  readonly organization: string;
};

export function createMarigoldEngageClient(options: MarigoldEngageClientOptions): MarigoldEngageClient {
  const { apiKey, apiSecret, host, organization, ...rest } = options;
  const key = requireOption(apiKey, "apiKey", "Marigold Engage");
  const secret = requireOption(apiSecret, "apiSecret", "Marigold Engage");
  const org = requireOption(organization, "organization", "Marigold Engage");
  // Every value a key/secret function ever resolved to: the transport asks for them after each `headers()`,
  // so a credential given as an (async) function is redacted exactly like a literal one, rotations included.
  const resolved = new Set<string>([key, secret].filter((c): c is string => typeof c === "string"));
  const client = createVendorClient({ spec: apiSpec, operations, loadResponseSchemas }, bindOperations, {
    ...(host ? { serverVariables: { host } } : {}),
    ...rest,
    config: { organization: org },
    auth: {
      type: "custom",
      headers: async () => {
        const [k, s] = await Promise.all([resolveCredential(key), resolveCredential(secret)]);
        resolved.add(k);
        resolved.add(s);
        return { "x-apikey": `${k}:${s}` };
      },
      // The combined `key:secret` header value is registered by the transport; the halves are added here so a
      // vendor message that echoes only one of them is scrubbed too.
      secrets: () => [...resolved],
    },
  });
  return Object.assign(client, { organization: org });
}

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
