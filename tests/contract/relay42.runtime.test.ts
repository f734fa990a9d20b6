/**
 * Relay42's runtime policy against a real Prism mock of specs/relay42: the circuit on 401/403 (basic and token
 * mode), 400/404 errors that carry the request for the caller to store, the cost-counting limiter, the token
 * flow through the generated client, and the overlapping journey-orchestration routes.
 */
import {
  AuthenticationError,
  BadRequestError,
  CircuitOpenError,
  NotFoundError,
  PermissionDeniedError,
} from "@activation-kit/core";
import { createRelay42Client, type Relay42ClientOptions } from "@activation-kit/relay42";
import { describe, expect, inject, it } from "vitest";
import { recordingFetch } from "../harness/recording-fetch.js";
import { loadSpec } from "../harness/spec.js";

const spec = loadSpec("relay42");
const API_ID = "api-id";
const ACCESS_TOKEN = "relay42-contract-access-token";
const API_KEY = "r42-api-key-0123456789abcdef";
const PARTNER_ID = "4ccee44e-5cea-457e-a94d-fc7ed086ae6f";

function client(extra: Partial<Relay42ClientOptions> = {}) {
  const rec = recordingFetch();
  const baseUrl = `http://127.0.0.1:${inject("prismPorts").relay42}`;
  const c = createRelay42Client({
    baseUrl,
    ...rec.client,
    maxRetries: 0,
    siteNumber: 1234,
    auth: { apiIdentifier: API_ID, accessToken: ACCESS_TOKEN },
    ...extra,
  });
  return { c, rec, baseUrl };
}

const facts: { factName: string; factTtl: number; properties?: Record<string, string> }[] = [
  { factName: "loyaltyTier", factTtl: 2592000, properties: { tier: "gold" } },
  { factName: "newsletter", factTtl: 86400, properties: { optIn: "true" } },
];
const profile = { path: { partnerType: 42 }, query: { partnerId: PARTNER_ID } };
const prefer = (code: number) => ({ headers: { prefer: `code=${code}` } });
const pathOf = (url: string) => new URL(url).pathname;

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => e,
  );
}

function successExample(operationId: string): unknown {
  const o = spec.operations.find((x) => x.operationId === operationId)!;
  const status = String(o.successStatuses[0]);
  return Object.values<{ example?: unknown }>(o.op.responses[status].content ?? {})[0]?.example;
}

