/**
 * Releva's client options, shared by `createRelevaClient` (index.ts) and `createRelevaCore` (standalone.ts):
 * the secret key as a bearer credential and the regional realm as the server.
 */
import { requireOption, type ClientOptions, type Credential } from "@activation-kit/core";

export interface RelevaClientOptions extends Omit<ClientOptions, "auth"> {
  /** Your account's secret key, or a function that returns it (called per request). */
  secretKey: Credential;
  /** A regional realm (`https://{realm}.releva.ai/api/v0`); default: `https://releva.ai/api/v0`. Ignored when `baseUrl` is set. */
  realm?: string;
}

export function relevaClientOptions(options: RelevaClientOptions): ClientOptions {
  const { secretKey, realm, ...rest } = options;
  return {
    ...(realm ? { server: 1, serverVariables: { realm } } : {}),
    ...rest,
    auth: { type: "bearer", token: requireOption(secretKey, "secretKey", "Releva") },
  };
}
