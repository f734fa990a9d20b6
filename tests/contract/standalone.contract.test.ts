/**
 * The standalone functions (`@activation-kit/<vendor>/standalone`) against the same Prism mocks as the clients:
 * each vendor's core client calls an operation by function, gets the same body as the client's method,
 * refuses bad input before sending, and gives `.withResponse()` metadata.
 */
import { RequestValidationError } from "@activation-kit/core";
import { createContacthubCore, getCustomer } from "@activation-kit/contacthub/standalone";
import { createMarigoldEngageCore, getContent } from "@activation-kit/marigold-engage/standalone";
import { createRelay42Core, getProfileFacts } from "@activation-kit/relay42/standalone";
import { createRelevaCore, upsertProfiles } from "@activation-kit/releva/standalone";
import { createRudderStackCore, getUserProfiles } from "@activation-kit/rudderstack/standalone";
import { describe, expect, inject, it } from "vitest";
import { recordingFetch } from "../harness/recording-fetch.js";
import { clientFactories } from "../harness/vendors.js";

const url = (slug: string) => `http://127.0.0.1:${inject("prismPorts")[slug]}`;

describe("standalone functions", () => {
  it("Releva: upsertProfiles(core, …) resolves like the client method, with response metadata", async () => {
    const rec = recordingFetch();
    const core = createRelevaCore({ secretKey: "releva-test-secret", baseUrl: url("releva"), ...rec.client });
    const body = { profiles: [{ profile: { email: "ana@example.com" } }] };
    const { data, response, attempts } = await upsertProfiles(core, { body }).withResponse();
    const viaClient = await (clientFactories.releva({ baseUrl: url("releva") }) as any).profiles.upsertProfiles({ body });
    expect(data).toEqual(viaClient);
    expect(response.status).toBe(202);
    expect(attempts).toBe(1);
    expect(rec.exchanges).toHaveLength(1);
  });

  it("Releva: bad input is refused before sending", async () => {
    const rec = recordingFetch();
    const core = createRelevaCore({ secretKey: "releva-test-secret", baseUrl: url("releva"), ...rec.client });
    const err = await upsertProfiles(core, { body: { profiles: [{ profile: { phoneNumber: "0888" } }] } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestValidationError);
    expect(rec.exchanges).toHaveLength(0);
  });

  it("every vendor: one operation through its core client reaches the mock; the answer matches the documented schema", async () => {
    const rudderstack = createRudderStackCore({ accessToken: "rs-test-token", baseUrl: url("rudderstack"), validateResponses: "throw" });
    expect(await getUserProfiles(rudderstack, { body: { entity: "user", destinationId: "dest-1", id: { type: "email", value: "ana@example.com" } } })).toHaveProperty("entity");
    const relay42 = createRelay42Core({ siteNumber: 1234, auth: { apiIdentifier: "api-id", accessToken: "relay42-test-token" }, baseUrl: url("relay42"), validateResponses: "throw" });
    expect(Array.isArray(await getProfileFacts(relay42, { path: { partnerType: 42 }, query: { partnerId: "p-1" } }))).toBe(true);
    const contacthub = createContacthubCore({ token: "ch-test-token", workspaceId: "40b8a6c4-2ea6-4c3f-a8b8-1f1b2e9d7a11", baseUrl: url("contacthub"), validateResponses: "throw" });
    expect(await getCustomer(contacthub, { path: { customerId: "4f5b2a1c-8d3e-4b6a-9c7d-1e2f3a4b5c6d" } })).toHaveProperty("id");
    const marigold = createMarigoldEngageCore({ apiKey: "mg-key", apiSecret: "mg-test-secret", organization: "marigold_1", baseUrl: url("marigold-engage"), validateResponses: "throw" });
    expect(await getContent(marigold, { path: { api_name: "welcome_email" } })).toBeTypeOf("object");
  });
});
