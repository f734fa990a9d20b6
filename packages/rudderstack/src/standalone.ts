/**
 * `@activation-kit/rudderstack/standalone`: one function per operation over a small core client, for apps that
 * call a few operations and want to bundle only those (each function pulls in its own operation and schemas,
 * nothing else). Same options, validation, retries, errors and `.withResponse()` as `createRudderStackClient`.
 *
 *   const core = createRudderStackCore({ … });
 *   const result = await someOperation(core, params);
 */
import { createCoreClient, type CoreClient } from "@activation-kit/core";
import { apiSpec, loadResponseSchemas } from "./generated/operations.js";
import { rudderStackClientOptions, type RudderStackClientOptions } from "./options.js";

export function createRudderStackCore(options: RudderStackClientOptions): CoreClient {
  return createCoreClient({ spec: apiSpec, loadResponseSchemas }, rudderStackClientOptions(options));
}

export * from "./generated/functions.js";
export type { RudderStackClientOptions } from "./options.js";
