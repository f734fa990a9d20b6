/**
 * `@activation-kit/releva/standalone`: one function per operation over a small core client, for apps that
 * call a few operations and want to bundle only those (each function pulls in its own operation and schemas,
 * nothing else). Same options, validation, retries, errors and `.withResponse()` as `createRelevaClient`.
 *
 *   const core = createRelevaCore({ … });
 *   const result = await someOperation(core, params);
 */
import { createCoreClient, type CoreClient } from "@activation-kit/core";
import { apiSpec, loadResponseSchemas } from "./generated/operations.js";
import { relevaClientOptions, type RelevaClientOptions } from "./options.js";

export function createRelevaCore(options: RelevaClientOptions): CoreClient {
  return createCoreClient({ spec: apiSpec, loadResponseSchemas }, relevaClientOptions(options));
}

export * from "./generated/functions.js";
export type { RelevaClientOptions } from "./options.js";
