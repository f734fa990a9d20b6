/**
 * Type tests for @activation-kit/releva, compiled by `tsc` in the tests' typecheck (never executed). Each
 * `@ts-expect-error` line carries the TypeScript error code it must fail with; unit/type-tests.test.ts checks
 * that the code is the one reported, so a line cannot pass by failing for another reason.
 */
import {
  AuthenticationError,
  isErrorOf,
  RequestValidationError,
  type ErrorBodyOf,
  type ErrorMessage,
  type ParamsOf,
  type Profile,
  type RelevaClient,
  type ResultOf,
  type UpsertProfilesParams,
  type UpsertProfilesResult,
} from "@activation-kit/releva";
import { expectTypeOf } from "vitest";

declare const releva: RelevaClient;

// Correct calls compile: email only, phone only, both, every optional field.
await releva.profiles.upsertProfiles({ body: { profiles: [{ profile: { email: "ana@example.com" } }] } });
await releva.profiles.upsertProfiles({ body: { profiles: [{ profile: { phoneNumber: "+359888123456", consent: "privacyPolicy" } }] } });
await releva.profiles.upsertProfiles({
  body: {
    profiles: [
      {
        profile: {
          email: "ana@example.com",
          phoneNumber: "+359888123456",
          firstName: "Ana",
          custom: { string: [{ key: "tier", values: ["gold"] }] },
          location: { lat: 42.7, lon: 23.3 },
          subscriptions: ["news"],
        },
        subscribedAtChanged: true,
      },
    ],
  },
});

// Profile is a real type: shared fields & (email required | phoneNumber required).
expectTypeOf<Profile>().not.toBeUnknown();
expectTypeOf<{ email: string }>().toExtend<Profile>();
expectTypeOf<{ phoneNumber: string }>().toExtend<Profile>();
expectTypeOf<{ firstName: string }>().not.toExtend<Profile>();

// Common mistakes fail to compile.
// @ts-expect-error TS2322 wrong field type (email is a string)
await releva.profiles.upsertProfiles({ body: { profiles: [{ profile: { email: 42 } }] } });
// @ts-expect-error TS2561 misspelt field (firstNmae) in an object literal
await releva.profiles.upsertProfiles({ body: { profiles: [{ profile: { email: "ana@example.com", firstNmae: "Ana" } }] } });
// @ts-expect-error TS2322 neither email nor phoneNumber
await releva.profiles.upsertProfiles({ body: { profiles: [{ profile: { firstName: "Ana" } }] } });
// @ts-expect-error TS2345 missing required body
await releva.profiles.upsertProfiles({});
// @ts-expect-error TS2554 missing params altogether
await releva.profiles.upsertProfiles();
// @ts-expect-error TS2322 wrong enum literal
await releva.profiles.upsertProfiles({ body: { profiles: [{ profile: { email: "ana@example.com", consent: "yes" } }] } });

// The escape hatch for a field the spec does not list: an object built beforehand is not checked for excess
// properties (the client validates it and sends it as it is).
const withVendorField = { email: "ana@example.com", vendorBetaField: true };
await releva.profiles.upsertProfiles({ body: { profiles: [{ profile: withVendorField }] } });

// Named types at the call site, identical to ParamsOf/ResultOf.
expectTypeOf(releva.profiles.upsertProfiles).parameter(0).toEqualTypeOf<UpsertProfilesParams>();
expectTypeOf(releva.profiles.upsertProfiles).returns.resolves.toEqualTypeOf<UpsertProfilesResult>();
expectTypeOf<UpsertProfilesParams>().toEqualTypeOf<ParamsOf<"upsertProfiles">>();
expectTypeOf<UpsertProfilesResult>().toEqualTypeOf<ResultOf<"upsertProfiles">>();

// Typed error bodies.
declare const caught: unknown;
if (isErrorOf(caught, "upsertProfiles", 400)) {
  expectTypeOf(caught.status).toEqualTypeOf<400>();
  expectTypeOf(caught.body).toEqualTypeOf<ErrorMessage>();
  expectTypeOf(caught.body.message).toBeString();
}
if (isErrorOf(caught, "upsertProfiles")) {
  expectTypeOf(caught.status).toEqualTypeOf<400 | 401 | 403 | 404 | 429 | 500 | 503>();
  expectTypeOf(caught.body).toEqualTypeOf<ErrorBodyOf<"upsertProfiles">>();
}
if (caught instanceof AuthenticationError && isErrorOf(caught, "upsertProfiles", 401)) {
  expectTypeOf(caught.body).toEqualTypeOf<ErrorMessage>();
}
// @ts-expect-error TS2345 a status the operation does not document
isErrorOf(caught, "upsertProfiles", 418);
// @ts-expect-error TS2345 an operation the spec does not have
isErrorOf(caught, "upsertProfile");

// Everything a README uses comes from this one package.
expectTypeOf<RequestValidationError["issues"][number]["field"]>().toBeString();
