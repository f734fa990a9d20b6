/**
 * Bad input never leaves the client: each case raises RequestValidationError naming the field and the rule,
 * and the recording fetch in front of the real Prism mock sees no request at all.
 */
import { RequestValidationError } from "@activation-kit/core";
import { createRelevaClient } from "@activation-kit/releva";
import { describe, expect, inject, it } from "vitest";
import { recordingFetch } from "../harness/recording-fetch.js";

function client() {
  const rec = recordingFetch();
  const releva = createRelevaClient({ secretKey: "releva-test-secret", baseUrl: `http://127.0.0.1:${inject("prismPorts").releva}`, ...rec.client });
  return { releva, rec };
}

async function rejection(p: Promise<unknown>): Promise<RequestValidationError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(RequestValidationError);
  return e as RequestValidationError;
}

describe("releva bad input", () => {
  it("a profile with neither email nor phoneNumber is rejected before sending", async () => {
    const { releva, rec } = client();
    const e = await rejection(releva.profiles.upsertProfiles({ body: { profiles: [{ profile: { firstName: "Ana" } as never }] } }));
    expect(e.issues).toEqual([
      { field: "body.profiles[0].profile", rule: "anyOf required email | phoneNumber", message: "needs at least one of: email, phoneNumber" },
    ]);
    expect(rec.exchanges).toHaveLength(0);
  });

  it('a phone number "123" breaks the pattern and is rejected before sending', async () => {
    const { releva, rec } = client();
    const e = await rejection(releva.profiles.upsertProfiles({ body: { profiles: [{ profile: { phoneNumber: "123" } }] } }));
    expect(e.issues).toEqual([
      { field: "body.profiles[0].profile.phoneNumber", rule: "pattern ^\\+[0-9]+$", message: "must match ^\\+[0-9]+$" },
    ]);
    expect(e.message).toContain("body.profiles[0].profile.phoneNumber");
    expect(rec.exchanges).toHaveLength(0);
  });

  it("what the documentation allows is sent as given: a field it does not list, a blank unsubscribeLink, subscriptions: null", async () => {
    const { rec } = client();
    const sent: string[] = [];
    const releva = createRelevaClient({
      secretKey: "releva-test-secret",
      baseUrl: `http://127.0.0.1:${inject("prismPorts").releva}`,
      fetch: async (input, init) => {
        sent.push(await new Request(input, init).clone().text());
        return rec.fetch(input, init);
      },
    });
    const profile = {
      email: "a@example.com",
      unsubscribeLink: "", // "Leave this blank if the profile is not subscribed"
      subscriptions: null, // "setting this to null has no effect"
      custom: { string: [{ key: "tier", values: ["gold"] }], number: [{ key: "visits", values: [3] }] },
      favouriteColour: "teal",
    };
    await releva.profiles.upsertProfiles({ body: { profiles: [{ profile: profile as never }] } });
    expect(rec.exchanges).toEqual([expect.objectContaining({ method: "POST", status: 202, violations: undefined })]);
    expect(JSON.parse(sent[0])).toEqual({ profiles: [{ profile }] });
  });

  it("the same rules apply to path-style calls through openapi-fetch", async () => {
    const { releva, rec } = client();
    await rejection(releva.raw.POST("/profiles", { body: { profiles: [{ profile: { phoneNumber: "123" } }] } }));
    expect(rec.exchanges).toHaveLength(0);
  });

  it("valid input is sent once and accepted by the mock", async () => {
    const { releva, rec } = client();
    await expect(
      releva.profiles.upsertProfiles({ body: { profiles: [{ profile: { phoneNumber: "+49875345976", consent: "privacyPolicy", birthday: "1986-01-17" } }] } }),
    ).resolves.toEqual({});
    expect(rec.exchanges).toEqual([expect.objectContaining({ method: "POST", status: 202, violations: undefined })]);
  });
});
