/**
 * `@activation-kit/relay42/standalone`: one function per operation over a small core client, for apps that
 * call a few operations and want to bundle only those (each function pulls in its own operation and schemas,
 * nothing else). Same options (HTTP Basic or the token flow), validation, circuit, retries, errors and
 * `.withResponse()` as `createRelay42Client`.
 *
 *   const core = createRelay42Core({ siteNumber, auth: { apiIdentifier, accessToken } });
 *   const facts = await getProfileFacts(core, { path: { partnerType: 42 }, query: { partnerId } });
 */
import { createCoreClient, type CoreClient } from "@activation-kit/core";
import { apiSpec, authenticateUser, createAccessToken, loadResponseSchemas } from "./generated/operations.js";
import { relay42ClientOptions, type Relay42ClientOptions } from "./options.js";
import type { Relay42TokenSession } from "./token-auth.js";

export type Relay42Core = CoreClient & {
  /** Token mode only: the token session (expiry bookkeeping, `clear()` to start again from the API key). */
  readonly tokenSession: Relay42TokenSession | undefined;
};

export function createRelay42Core(options: Relay42ClientOptions): Relay42Core {
  let core: CoreClient | undefined;
  const { clientOptions, tokenSession } = relay42ClientOptions(options, {
    authenticate: (apiKey) => core!.request(authenticateUser, { body: { apiKey } }),
    token: (refreshToken) => core!.request(createAccessToken, { body: { refreshToken } }),
  });
  core = createCoreClient({ spec: apiSpec, loadResponseSchemas }, clientOptions);
  return Object.assign(core, { tokenSession });
}

export * from "./generated/functions.js";
export type { Relay42ClientOptions } from "./options.js";