describe("relay42 circuit: 401/403 halt the client until resetCircuit()", () => {
  it.each([
    [401, AuthenticationError],
    [403, PermissionDeniedError],
  ] as const)("a %i opens the circuit; later calls fail fast with CircuitOpenError and send nothing", async (status, ErrorClass) => {
    const { c, rec } = client();
    const first = await rejection(c.profiles.getProfileFacts(profile, prefer(status)));
    expect(first).toBeInstanceOf(ErrorClass);
    expect(rec.exchanges.map((e) => e.status)).toEqual([status]); // never retried
    expect(c.runtime.circuitOpenedBy).toMatchObject({ status, request: { operationId: "getProfileFacts" } });

    for (const call of [
      () => c.profiles.getProfileFacts(profile),
      () => c.profiles.addProfileFacts({ ...profile, body: facts }),
      () => c.dataFeeds.getDataFeedEntry({ path: { feedPrefix: "products", itemKey: "sku-1001" } }),
    ]) {
      const blocked = await rejection(call());
      expect(blocked).toBeInstanceOf(CircuitOpenError);
      expect((blocked as CircuitOpenError).cause).toBe(c.runtime.circuitOpenedBy);
      expect((blocked as CircuitOpenError).message).toMatch(/resetCircuit/);
    }
    expect(rec.exchanges).toHaveLength(1); // nothing reached the API while open

    c.resetCircuit();
    expect(c.runtime.circuitOpenedBy).toBeUndefined();
    await expect(c.profiles.getProfileFacts(profile)).resolves.toEqual(successExample("getProfileFacts"));
    expect(rec.exchanges.map((e) => e.status)).toEqual([status, 200]);
  });

  it("token mode: a 401 triggers one token refresh and one retry; only then does the circuit open", async () => {
    const { c, rec } = client({ auth: { apiKey: API_KEY } });
    const error = await rejection(c.profiles.getProfileFacts(profile, prefer(401)));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(rec.exchanges.map((e) => `${e.method} ${pathOf(e.url)} ${e.status}`)).toEqual([
      "POST /users/authenticate 200",
      "POST /users/token 200",
      "GET /v1/site-1234/profiles/42/facts 401",
      "POST /users/token 200", // the one refresh
      "GET /v1/site-1234/profiles/42/facts 401", // the one retry
    ]);
    expect(rec.exchanges.map((e) => e.violations).filter(Boolean)).toEqual([]);
    expect(c.runtime.circuitOpenedBy).toMatchObject({ status: 401, request: { operationId: "getProfileFacts" } });
    await expect(c.profiles.getProfileFacts(profile)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(rec.exchanges).toHaveLength(5);
    c.resetCircuit();
    await expect(c.profiles.getProfileFacts(profile)).resolves.toEqual(successExample("getProfileFacts"));
    expect(rec.exchanges).toHaveLength(6); // the held token is reused: no new exchange
  });

  it("token mode: a 403 is not a token problem: no refresh, circuit opens at once", async () => {
    const { c, rec } = client({ auth: { apiKey: API_KEY } });
    await expect(c.profiles.getProfileFacts(profile, prefer(403))).rejects.toBeInstanceOf(PermissionDeniedError);
    expect(rec.exchanges.map((e) => `${pathOf(e.url)} ${e.status}`)).toEqual([
      "/users/authenticate 200",
      "/users/token 200",
      "/v1/site-1234/profiles/42/facts 403",
    ]);
    expect(c.runtime.circuitOpenedBy?.status).toBe(403);
  });
});

describe("relay42 400/404: typed errors that carry the request to store", () => {
  it("400 on a POST carries method, URL without credentials and the exact body", async () => {
    const { c, rec, baseUrl } = client();
    const error = (await rejection(c.profiles.addProfileFacts({ ...profile, body: facts }, prefer(400)))) as BadRequestError;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.status).toBe(400);
    expect(error.body).toEqual({ errorCode: 400, message: "Invalid request body" });
    expect(error.request).toEqual({
      method: "POST",
      url: `${baseUrl}/v1/site-1234/profiles/42/facts?partnerId=${PARTNER_ID}`,
      body: JSON.stringify(facts),
      operationId: "addProfileFacts",
    });
    // The record is ignored and the process goes on: no retry, no circuit.
    expect(rec.exchanges).toHaveLength(1);
    expect(c.runtime.circuitOpenedBy).toBeUndefined();
    const dump = JSON.stringify({ error, request: error.request, message: error.message, stack: error.stack });
    expect(dump).not.toContain(ACCESS_TOKEN);
    expect(dump).not.toContain(Buffer.from(`${API_ID}:${ACCESS_TOKEN}`).toString("base64"));
    // Still usable afterwards.
    await expect(c.profiles.getProfileFacts(profile)).resolves.toBeDefined();
  });

  it("404 on a GET and a DELETE carries the request (no body) and leaves the client usable", async () => {
    const { c, rec, baseUrl } = client();
    const get = (await rejection(c.profiles.getProfileSegment({ ...profile, path: { partnerType: 42, segmentName: "vip" } }, prefer(404)))) as NotFoundError;
    expect(get).toBeInstanceOf(NotFoundError);
    expect(get.request).toEqual({
      method: "GET",
      url: `${baseUrl}/v1/site-1234/profiles/42/segments/vip?partnerId=${PARTNER_ID}`,
      body: undefined,
      operationId: "getProfileSegment",
    });
    const del = (await rejection(c.dataFeeds.deleteDataFeedEntry({ path: { feedPrefix: "products", itemKey: "sku 1/2" } }, prefer(404)))) as NotFoundError;
    expect(del).toBeInstanceOf(NotFoundError);
    expect(del.request.method).toBe("DELETE");
    expect(del.request.url).toBe(`${baseUrl}/v1/site-1234/datafeeds/products/entries/sku%201%2F2`);
    expect(del.message).toContain("404 from DELETE");
    expect(rec.exchanges.map((e) => e.status)).toEqual([404, 404]);
    expect(c.runtime.circuitOpenedBy).toBeUndefined();
  });

  it("token mode: the stored request of a 400 holds no token", async () => {
    const { c } = client({ auth: { apiKey: API_KEY } });
    const error = (await rejection(c.profiles.addProfileFacts({ ...profile, body: facts }, prefer(400)))) as BadRequestError;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.request.body).toBe(JSON.stringify(facts));
    const tokenExample = successExample("createAccessToken") as { token: string };
    const refreshExample = successExample("authenticateUser") as { refreshToken: string };
    const dump = JSON.stringify({ error, request: error.request, message: error.message, stack: error.stack });
    for (const secret of [API_KEY, tokenExample.token, refreshExample.refreshToken]) expect(dump).not.toContain(secret);
  });
});

