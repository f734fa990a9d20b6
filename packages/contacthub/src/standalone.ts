/**
 * `@activation-kit/contacthub/standalone`: one function per operation over a small core client, for apps that
 * call a few operations and want to bundle only those (each function pulls in its own operation and schemas,
 * nothing else). Same options, validation, retries, errors and `.withResponse()` as `createContacthubClient`.
 *
 *   const core = createContacthubCore({ … });
 *   const result = await someOperation(core, params);
 */
import { createCoreClient, type CoreClient } from "@activation-kit/core";
import { apiSpec, loadResponseSchemas } from "./generated/operations.js";
import { contacthubClientOptions, type ContacthubClientOptions } from "./options.js";

export function createContacthubCore(options: ContacthubClientOptions): CoreClient {
  return createCoreClient({ spec: apiSpec, loadResponseSchemas }, contacthubClientOptions(options));
}

export * from "./generated/functions.js";
export type { ContacthubClientOptions } from "./options.js";
