/** How the contract tests build each vendor's client against its Prism mock (fake credentials only). */
import { createContacthubClient } from "@activation-kit/contacthub";
import type { ClientOptions } from "@activation-kit/core";
import { createMarigoldEngageClient } from "@activation-kit/marigold-engage";
import { createRelay42Client } from "@activation-kit/relay42";
import { createRelevaClient } from "@activation-kit/releva";
import { createRudderStackClient } from "@activation-kit/rudderstack";

type Common = Pick<ClientOptions, "baseUrl" | "fetch" | "maxRetries" | "validate" | "hooks" | "transport" | "validateResponses">;
// Any vendor client: operations grouped by tag, plus raw/runtime.
export type AnyClient = Record<string, unknown> & { runtime: { spec: { slug: string } } };

export const clientFactories: Record<string, (o: Common) => AnyClient> = {
  rudderstack: (o) => createRudderStackClient({ ...o, accessToken: "rs-test-token" }) as unknown as AnyClient,
  releva: (o) => createRelevaClient({ ...o, secretKey: "releva-test-secret" }) as unknown as AnyClient,
  relay42: (o) =>
    createRelay42Client({ ...o, siteNumber: 1234, auth: { apiIdentifier: "api-id", accessToken: "relay42-test-token" } }) as unknown as AnyClient,
  contacthub: (o) =>
    createContacthubClient({ ...o, token: "ch-test-token", workspaceId: "40b8a6c4-2ea6-4c3f-a8b8-1f1b2e9d7a11" }) as unknown as AnyClient,
  "marigold-engage": (o) =>
    createMarigoldEngageClient({ ...o, apiKey: "mg-key", apiSecret: "mg-test-secret", organization: "marigold_1" }) as unknown as AnyClient,
};
