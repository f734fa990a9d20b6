/**
 * `@activation-kit/marigold-engage/standalone`: one function per operation over a small core client, for apps that
 * call a few operations and want to bundle only those (each function pulls in its own operation and schemas,
 * nothing else). Same options, validation, retries, errors and `.withResponse()` as `createMarigoldEngageClient`.
 *
 *   const core = createMarigoldEngageCore({ … });
 *   const result = await someOperation(core, params);
 */
import { createCoreClient, type CoreClient } from "@activation-kit/core";
import { apiSpec, loadResponseSchemas } from "./generated/operations.js";
import { marigoldEngageClientOptions, type MarigoldEngageClientOptions } from "./options.js";

export function createMarigoldEngageCore(options: MarigoldEngageClientOptions): CoreClient {
  return createCoreClient({ spec: apiSpec, loadResponseSchemas }, marigoldEngageClientOptions(options));
}

export * from "./generated/functions.js";
export type { MarigoldEngageClientOptions } from "./options.js";
