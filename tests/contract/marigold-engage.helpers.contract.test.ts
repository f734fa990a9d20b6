/**
 * Marigold Engage helpers against the real Prism mock of specs/marigold-engage, using the spec's own examples:
 * the `PartiallySucceeded` send answer keeps every item accounted for, the chunked sender merges per-recipient
 * outcomes, status polling stops on the example's final status, skip/take lists iterate, and bad input never
 * leaves the client (the recording fetch sees zero exchanges).
 */
import { ActivationApiError, RequestValidationError } from "@activation-kit/core";
import {
  createMarigoldEngageClient,
  sendTransactional,
  transactionalItemResults,
  waitForTransactionalStatus,
  type TransactionalSendItem,
} from "@activation-kit/marigold-engage";
import { describe, expect, inject, it } from "vitest";
import { recordingFetch } from "../harness/recording-fetch.js";
import { loadSpec } from "../harness/spec.js";

const spec = loadSpec("marigold-engage");
const op = (id: string) => spec.operations.find((o) => o.operationId === id)!;
/** The request body example of an operation, straight from the bundled spec. */
const sendExample = op("triggerTransactionalJourney").op.requestBody.content["application/json"].example as { items: TransactionalSendItem[] };

function client() {
  const rec = recordingFetch();
  const marigold = createMarigoldEngageClient({
    apiKey: "mg-key",
    apiSecret: "mg-test-secret",
    organization: "marigold_1",
    baseUrl: `http://127.0.0.1:${inject("prismPorts")["marigold-engage"]}`,
    ...rec.client,
    maxRetries: 0,
  });
  return { marigold, rec };
}

describe("marigold-engage helpers against Prism", () => {
  it("PartiallySucceeded (the spec's example) resolves with per-item errors and every item accounted for", async () => {
    const { marigold, rec } = client();
    const data = await marigold.transactionalJourney.triggerTransactionalJourney({ path: { api_name: "newsletter_1" }, body: sendExample });
    expect(data.result_code).toBe("PartiallySucceeded");
    expect(rec.exchanges).toEqual([expect.objectContaining({ method: "POST", status: 200, violations: undefined })]);
    const outcomes = transactionalItemResults(sendExample.items, data);
    expect(outcomes).toHaveLength(sendExample.items.length);
    expect(outcomes.map((o) => [o.index, o.status])).toEqual([
      [0, "sent"],
      [1, "failed"],
    ]);
    expect(outcomes[0]).toMatchObject({ messageId: "e82d48e6-f083-4a88-a842-524b3d8992de", sgExternalId: sendExample.items[0].sg_external_id });
    expect(outcomes[1]).toMatchObject({ errors: [{ error_code: "NotFound", description: "No user found for recipient 'jane.doe@doe.com'" }] });
  });

  it("sendTransactional splits the example's recipients into one request each and merges the outcomes in input order", async () => {
    const { marigold, rec } = client();
    const report = await sendTransactional(marigold, { journey: "newsletter_1", items: sendExample.items, chunkSize: 1 });
    expect(rec.exchanges).toHaveLength(2);
    expect(rec.exchanges.map((e) => e.violations)).toEqual([undefined, undefined]);
    // Prism answers each request with the two-item example; items are matched back by sg_external_id.
    expect(report.recipients.map((r) => [r.index, r.item.recipient, r.status])).toEqual([
      [0, "john.doe@doe.com", "sent"],
      [1, "jane.doe@doe.com", "failed"],
    ]);
    expect(report.counts).toEqual({ sent: 1, failed: 1, unknown: 0, skipped: 0 });
  });

  it("the bulk journey's PartiallySucceeded answer resolves with its errors", async () => {
    const { marigold } = client();
    await expect(marigold.transactionalBulkJourney.triggerTransactionalBulkJourney({ path: { api_name: "newsletter_1" } })).resolves.toEqual({
      result_code: "PartiallySucceeded",
      errors: [{ error_code: "Failed", description: "an error has occurred" }],
    });
  });

  it("waitForTransactionalStatus stops once the status endpoints report the example's final status (30)", async () => {
    const { marigold, rec } = client();
    const id = "7aba31fe-490c-46f0-bd5e-82a0bc5648fc";
    const many = await waitForTransactionalStatus(marigold, { ids: [id], sgExternalIds: ["c1379533-b642-48ee-968a-b952c042ed94"] });
    expect(many).toMatchObject({ done: true, attempts: 1, statuses: [{ id, status: 30 }] });
    const one = await waitForTransactionalStatus(marigold, { ids: [id] });
    expect(one).toMatchObject({ done: true, attempts: 1 });
    expect(rec.exchanges.map((e) => `${e.method} ${e.status} ${e.violations ?? ""}`)).toEqual(["POST 200 ", "GET 200 "]);
  });

  it("listDictionariesAll iterates a skip/take list", async () => {
    const { marigold, rec } = client();
    const all = [];
    for await (const d of marigold.dictionary.listDictionariesAll({ query: { take: 50 } })) all.push(d);
    expect(all).toEqual([{ api_name: "dictionary_1" }]);
    expect(rec.exchanges).toHaveLength(1);
  });
});

