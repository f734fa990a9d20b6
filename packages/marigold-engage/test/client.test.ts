import { inspect } from "node:util";
import {
  AuthenticationError,
  BadRequestError,
  REDACTED,
  RequestValidationError,
  ResultCodeError,
} from "@activation-kit/core";
import { describe, expect, it } from "vitest";
import { isMarigoldResultCodeError, marigoldErrorsOf, transactionalItemResults, type TransactionalSendResult } from "../src/index.js";
import { mockEngage, rejection } from "./helpers.js";

const KEY = "mg-key-0001";
const SECRET = "mg-secret-0002";

/** Every place an error's text can end up in a log. */
function views(err: any): Record<string, string> {
  return {
    message: err.message,
    string: String(err),
    stack: err.stack ?? "",
    request: JSON.stringify(err.request),
    json: JSON.stringify(err),
    inspect: inspect(err, { depth: 20 }),
  };
}

function expectNoSecrets(err: unknown, secrets: string[]) {
  for (const [where, text] of Object.entries(views(err))) {
    for (const s of secrets) expect(text, `${where} leaks ${s}`).not.toContain(s);
  }
}

describe("authentication header", () => {
  it("sends X-ApiKey as key:secret built from the two options", async () => {
    const mock = await mockEngage(() => ({ body: { lockstate: "unlocked" } }));
    await expect(mock.client().content.getContentLockState({ path: { api_name: "email_1" } })).resolves.toEqual({ lockstate: "unlocked" });
    expect(mock.received).toHaveLength(1);
    expect(mock.received[0].headers["x-apikey"]).toBe(`${KEY}:${SECRET}`);
    expect(mock.received[0].path).toBe("/Portal/Api/organizations/marigold_1/content/email_1/lockstate");
  });

  it("calls key/secret functions before every request, so a rotated secret is used at once", async () => {
    const mock = await mockEngage(() => ({ body: { lockstate: "locked" } }));
    let n = 0;
    const client = mock.client({ apiKey: () => KEY, apiSecret: async () => `rotated-secret-${++n}` });
    await client.content.getContentLockState({ path: { api_name: "a" } });
    await client.content.getContentLockState({ path: { api_name: "a" } });
    expect(mock.received.map((r) => r.headers["x-apikey"])).toEqual([`${KEY}:rotated-secret-1`, `${KEY}:rotated-secret-2`]);
  });

  it("rejects a missing key, secret or organization at construction, without printing the others", async () => {
    const mock = await mockEngage(() => ({ body: {} }));
    expect(() => mock.client({ apiKey: "" })).toThrow("option `apiKey` is required");
    expect(() => mock.client({ apiSecret: undefined as never })).toThrow("option `apiSecret` is required");
    expect(() => mock.client({ organization: "" })).toThrow("option `organization` is required");
    try {
      mock.client({ apiKey: "" });
    } catch (e) {
      expect(String(e)).not.toContain(SECRET);
    }
  });
});

describe.each([
  { name: "strings", apiKey: KEY as string | (() => Promise<string>), apiSecret: SECRET as string | (() => string) },
  { name: "async/sync functions", apiKey: async () => KEY, apiSecret: () => SECRET },
])("redaction with key and secret given as $name", ({ apiKey, apiSecret }) => {
  const secrets = [`${KEY}:${SECRET}`, KEY, SECRET];

  it("a 401 whose message echoes the header, the key and the secret names none of them", async () => {
    const mock = await mockEngage(() => ({
      status: 401,
      body: { result_code: "Failed", message: `X-ApiKey '${KEY}:${SECRET}' rejected (key ${KEY}, secret ${SECRET})`, errors: [] },
    }));
    const err = await rejection(
      mock.client({ apiKey, apiSecret }).transactionalJourney.triggerTransactionalJourney({
        path: { api_name: "welcome" },
        body: { items: [{ recipient: "a@example.com", language: "en-US", data: { note: `${KEY} ${SECRET}` } }] },
      }),
    );
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(mock.received[0].headers["x-apikey"]).toBe(`${KEY}:${SECRET}`);
    expectNoSecrets(err, secrets);
    expect(err.message).toContain(REDACTED);
    expect(err.request.body).toContain(`"note":"${REDACTED} ${REDACTED}"`);
  });

  it("a 200 with result_code Failed that echoes the credentials names none of them", async () => {
    const mock = await mockEngage(() => ({ body: { result_code: "Failed", message: `bad credentials ${KEY}:${SECRET}`, errors: [] } }));
    const err = await rejection(mock.client({ apiKey, apiSecret }).content.unlockContent({ path: { api_name: "email_1" } }));
    expect(err).toBeInstanceOf(ResultCodeError);
    expectNoSecrets(err, secrets);
  });

  it("runtime.redact() scrubs the key, the secret and the combined header value", async () => {
    const mock = await mockEngage(() => ({ body: { lockstate: "locked" } }));
    const client = mock.client({ apiKey, apiSecret });
    await client.content.getContentLockState({ path: { api_name: "a" } });
    expect(client.runtime.redact(`${KEY}:${SECRET} / ${KEY} / ${SECRET}`)).toBe(`${REDACTED} / ${REDACTED} / ${REDACTED}`);
  });
});

