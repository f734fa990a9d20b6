/**
 * RudderStack's client options, shared by `createRudderStackClient` (index.ts) and `createRudderStackCore`
 * (standalone.ts): the access token as a bearer credential and the data-plane region as the server.
 */
import { requireOption, type ClientOptions, type Credential } from "@activation-kit/core";

export interface RudderStackClientOptions extends Omit<ClientOptions, "auth"> {
  /** Personal access token with the Admin role, or a function that returns one (called per request). */
  accessToken: Credential;
  /** Data plane: `us` (profiles.rudderstack.com, default) or `eu` (profiles-eu.rudderstack.com). Ignored when `baseUrl` is set. */
  region?: "us" | "eu";
}

export function rudderStackClientOptions(options: RudderStackClientOptions): ClientOptions {
  const { accessToken, region = "us", ...rest } = options;
  return {
    server: region === "eu" ? 1 : 0,
    ...rest,
    auth: { type: "bearer", token: requireOption(accessToken, "accessToken", "RudderStack") },
  };
}
