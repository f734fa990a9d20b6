/**
 * activation-kit: one entry point to every vendor client. Thin by design: each factory and type comes from
 * its vendor package; the typed errors and runtime options come from @activation-kit/core. Subpath exports
 * (`activation-kit/releva`, …) load one vendor only.
 */
export { createRelay42Client, type Relay42Client, type Relay42ClientOptions } from "@activation-kit/relay42";
export { createRudderStackClient, type RudderStackClient, type RudderStackClientOptions } from "@activation-kit/rudderstack";
export { createContacthubClient, type ContacthubClient, type ContacthubClientOptions } from "@activation-kit/contacthub";
export { createRelevaClient, type RelevaClient, type RelevaClientOptions } from "@activation-kit/releva";
export {
  createMarigoldEngageClient,
  type MarigoldEngageClient,
  type MarigoldEngageClientOptions,
} from "@activation-kit/marigold-engage";
export * from "./generated/core-surface.js";
