/**
 * Contacthub helpers against the real Prism mock of specs/contacthub: a page iterator over Prism's single
 * example page, the update stream, a bulk-job upload from a CSV string (valid multipart, no violation), and
 * bad input that never leaves the client (the recording fetch sees zero exchanges).
 * Multi-page iteration, the 10,000 ceiling and resume are in packages/contacthub/test (Prism cannot serve
 * consistent pages).
 */
import { createContacthubClient } from "@activation-kit/contacthub";
import { RequestValidationError } from "@activation-kit/core";
import { describe, expect, inject, it } from "vitest";
import { recordingFetch } from "../harness/recording-fetch.js";

const NODE = "959356e3-6168-4a92-b4a5-b9d462be6177";

function client() {
  const rec = recordingFetch();
  const ch = createContacthubClient({
    token: "ch-test-token",
    workspaceId: "40b8a6c4-2ea6-4c3f-a8b8-1f1b2e9d7a11",
    baseUrl: `http://127.0.0.1:${inject("prismPorts").contacthub}`,
    ...rec.client,
    maxRetries: 0,
  });
  return { ch, rec };
}

async function rejection(p: Promise<unknown>): Promise<RequestValidationError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(RequestValidationError);
  return e as RequestValidationError;
}

const customer = () => ({ nodeId: NODE, externalId: "CRM-1", base: { firstName: "Mario", contacts: { email: "mario@example.org" } } });

describe("contacthub helpers against Prism", () => {
  it("searchCustomersAll iterates Prism's single page and stops", async () => {
    const { ch, rec } = client();
    const list = ch.customers.searchCustomersAll({ query: { nodeId: NODE, size: 20 } });
    const items = [];
    for await (const c of list) items.push(c);
    expect(items).toHaveLength(1);
    expect(items[0].base?.firstName).toBe("Mario");
    expect(list.truncated).toBe(false);
    expect(rec.exchanges).toHaveLength(1);
    expect(rec.exchanges[0].violations).toBeUndefined();
  });

  it("updates.stream() follows nextOffset and stops when the offset no longer moves", async () => {
    const { ch, rec } = client();
    const stream = ch.updates.stream({ size: 10 });
    const pages = [];
    for await (const p of stream.pages()) pages.push(p);
    expect(pages.length).toBeGreaterThanOrEqual(1);
    expect(stream.offset).toBe(pages[0].page.nextOffset);
    expect(rec.exchanges.every((e) => e.status === 200 && e.violations === undefined)).toBe(true);
  });

  it("bulkJobs.upload with a CSV string is a valid multipart createBulkJob (201, no violation)", async () => {
    const { ch, rec } = client();
    const job = await ch.bulkJobs.upload({
      nodeId: NODE,
      file: "externalId,base.firstName,base.contacts.email\n100,John,john@example.com\n",
      operation: "UPSERT",
      entity: "CUSTOMER",
    });
    expect(job.status).toBe("LOADED");
    expect(rec.exchanges).toHaveLength(1);
    expect(rec.exchanges[0]).toMatchObject({ method: "POST", status: 201 });
    expect(rec.exchanges[0].violations).toBeUndefined();
  });

  it("limitToWorkspaceThrottling reads the workspace's setting", async () => {
    const { ch, rec } = client();
    const limit = await ch.limitToWorkspaceThrottling();
    expect(limit.maxRequestsPerMinute).toBeGreaterThanOrEqual(0);
    expect(ch.runtime.rateLimiter).toBe(limit.limiter);
    expect(rec.exchanges[0].violations).toBeUndefined();
  });
});

describe("contacthub bad input never leaves the client", () => {
  it("a customer over 64 kB", async () => {
    const { ch, rec } = client();
    const e = await rejection(ch.customers.createCustomer({ body: { ...customer(), extra: "x".repeat(70_000) } }));
    expect(e.issues).toEqual([expect.objectContaining({ field: "body", rule: "maxBodyBytes 65536" })]);
    expect(rec.exchanges).toHaveLength(0);
  });

  it("a 256-character first name", async () => {
    const { ch, rec } = client();
    const e = await rejection(ch.customers.createCustomer({ body: { ...customer(), base: { firstName: "a".repeat(256) } } }));
    expect(e.issues).toEqual([expect.objectContaining({ field: "body.base.firstName", rule: "maxLength 255" })]);
    expect(rec.exchanges).toHaveLength(0);
  });

  it("an unknown event type", async () => {
    const { ch, rec } = client();
    const e = await rejection(
      ch.events.createEvent({
        body: { customerId: "497f6eca-6276-4993-bfeb-53cbbbba6f08", type: "teleported", context: "WEB", properties: {}, date: "2024-03-01T10:15:22Z" } as never,
      }),
    );
    expect(e.issues.some((i) => i.field === "body.type" && i.rule.startsWith("enum"))).toBe(true);
    expect(rec.exchanges).toHaveLength(0);
  });

  it("tags.manual over 1000 characters in total", async () => {
    const { ch, rec } = client();
    const e = await rejection(ch.customers.createCustomer({ body: { ...customer(), tags: { manual: Array.from({ length: 11 }, (_, i) => `${i}`.padEnd(100, "t")) } } }));
    expect(e.issues).toEqual([expect.objectContaining({ field: "body.tags.manual", rule: "maxTotalLength 1000" })]);
    expect(rec.exchanges).toHaveLength(0);
  });
});
