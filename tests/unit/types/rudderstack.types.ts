/** Type tests for @activation-kit/rudderstack (see releva.types.ts for how they are checked). */
import {
  isErrorOf,
  NotFoundError,
  RequestValidationError,
  type DeleteUserProfilesResult,
  type ErrorMessage,
  type GetUserProfilesParams,
  type GetUserProfilesResult,
  type RudderStackClient,
  type UserProfile,
  type ValidationErrorMessage,
} from "@activation-kit/rudderstack";
import { expectTypeOf } from "vitest";

declare const rudderstack: RudderStackClient;
const lookup = { entity: "user", destinationId: "2mXYZ", id: { type: "email", value: "ana@example.com" } };

// Correct calls compile and resolve to the documented bodies.
const profile = await rudderstack.profiles.getUserProfiles({ body: lookup });
expectTypeOf(profile).toEqualTypeOf<UserProfile>();
expectTypeOf(profile.data).toEqualTypeOf<{ [key: string]: unknown }>();
const deleted = await rudderstack.profiles.deleteUserProfiles({ body: lookup });
expectTypeOf(deleted).toEqualTypeOf<DeleteUserProfilesResult>();
expectTypeOf(deleted.deletedKeys).toBeNumber();

// Common mistakes fail to compile.
// @ts-expect-error TS2741 missing required field (destinationId)
await rudderstack.profiles.getUserProfiles({ body: { entity: "user", id: { type: "email", value: "ana@example.com" } } });
// @ts-expect-error TS2322 wrong field type (id is an object)
await rudderstack.profiles.getUserProfiles({ body: { ...lookup, id: "ana@example.com" } });
// @ts-expect-error TS2561 misspelt field (destinationID)
await rudderstack.profiles.getUserProfiles({ body: { entity: "user", destinationID: "2mXYZ", id: lookup.id } });
// @ts-expect-error TS2345 missing required body
await rudderstack.profiles.getUserProfiles({});

expectTypeOf(rudderstack.profiles.getUserProfiles).parameter(0).toEqualTypeOf<GetUserProfilesParams>();
expectTypeOf(rudderstack.profiles.getUserProfiles).returns.resolves.toEqualTypeOf<GetUserProfilesResult>();

// Typed error bodies differ by status: a 400 carries `message`, the others `error`.
declare const caught: unknown;
if (isErrorOf(caught, "getUserProfiles", 400)) expectTypeOf(caught.body).toEqualTypeOf<ValidationErrorMessage>();
if (isErrorOf(caught, "getUserProfiles", 404)) expectTypeOf(caught.body).toEqualTypeOf<ErrorMessage>();
if (isErrorOf(caught, "getUserProfiles")) {
  if (caught.status === 400) expectTypeOf(caught.body).toEqualTypeOf<ValidationErrorMessage>();
  else expectTypeOf(caught.body).toEqualTypeOf<ErrorMessage>();
}
if (caught instanceof NotFoundError && isErrorOf(caught, "deleteUserProfiles", 404)) expectTypeOf(caught.body.error).toBeString();
if (caught instanceof RequestValidationError) expectTypeOf(caught.issues[0].rule).toBeString();