describe("relay42 rate-limit cost (client-side limiter)", () => {
  it("a GET spends 1 unit, a POST with 2 facts 3, interactions 1 + N", async () => {
    const { c, rec } = client({ rateLimit: { perSecond: 1000, burst: 1000 } });
    const limiter = c.runtime.rateLimiter!;
    expect(limiter.spent).toBe(0);
    await c.profiles.addProfileFacts({ ...profile, body: facts });
    expect(limiter.spent).toBe(3);
    await c.profiles.getProfileFacts(profile);
    expect(limiter.spent).toBe(4);
    await c.profiles.addProfileInteractions({
      ...profile,
      body: {
        interactions: [
          { interactionType: "pageView", url: "https://www.example.org/a" },
          { interactionType: "engagement", type: "productView" },
          { interactionType: "conversion", transactionId: "t-1", value: 10 },
        ],
      },
    });
    expect(limiter.spent).toBe(8);
    await c.dataFeeds.deleteDataFeedEntry({ path: { feedPrefix: "products", itemKey: "sku-1001" } });
    expect(limiter.spent).toBe(9);
    expect(rec.exchanges.map((e) => e.violations).filter(Boolean)).toEqual([]);
    expect(rec.exchanges).toHaveLength(4);
  });

  it("token exchanges are requests too and cost 1 each", async () => {
    const { c } = client({ auth: { apiKey: API_KEY }, rateLimit: { perSecond: 1000 } });
    await c.profiles.getProfileFacts(profile);
    expect(c.runtime.rateLimiter!.spent).toBe(3); // authenticate + token + GET
  });
});

describe("relay42 token flow through the generated client", () => {
  it("exchanges the API key, then the refresh token, then sends the bearer token; later calls reuse it", async () => {
    const { c, rec } = client({ auth: { apiKey: API_KEY } });
    await expect(c.profiles.getProfileFacts(profile)).resolves.toEqual(successExample("getProfileFacts"));
    await expect(c.profiles.getProfileId(profile)).resolves.toEqual(successExample("getProfileId"));
    expect(rec.exchanges.map((e) => `${e.method} ${pathOf(e.url)} ${e.status}`)).toEqual([
      "POST /users/authenticate 200",
      "POST /users/token 200",
      "GET /v1/site-1234/profiles/42/facts 200",
      "GET /v1/site-1234/profiles/42/profileId 200",
    ]);
    expect(rec.exchanges.map((e) => e.violations).filter(Boolean)).toEqual([]);
    const held = c.tokenSession!.state;
    expect(held.accessTokenRenewAt).toBeTypeOf("number");
    expect(held.refreshTokenRenewAt).toBeTypeOf("number");
  });

  it("concurrent first calls share one token fetch", async () => {
    const { c, rec } = client({ auth: { apiKey: API_KEY } });
    await Promise.all(Array.from({ length: 6 }, () => c.profiles.getProfileFacts(profile)));
    const paths = rec.exchanges.map((e) => pathOf(e.url));
    expect(paths.filter((p) => p === "/users/authenticate")).toHaveLength(1);
    expect(paths.filter((p) => p === "/users/token")).toHaveLength(1);
    expect(paths.filter((p) => p.endsWith("/facts"))).toHaveLength(6);
  });
});

