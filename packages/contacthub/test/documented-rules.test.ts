/**
 * The request validation is as strict as the Contacthub API 1.299.1 documentation and no stricter: requests
 * the documentation allows (including where it is silent) are sent unchanged; the rules it states are refused
 * before sending. These are the cases an audit found wrong (invented constraints, one missing rule).
 */
import { RequestValidationError } from "@activation-kit/core";
import { describe, expect, it } from "vitest";
import { client, json, NODE, rejectionOf, scriptedFetch } from "./helpers.js";

const CUSTOMER_ID = "87d8e330-2878-4742-a86f-dbbb3bf522ac";

/** A client whose fetch answers 200 `{}` and records each request body as sent. */
function recordingClient() {
  const bodies: unknown[] = [];
  const { fetch, requests } = scriptedFetch(async (req) => {
    const text = await req.text();
    bodies.push(text ? JSON.parse(text) : undefined);
    return json(200, {});
  });
  return { ch: client("http://127.0.0.1:9", { fetch, maxRetries: 0 }), requests, bodies };
}

describe("open where the documentation is silent", () => {
  it("patchCustomer accepts extended: null (the documentation types it 'object or null')", async () => {
    const { ch, bodies } = recordingClient();
    await ch.customers.patchCustomer({ path: { customerId: CUSTOMER_ID }, body: { extended: null } });
    expect(bodies).toEqual([{ extended: null }]);
  });

  it("objects inside base are open: an FCM device and a contacts field the SDKs never knew are sent as given", async () => {
    const { ch, bodies } = recordingClient();
    const base = {
      firstName: "Mario",
      contacts: { email: "mario@example.org", whatsapp: "+393331234567", mobileDevices: [{ identifier: "tok", notificationService: "FCM" }] },
      address: { city: "Milano", geo: { lat: 45.46 } },
    };
    await ch.customers.createCustomer({ body: { nodeId: NODE, base } as never });
    expect(bodies).toEqual([{ nodeId: NODE, base }]);
  });

  it("Create event accepts the documentation's own sample, which sends customerId and bringBackProperties", async () => {
    const { ch, requests } = recordingClient();
    await ch.events.createEvent({
      body: {
        customerId: CUSTOMER_ID,
        bringBackProperties: { type: "EXTERNAL_ID", value: "CRM-1", nodeId: NODE },
        type: "abandonedCart",
        properties: {},
        context: "WEB",
        contextInfo: {},
        date: "2019-08-24T14:15:22Z",
        tracking: { ga: { utm_source: "newsletter" } },
      },
    });
    expect(requests).toHaveLength(1);
  });

  it.each(["updatedAt", "updatedAt,asc", "updatedAt,desc", "updatedAt,DESC", "updatedAt,Asc"])("sort=%s is sent", async (sort) => {
    const { ch, requests } = recordingClient();
    await ch.customers.searchCustomers({ query: { nodeId: NODE, sort } });
    expect(requests[0].url.searchParams.get("sort")).toBe(sort);
  });

  it("page and size have no cap where the documentation states none (bulk jobs, customer search)", async () => {
    const { ch, requests } = recordingClient();
    await ch.bulkJobs.listBulkJobs({ path: { nodeId: NODE }, query: { page: 120, size: 500 } });
    await ch.customers.searchCustomers({ query: { nodeId: NODE, page: 51, size: 100 } });
    expect(requests).toHaveLength(2);
  });

  it("Get a workspace takes a plain-string workspaceId (no uuid format in its documentation)", async () => {
    const { ch, requests } = recordingClient();
    await ch.workspaces.getWorkspace({ path: { workspaceId: "acme-retail" } });
    expect(requests[0].url.pathname).toBe("/workspaces/acme-retail");
  });

  it("an extended-property definition may use any JSON Schema keyword", async () => {
    const { ch, bodies } = recordingClient();
    const body = {
      sku: { type: "string", label: "SKU", pattern: "^[A-Z0-9-]+$", format: "uri-reference", $comment: "catalogue code" },
      tiers: { type: "array", items: { type: "string", enum: ["gold", "silver"] }, uniqueItems: true, maxLength: 200 },
    };
    await ch.configuration.modifyCustomerExtendedProperties({ body });
    expect(bodies).toEqual([body]);
  });
});

describe("strict where the documentation states a rule", () => {
  it.each(["Javascript", "JavaScript", "MAGENTO", "ANDROID_SDK", "DOTNET_SDK"])("Create source refuses the legacy provider %s", async (provider) => {
    const { ch, requests } = recordingClient();
    const e = await rejectionOf(ch.configuration.createSource({ body: { provider, name: "Legacy", nodes: [NODE], enabled: true } }));
    expect(e).toBeInstanceOf(RequestValidationError);
    expect((e as RequestValidationError).issues).toContainEqual({
      field: "body.provider",
      rule: expect.stringMatching(/^not enum "Javascript" \| "JavaScript" \| "MAGENTO" \| /),
      message: expect.stringMatching(new RegExp(`^must not be one of .*${JSON.stringify(provider)}`)),
    });
    expect(requests).toHaveLength(0);
  });

  it("Create source still accepts API and the documentation sample's CONTACTPLAN", async () => {
    const { ch, requests } = recordingClient();
    await ch.configuration.createSource({ body: { provider: "API", name: "API", nodes: [NODE], enabled: true } });
    await ch.configuration.createSource({ body: { provider: "CONTACTPLAN", name: "Plan", nodes: [NODE], properties: {}, enabled: true } });
    expect(requests).toHaveLength(2);
  });

  it("Create event still needs customerId or bringBackProperties", async () => {
    const { ch, requests } = recordingClient();
    const e = await rejectionOf(ch.events.createEvent({ body: { type: "abandonedCart", context: "WEB", properties: {} } as never }));
    expect((e as RequestValidationError).issues).toEqual([
      expect.objectContaining({ field: "body", rule: "anyOf required customerId | bringBackProperties" }),
    ]);
    expect(requests).toHaveLength(0);
  });

  it("List nodes keeps its documented 0..50 page size", async () => {
    const { ch, requests } = recordingClient();
    const e = await rejectionOf(ch.configuration.listNodes({ query: { size: 51 } }));
    expect((e as RequestValidationError).issues).toEqual([expect.objectContaining({ field: "query.size", rule: "maximum 50" })]);
    expect(requests).toHaveLength(0);
  });

  it("customer extended-property maxLength stays within 1..6000", async () => {
    const { ch, requests } = recordingClient();
    const e = await rejectionOf(ch.configuration.modifyCustomerExtendedProperties({ body: { note: { type: "string", maxLength: 6001 } } }));
    expect((e as RequestValidationError).issues).toEqual([expect.objectContaining({ field: "body.note.maxLength", rule: "maximum 6000" })]);
    expect(requests).toHaveLength(0);
  });
});
