/**
 * Installing one vendor package is enough: each re-exports every error class core can throw (the same class,
 * so `instanceof` works whichever package the caller imported it from), the rate limiter a caller may share,
 * and its typed error guard. The list lives in the generator (generators/src/render-exports.mjs); this test
 * notices when core gains an error class the list does not carry.
 */
import * as contacthub from "@activation-kit/contacthub";
import * as core from "@activation-kit/core";
import * as marigold from "@activation-kit/marigold-engage";
import * as relay42 from "@activation-kit/relay42";
import * as releva from "@activation-kit/releva";
import * as rudderstack from "@activation-kit/rudderstack";
import * as facade from "activation-kit";
import { describe, expect, it } from "vitest";

const vendors = { contacthub, "marigold-engage": marigold, relay42, releva, rudderstack } as Record<string, Record<string, unknown>>;

const errorClasses = Object.entries(core as Record<string, unknown>)
  .filter(([, v]) => typeof v === "function" && (v as { prototype?: unknown }).prototype instanceof Error)
  .map(([name]) => name)
  .sort();

describe("public surface of each vendor package", () => {
  it("core has the error classes the SDK documents", () => {
    expect(errorClasses).toEqual(expect.arrayContaining(["ActivationApiError", "ActivationKitError", "NotFoundError", "RequestValidationError", "ResultCodeError"]));
  });

  for (const [slug, pkg] of Object.entries(vendors)) {
    it(`@activation-kit/${slug} re-exports every core error class, the rate limiter and isErrorOf`, () => {
      const missing = [...errorClasses, "RateLimiter"].filter((name) => pkg[name] !== (core as Record<string, unknown>)[name]);
      expect(missing).toEqual([]);
      expect(typeof pkg.isErrorOf).toBe("function");
    });
  }

  it("the facade re-exports every core error class", () => {
    const missing = errorClasses.filter((name) => (facade as Record<string, unknown>)[name] !== (core as Record<string, unknown>)[name]);
    expect(missing).toEqual([]);
  });

  it("isErrorOf matches an API error of its own operation and a documented status only", () => {
    const request = (operationId: string) => ({ method: "POST", url: "https://releva.ai/api/v0/profiles", operationId });
    const headers = new Headers();
    const badRequest = new core.BadRequestError({ status: 400, body: { message: "email or phoneNumber is required" }, headers, request: request("upsertProfiles") });
    expect(releva.isErrorOf(badRequest, "upsertProfiles")).toBe(true);
    expect(releva.isErrorOf(badRequest, "upsertProfiles", 400)).toBe(true);
    expect(releva.isErrorOf(badRequest, "upsertProfiles", 401)).toBe(false);
    // Another operation's error, a status the spec does not document, and errors that are not API errors.
    expect(rudderstack.isErrorOf(new core.BadRequestError({ status: 400, body: {}, headers, request: request("upsertProfiles") }), "getUserProfiles")).toBe(false);
    const teapot = new core.ActivationApiError({ status: 418, body: "<html>", headers, request: request("upsertProfiles") });
    expect(releva.isErrorOf(teapot, "upsertProfiles")).toBe(false);
    expect(releva.isErrorOf(new core.RequestValidationError("upsertProfiles", []), "upsertProfiles")).toBe(false);
    expect(releva.isErrorOf(new Error("x"), "upsertProfiles")).toBe(false);
    expect(releva.isErrorOf(undefined, "upsertProfiles")).toBe(false);
  });
});