describe("relay42 overlapping routes: the generated client sends the literal path and Prism routes it", () => {
  it("getJourneyVariables → /journeyorchestration/variables, getJourneysAndSteps → /journeyorchestration/{partnerType}", async () => {
    const { c, rec, baseUrl } = client();
    const variables = await c.journeyOrchestration.getJourneyVariables({ query: { partnerType: 42, partnerId: PARTNER_ID } });
    const journeys = await c.journeyOrchestration.getJourneysAndSteps({ path: { partnerType: 42 }, query: { partnerId: PARTNER_ID } });
    expect(rec.exchanges.map((e) => `${e.method} ${e.url}`)).toEqual([
      `GET ${baseUrl}/v1/site-1234/journeyorchestration/variables?partnerType=42&partnerId=${PARTNER_ID}`,
      `GET ${baseUrl}/v1/site-1234/journeyorchestration/42?partnerId=${PARTNER_ID}`,
    ]);
    expect(rec.exchanges.map((e) => e.violations).filter(Boolean)).toEqual([]);
    expect(variables).toEqual(successExample("getJourneyVariables"));
    expect(journeys).toEqual(successExample("getJourneysAndSteps"));
    expect(variables).not.toEqual(journeys);
  });

  it("activateConnector → POST …/{partnerType}/mappings/activate, getJourneyStep → GET …/{journeyId}/{partnerType}", async () => {
    const { c, rec, baseUrl } = client();
    const journeyId = "3f9a2c71-0b8e-4c55-9d1a-6e2f4b7c8d90";
    const activated = await c.journeyOrchestration.activateConnector({
      path: { partnerType: 42 },
      query: { partnerId: PARTNER_ID },
      body: { connectorId: "5b7e2a19-4c3d-4f8e-9a61-0d2c8b7e4f13", journeyFilters: [{ journeyId }] },
    });
    const step = await c.journeyOrchestration.getJourneyStep({ path: { journeyId, partnerType: 42 }, query: { partnerId: PARTNER_ID } });
    // A journey literally named "mappings" still routes to getJourneyStep (GET), not to the activation (POST).
    const mappingsJourney = await c.journeyOrchestration.getJourneyStep({
      path: { journeyId: "mappings", partnerType: 42 },
      query: { partnerId: PARTNER_ID },
    });
    expect(rec.exchanges.map((e) => `${e.method} ${e.url} ${e.status}`)).toEqual([
      `POST ${baseUrl}/v1/site-1234/journeyorchestration/42/mappings/activate?partnerId=${PARTNER_ID} 202`,
      `GET ${baseUrl}/v1/site-1234/journeyorchestration/${journeyId}/42?partnerId=${PARTNER_ID} 200`,
      `GET ${baseUrl}/v1/site-1234/journeyorchestration/mappings/42?partnerId=${PARTNER_ID} 200`,
    ]);
    expect(rec.exchanges.map((e) => e.violations).filter(Boolean)).toEqual([]);
    expect(activated).toBeUndefined(); // 202, no body documented
    expect(step).toEqual(successExample("getJourneyStep"));
    expect(mappingsJourney).toEqual(successExample("getJourneyStep"));
  });

  it("path-style raw calls hit the same routes", async () => {
    const { c, rec, baseUrl } = client();
    const { data, response } = await c.raw.GET("/v1/site-{siteNumber}/journeyorchestration/variables", {
      params: { path: {} as { siteNumber: number }, query: { partnerType: 42, partnerId: PARTNER_ID } },
    });
    expect(response.status).toBe(200);
    expect(data).toEqual(successExample("getJourneyVariables"));
    expect(rec.exchanges[0].url).toBe(`${baseUrl}/v1/site-1234/journeyorchestration/variables?partnerType=42&partnerId=${PARTNER_ID}`);
  });
});