describe("result_code envelope", () => {
  const params = { path: { api_name: "email_1" } };

  it("Succeeded returns the body", async () => {
    const mock = await mockEngage(() => ({ body: { result_code: "Succeeded", message: "unlocked", errors: [] } }));
    await expect(mock.client().content.unlockContent(params)).resolves.toEqual({ result_code: "Succeeded", message: "unlocked", errors: [] });
  });

  it("PartiallySucceeded returns the body with its errors, and every item is accounted for", async () => {
    const answer: TransactionalSendResult = {
      result_code: "PartiallySucceeded",
      errors: [{ error_code: "Failed", description: "1 of 3 messages could not be sent" }],
      response_data: [
        { recipient: "a@example.com", errors: [] },
        { recipient: "b@example.com", errors: [{ error_code: "NotFound", description: "No user found" }] },
        { recipient: "c@example.com", errors: [] },
      ],
      messages: [{ id: "11111111-1111-4111-8111-111111111111" }, { id: "33333333-3333-4333-8333-333333333333" }],
    };
    const mock = await mockEngage(() => ({ body: answer }));
    const items = ["a", "b", "c"].map((r) => ({ recipient: `${r}@example.com`, language: "en-US" }));
    const data = await mock.client().transactionalJourney.triggerTransactionalJourney({ path: { api_name: "welcome" }, body: { items } });
    expect(data).toEqual(answer);
    const outcomes = transactionalItemResults(items, data);
    expect(outcomes).toEqual([
      { index: 0, item: items[0], sgExternalId: undefined, status: "sent", messageId: "11111111-1111-4111-8111-111111111111" },
      { index: 1, item: items[1], sgExternalId: undefined, status: "failed", errors: [{ error_code: "NotFound", description: "No user found" }] },
      { index: 2, item: items[2], sgExternalId: undefined, status: "sent", messageId: "33333333-3333-4333-8333-333333333333" },
    ]);
  });

  it.each(["Failed", "ValidationFailed", "NotFound", "Conflict", "InternalServerError", "RequestEntityTooLarge"] as const)(
    "a 200 with result_code %s throws a typed error carrying the envelope",
    async (code) => {
      const envelope = { result_code: code, message: `it ${code}`, errors: [{ error_code: code, description: "details" }] };
      const mock = await mockEngage(() => ({ status: 200, body: envelope }));
      const err = await rejection(mock.client().content.unlockContent(params));
      expect(err).toBeInstanceOf(ResultCodeError);
      expect(err.status).toBe(200);
      expect(err.resultCode).toBe(code);
      expect(err.body).toEqual(envelope);
      expect(err.request.operationId).toBe("unlockContent");
      expect(err.message).toContain(`result_code ${code}: it ${code}`);
      expect(isMarigoldResultCodeError(err)).toBe(true);
      expect(isMarigoldResultCodeError(err, code)).toBe(true);
      expect(isMarigoldResultCodeError(err, "Succeeded")).toBe(false);
      expect(marigoldErrorsOf(err)).toEqual([{ error_code: code, description: "details" }]);
    },
  );

  it("a 400 envelope is a BadRequestError whose vendor errors are readable", async () => {
    const envelope = { result_code: "ValidationFailed", message: "invalid", errors: [{ error_code: "ValidationFailed", description: "api_name is required" }] };
    const mock = await mockEngage(() => ({ status: 400, body: envelope }));
    const err = await rejection(mock.client().content.unlockContent(params));
    expect(err).toBeInstanceOf(BadRequestError);
    expect(isMarigoldResultCodeError(err)).toBe(false);
    expect(marigoldErrorsOf(err)).toEqual(envelope.errors);
    expect(marigoldErrorsOf(new Error("plain"))).toEqual([]);
  });
});

