/** Type tests for @activation-kit/marigold-engage (see releva.types.ts for how they are checked). */
import {
  isErrorOf,
  isMarigoldResultCodeError,
  ResultCodeError,
  UnprocessableEntityError,
  type CreateDictionaryParams,
  type GetAbJourneyParams,
  type GetAbJourneyResult,
  type MarigoldEngageClient,
  type MarigoldEnvelope,
} from "@activation-kit/marigold-engage";
import { expectTypeOf } from "vitest";

declare const marigold: MarigoldEngageClient;

// Correct calls compile; `organization` is filled from the client's configuration. The tag "AB journey" is
// `abJourney`, as a person would type it.
const journey = await marigold.abJourney.getAbJourney({ path: { api_name: "spring_sale_ab" } });
expectTypeOf(journey).toEqualTypeOf<GetAbJourneyResult>();
await marigold.dictionary.createDictionary({ body: { api_name: "greetings", name: "Greetings", description: null } });
await marigold.singleBatchJourney.launchSingleBatchJourney({
  path: { api_name: "spring_sale" },
  body: { launch_state: "schedule", scheduling: { launch_date: "2026-04-01T09:00:00Z" } },
});
expectTypeOf(marigold).toHaveProperty("abJourney");
expectTypeOf(marigold).not.toHaveProperty("aBJourney");

// Common mistakes fail to compile.
// @ts-expect-error TS2551 the old name of the AB journey group (aBJourney)
await marigold.aBJourney.getAbJourney({ path: { api_name: "spring_sale_ab" } });
// @ts-expect-error TS2741 missing required path parameter (api_name)
await marigold.abJourney.getAbJourney({ path: {} });
// @ts-expect-error TS2322 wrong enum literal (launch_state)
await marigold.singleBatchJourney.createSingleBatchJourney({ body: { journey: { api_name: "journey_1", name: "Christmas Campaign 1", launch_state: "now" } } });
// @ts-expect-error TS2741 missing required field (name)
await marigold.dictionary.createDictionary({ body: { api_name: "greetings" } });
// @ts-expect-error TS2561 misspelt field (api_nmae)
await marigold.dictionary.createDictionary({ body: { api_nmae: "greetings", name: "Greetings" } });
// @ts-expect-error TS2322 wrong field type (tags is a list)
await marigold.dictionary.createDictionary({ body: { api_name: "greetings", name: "Greetings", tags: "news" } });

expectTypeOf(marigold.abJourney.getAbJourney).parameter(0).toEqualTypeOf<GetAbJourneyParams>();
expectTypeOf(marigold.dictionary.createDictionary).parameter(0).toEqualTypeOf<CreateDictionaryParams>();

// Typed error bodies: Marigold's error responses carry the result_code envelope.
declare const caught: unknown;
if (isErrorOf(caught, "createDictionary", 422)) {
  expectTypeOf(caught.body).toEqualTypeOf<MarigoldEnvelope>();
  expectTypeOf(caught.status).toEqualTypeOf<422>();
}
if (caught instanceof UnprocessableEntityError && isErrorOf(caught, "createDictionary")) expectTypeOf(caught.body).toEqualTypeOf<MarigoldEnvelope>();
if (caught instanceof ResultCodeError && isMarigoldResultCodeError(caught)) expectTypeOf(caught.body).toEqualTypeOf<MarigoldEnvelope>();
