/**
 * Relay42 input the API would reject is refused before sending: a RequestValidationError that names the field
 * and the rule, and no request leaves the client (the recording fetch in front of Prism sees nothing).
 */
import { RequestValidationError } from "@activation-kit/core";
import { createRelay42Client } from "@activation-kit/relay42";
import { describe, expect, inject, it } from "vitest";
import { recordingFetch } from "../harness/recording-fetch.js";

const profile = { path: { partnerType: 42 }, query: { partnerId: "4ccee44e-5cea-457e-a94d-fc7ed086ae6f" } };

function client(auth: { apiKey: string } | { apiIdentifier: string; accessToken: string } = { apiIdentifier: "api-id", accessToken: "relay42-test-token" }) {
  const rec = recordingFetch();
  const c = createRelay42Client({ baseUrl: `http://127.0.0.1:${inject("prismPorts").relay42}`, ...rec.client, siteNumber: 1234, auth });
  return { c, rec };
}

async function validationError(p: Promise<unknown>): Promise<RequestValidationError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(RequestValidationError);
  return e as RequestValidationError;
}

describe("relay42 bad input is rejected before sending", () => {
  it("factTtl 30 (minimum 60)", async () => {
    const { c, rec } = client();
    const e = await validationError(c.profiles.addProfileFacts({ ...profile, body: [{ factName: "tier", factTtl: 30 }] }));
    expect(e.operationId).toBe("addProfileFacts");
    expect(e.issues).toEqual([expect.objectContaining({ field: "body[0].factTtl", rule: "minimum 60" })]);
    expect(e.message).toContain("body[0].factTtl");
    expect(e.message).toContain("nothing was sent");
    expect(rec.exchanges).toHaveLength(0);
  });

  it("factTtl above 504,576,000 on the PUT as well", async () => {
    const { c, rec } = client();
    const e = await validationError(c.profiles.updateProfileFacts({ ...profile, body: [{ factName: "tier", factTtl: 504576001 }] }));
    expect(e.issues).toEqual([expect.objectContaining({ field: "body[0].factTtl", rule: "maximum 504576000" })]);
    expect(rec.exchanges).toHaveLength(0);
  });

  it("65 fact properties (maxProperties 64); 64 are accepted", async () => {
    const { c, rec } = client();
    const props = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, String(i)]));
    const e = await validationError(
      c.profiles.addProfileFacts({ ...profile, body: [{ factName: "ok", factTtl: 60 }, { factName: "big", factTtl: 60, properties: props(65) }] }),
    );
    expect(e.issues).toEqual([expect.objectContaining({ field: "body[1].properties", rule: "maxProperties 64" })]);
    expect(rec.exchanges).toHaveLength(0);
    await c.profiles.addProfileFacts({ ...profile, body: [{ factName: "full", factTtl: 60, properties: props(64) }] });
    expect(rec.exchanges.map((x) => x.status)).toEqual([201]);
  });

  it("fields the documentation lists without a type, and fields it does not list, are sent as given", async () => {
    const { rec } = client();
    const sent: string[] = [];
    const spy = createRelay42Client({
      baseUrl: `http://127.0.0.1:${inject("prismPorts").relay42}`,
      siteNumber: 1234,
      auth: { apiIdentifier: "api-id", accessToken: "relay42-test-token" },
      fetch: async (input, init) => {
        sent.push(await new Request(input, init).clone().text());
        return rec.fetch(input, init);
      },
    });
    const interactions = [
      // The documentation names these fields but states no type: a string value and a number value both go.
      { interactionType: "conversion", transactionId: "T-1001", value: "12.50", products: [{ sku: "sku-1001", qty: 2 }] },
      { interactionType: "sync", partnerNumber: "1001", partnerCookie: "abc-123", mergeType: "SITE" },
      // `url` is not listed for engagement: the documentation does not say it is refused, so it is not.
      { interactionType: "engagement", type: "productView", url: "https://www.example.org", variables: { price: 89.95, inStock: true } },
    ];
    await spy.profiles.addProfileInteractions({ ...profile, body: { interactions } as never });
    expect(rec.exchanges).toEqual([expect.objectContaining({ status: 201, violations: undefined })]);
    expect(JSON.parse(sent[0])).toEqual({ interactions });
  });

  it("fact properties are a map of any JSON values (the documentation says key-value map)", async () => {
    const { c, rec } = client();
    await c.profiles.addProfileFacts({ ...profile, body: [{ factName: "order", factTtl: 60, properties: { total: 89.95, paid: true, items: ["sku-1001"] } }] });
    expect(rec.exchanges).toEqual([expect.objectContaining({ status: 201, violations: undefined })]);
  });

  it("an unknown interactionType, and a wrongly typed field of the right type", async () => {
    const { c, rec } = client();
    const unknown = await validationError(
      c.profiles.updateProfileInteractions({ ...profile, body: { interactions: [{ interactionType: "click" } as never] } }),
    );
    expect(unknown.issues).toEqual([
      expect.objectContaining({
        field: "body.interactions[0].interactionType",
        rule: expect.stringMatching(/^enum "bannerView" \| "conversion" \| "engagement" .*"externalFact"$/),
      }),
    ]);
    const wrongType = await validationError(
      c.profiles.addProfileInteractions({
        ...profile,
        body: { interactions: [{ interactionType: "externalFact", type: "crm", operationType: "UPSERT" } as never] },
      }),
    );
    expect(wrongType.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: "body.interactions[0].operationType", rule: 'enum "INSERT" | "REMOVE"' })]),
    );
    expect(rec.exchanges).toHaveLength(0);
  });

  it("token mode: nothing is sent, not even the token exchange", async () => {
    const { c, rec } = client({ apiKey: "r42-api-key-0123456789abcdef" });
    await validationError(c.profiles.addProfileFacts({ ...profile, body: [{ factName: "tier", factTtl: 30 }] }));
    expect(rec.exchanges).toHaveLength(0);
  });
});
