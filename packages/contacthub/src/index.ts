/**
 * @activation-kit/contacthub: typed client for the Contactlab Contacthub API.
 * Operations, types, validators, pagination and retry policy are generated from specs/contacthub/; this file
 * presets the server, the workspace and the bearer token.
 */
import { createVendorClient, requireOption, type ClientOptions, type Credential, type VendorClient } from "@activation-kit/core";
import { bindOperations, type ApiOperations } from "./generated/client.js";
import { apiSpec, operations } from "./generated/operations.js";
import type { paths } from "./generated/types.js";
import { validators } from "./generated/validators.js";

export interface ContacthubClientOptions extends Omit<ClientOptions, "auth" | "config"> {
  /** Bearer token (a source token from the Contacthub UI), or an async function returning a fresh one. */
  token: Credential;
  /** Workspace id: fills `{workspaceId}` in every workspace-scoped path (a call may still pass its own). */
  workspaceId?: string;
}

export type ContacthubClient = VendorClient<ApiOperations, paths>;

export function createContacthubClient(options: ContacthubClientOptions): ContacthubClient {
  const { token, workspaceId, ...rest } = options;
  return createVendorClient({ spec: apiSpec, operations, validators }, bindOperations, {
    ...rest,
    config: workspaceId ? { workspaceId } : {},
    auth: { type: "bearer", token: requireOption(token, "token", "Contacthub") },
  });
}

export type { ApiOperations as ContacthubOperations, ParamsOf, ResultOf } from "./generated/client.js";
export type { components, operations as ContacthubOperationTypes, paths } from "./generated/types.js";
export { apiSpec, operations } from "./generated/operations.js";