describe("skip/take lists", () => {
  const names = Array.from({ length: 7 }, (_, i) => `dictionary_${i}`);

  it("listDictionariesAll walks every page with skip/take and stops on a short page", async () => {
    const mock = await mockEngage((r) => {
      const skip = Number(r.query.get("skip") ?? 0);
      const take = Number(r.query.get("take") ?? 0);
      return { body: { dictionaries: names.slice(skip, skip + take).map((api_name) => ({ api_name })) } };
    });
    const seen: string[] = [];
    for await (const d of mock.client().dictionary.listDictionariesAll({ query: { take: 3, search: "dict" } })) seen.push(d.api_name!);
    expect(seen).toEqual(names);
    expect(mock.received.map((r) => `${r.query.get("skip") ?? "-"}/${r.query.get("take")}/${r.query.get("search")}`)).toEqual([
      "-/3/dict",
      "3/3/dict",
      "6/3/dict",
    ]);
  });

  it("listDictionaryLabelsAll pages the labels of one dictionary", async () => {
    const labels = ["a", "b", "c", "d"].map((label) => ({ label, translations: { EN: label.toUpperCase() } }));
    const mock = await mockEngage((r) => {
      const skip = Number(r.query.get("skip") ?? 0);
      return { body: { labels: labels.slice(skip, skip + 2) } };
    });
    const pages: number[] = [];
    for await (const p of mock.client().dictionaryLabels.listDictionaryLabelsAll({ path: { api_name: "dictionary_1" }, query: { take: 2 } }).pages()) {
      pages.push(p.items.length);
    }
    expect(pages).toEqual([2, 2]);
    expect(mock.received.map((r) => r.path)).toEqual(Array(3).fill("/Portal/Api/organizations/marigold_1/dictionaries/dictionary_1/labels"));
  });
});

describe("bad input is rejected before sending", () => {
  const properties = { name: "Holiday", api_name: "holiday_1", languages: ["EN"], audience_api_name: "audience_1" };

  it("a transactional item without recipient", async () => {
    const mock = await mockEngage(() => ({ body: {} }));
    const err = await rejection(
      mock.client().transactionalJourney.triggerTransactionalJourney({
        path: { api_name: "welcome" },
        body: { items: [{ recipient: "a@example.com", language: "en-US" }, { language: "en-US" } as never] },
      }),
    );
    expect(err).toBeInstanceOf(RequestValidationError);
    expect(err.issues).toEqual([{ field: "body.items[1].recipient", rule: "required", message: "is required" }]);
    expect(mock.received).toHaveLength(0);
  });

  it("an MMS with media_type IMAGE and no media_url", async () => {
    const mock = await mockEngage(() => ({ body: {} }));
    const err = await rejection(mock.client().content.createMmsContent({ body: { properties, content: { EN: { text: "Hi", media_type: "IMAGE" } } } }));
    expect(err).toBeInstanceOf(RequestValidationError);
    expect(err.issues[0]).toEqual({ field: "body.content.EN.media_url", rule: "required", message: "is required" });
    expect(err.message).toContain("body.content.EN.media_url");
    expect(mock.received).toHaveLength(0);
  });

  it("an MMS with media_type NONE needs no media_url and is sent", async () => {
    const mock = await mockEngage(() => ({ body: { result_code: "Succeeded", errors: [] } }));
    await mock.client().content.createMmsContent({ body: { properties, content: { EN: { text: "Hi", media_type: "NONE" } } } });
    expect(mock.received).toHaveLength(1);
  });

  it("a mobile push with an unknown distribution_type", async () => {
    const mock = await mockEngage(() => ({ body: {} }));
    const err = await rejection(
      mock.client().content.createMobilePushContent({
        body: { properties, mobile_properties: { distribution_type: "Carrier" as never, custom_in_app_content: false }, content: { EN: [] } },
      }),
    );
    expect(err).toBeInstanceOf(RequestValidationError);
    expect(err.issues).toEqual([
      expect.objectContaining({ field: "body.mobile_properties.distribution_type", rule: 'enum "Unknown" | "MobilePushAndInApp" | "InApp" | "InAppIfPushUnavailable" | "MobilePush"' }),
    ]);
    expect(mock.received).toHaveLength(0);
  });
});