describe("marigold-engage bad input never reaches Prism", () => {
  const properties = { name: "Holiday", api_name: "holiday_1", languages: ["EN"], audience_api_name: "audience_1" };

  async function rejection(p: Promise<unknown>): Promise<RequestValidationError> {
    const e = await p.then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(RequestValidationError);
    return e as RequestValidationError;
  }

  it("a send item without recipient (also through sendTransactional, for any chunk)", async () => {
    const { marigold, rec } = client();
    const items = [sendExample.items[0], { language: "en-US" } as TransactionalSendItem];
    const direct = await rejection(marigold.transactionalJourney.triggerTransactionalJourney({ path: { api_name: "newsletter_1" }, body: { items } }));
    expect(direct.issues).toEqual([{ field: "body.items[1].recipient", rule: "required", message: "is required" }]);
    const batched = await rejection(sendTransactional(marigold, { journey: "newsletter_1", items, chunkSize: 1 }));
    expect(batched.issues).toEqual([{ field: "body.items[1].recipient", rule: "required", message: "is required" }]);
    expect(rec.exchanges).toHaveLength(0);
  });

  it("an MMS with media_type IMAGE and no media_url", async () => {
    const { marigold, rec } = client();
    const e = await rejection(marigold.content.createMmsContent({ body: { properties, content: { EN: { text: "Hi", media_type: "IMAGE" } } } }));
    expect(e.issues[0]).toEqual({ field: "body.content.EN.media_url", rule: "required", message: "is required" });
    expect(rec.exchanges).toHaveLength(0);
  });

  it("a mobile push with an unknown distribution_type", async () => {
    const { marigold, rec } = client();
    const e = await rejection(
      marigold.content.createMobilePushContent({
        body: { properties, mobile_properties: { distribution_type: "Carrier" as never, custom_in_app_content: false }, content: { EN: [] } },
      }),
    );
    expect(e.issues).toEqual([expect.objectContaining({ field: "body.mobile_properties.distribution_type", rule: expect.stringMatching(/^enum "Unknown" \|/) })]);
    expect(rec.exchanges).toHaveLength(0);
  });

  it("the same MMS with its media_url is accepted by the mock", async () => {
    const { marigold, rec } = client();
    await marigold.content.createMmsContent({
      body: { properties, content: { EN: { text: "Hi", media_type: "IMAGE", media_url: "https://cdn.example.com/holiday.png" } } },
    });
    expect(rec.exchanges).toEqual([expect.objectContaining({ status: 201, violations: undefined })]);
  });

  it("the mock enforces the same MMS rule when client-side validation is turned off", async () => {
    const { marigold, rec } = client();
    const e = await marigold.content
      .createMmsContent({ body: { properties, content: { EN: { text: "Hi", media_type: "IMAGE" } } } }, { validate: false })
      .then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(ActivationApiError);
    expect(rec.exchanges).toHaveLength(1);
    expect(rec.exchanges[0].status).toBe(422);
    expect(rec.exchanges[0].violations).toContain("media_url");
  });
});
