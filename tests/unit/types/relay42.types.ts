/** Type tests for @activation-kit/relay42 (see releva.types.ts for how they are checked). */
import {
  CircuitOpenError,
  isErrorOf,
  NotFoundError,
  type AddProfileFactsParams,
  type GetDataFeedEntryParams,
  type GetDataFeedEntryResult,
  type InteractionsRequest,
  type ParamsOf,
  type Relay42Client,
  type Relay42Error,
  type ResultOf,
} from "@activation-kit/relay42";
import { expectTypeOf } from "vitest";

declare const relay42: Relay42Client;
const profile = { path: { partnerType: 42 }, query: { partnerId: "4ccee44e-5cea-457e-a94d-fc7ed086ae6f" } } as const;

// Correct calls compile; `siteNumber` is filled from the client's configuration, so it may be left out.
await relay42.dataFeeds.getDataFeedEntry({ path: { feedPrefix: "products", itemKey: "sku-1" } });
await relay42.dataFeeds.getDataFeedEntry({ path: { siteNumber: 99, feedPrefix: "products", itemKey: "sku-1" } });
await relay42.profiles.addProfileFacts({ ...profile, body: [{ factName: "loyaltyTier", factTtl: 2592000 }] });
await relay42.profiles.addProfileInteractions({ ...profile, body: { interactions: [{ interactionType: "pageView" }] } });
await relay42.profiles.deleteProfileFacts({ ...profile, query: { ...profile.query, fact: ["loyaltyTier"] } });

// Common mistakes fail to compile.
// @ts-expect-error TS2741 missing required path parameter (itemKey)
await relay42.dataFeeds.getDataFeedEntry({ path: { feedPrefix: "products" } });
// @ts-expect-error TS2322 wrong field type (factTtl is a number of seconds)
await relay42.profiles.addProfileFacts({ ...profile, body: [{ factName: "loyaltyTier", factTtl: "30 days" }] });
// @ts-expect-error TS2561 misspelt field (factNmae)
await relay42.profiles.addProfileFacts({ ...profile, body: [{ factNmae: "loyaltyTier", factTtl: 60 }] });
// @ts-expect-error TS2345 missing required body
await relay42.profiles.addProfileFacts({ ...profile });
// @ts-expect-error TS2820 wrong enum literal (interactionType; TypeScript suggests "pageView")
await relay42.profiles.addProfileInteractions({ ...profile, body: { interactions: [{ interactionType: "pageview" }] } });
// @ts-expect-error TS2322 a JSON query parameter takes the value, not its JSON text (fact is a list of names)
await relay42.profiles.deleteProfileFacts({ ...profile, query: { ...profile.query, fact: '["loyaltyTier"]' } });

// The union of interactions is discriminated by `interactionType`.
declare const interaction: InteractionsRequest["interactions"][number];
if (interaction.interactionType === "conversion") expectTypeOf(interaction).toHaveProperty("transactionId");

// Named types at the call site.
expectTypeOf(relay42.dataFeeds.getDataFeedEntry).parameter(0).toEqualTypeOf<GetDataFeedEntryParams>();
expectTypeOf(relay42.dataFeeds.getDataFeedEntry).returns.resolves.toEqualTypeOf<GetDataFeedEntryResult>();
expectTypeOf<GetDataFeedEntryParams>().toEqualTypeOf<ParamsOf<"getDataFeedEntry">>();
expectTypeOf<GetDataFeedEntryResult>().toEqualTypeOf<ResultOf<"getDataFeedEntry">>();
expectTypeOf<AddProfileFactsParams["body"]>().toBeArray();

// Typed error bodies (the circuit error is not an API error of the operation).
declare const caught: unknown;
if (isErrorOf(caught, "getDataFeedEntry", 404)) {
  expectTypeOf(caught.body).toEqualTypeOf<Relay42Error>();
  expectTypeOf(caught.body.errorCode).toEqualTypeOf<number | undefined>();
}
if (caught instanceof NotFoundError && isErrorOf(caught, "getDataFeedEntry")) {
  expectTypeOf(caught.body).toEqualTypeOf<Relay42Error>();
}
if (caught instanceof CircuitOpenError) expectTypeOf(caught.cause.status).toBeNumber();
// @ts-expect-error TS2345 a status the operation does not document
isErrorOf(caught, "getDataFeedEntry", 409);
