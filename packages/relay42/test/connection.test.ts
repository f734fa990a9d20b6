/**
 * What Relay42 asks of the connection, checked on the wire against a loopback node:http server with the
 * client's default transport (no injected fetch): one persistent TCP connection for sequential calls, and
 * UTF-8 JSON bodies declared as `application/json;charset=utf-8` that arrive byte for byte.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createRelay42Client } from "../src/index.js";
import { pathOf, startServer, type TestServer } from "./helpers.js";

const profile = { path: { partnerType: 42 }, query: { partnerId: "p-1" } };
let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function relay42() {
  server = await startServer((s) => {
    if (s.method === "GET") return { status: 200, body: [] };
    if (pathOf(s).endsWith("/activate")) return { status: 202 };
    if (pathOf(s).includes("/datafeeds/")) return { status: 201 };
    return { status: 201, body: "b1f0c4d2-7d3e-4a59-9c1e-5f2a8e6d3c10" };
  });
  const client = createRelay42Client({ baseUrl: server.url, siteNumber: 7, auth: { apiIdentifier: "api-id", accessToken: "relay42-access-token" } });
  return { server, client };
}

describe("keep-alive", () => {
  it("sequential calls of every kind share one TCP connection", async () => {
    const { server, client } = await relay42();
    await client.profiles.getProfileFacts(profile);
    await client.profiles.addProfileFacts({ ...profile, body: [{ factName: "f", factTtl: 60 }] });
    await client.profiles.getProfileSegments(profile);
    await client.dataFeeds.insertDataFeedEntry({ path: { feedPrefix: "products", itemKey: "sku-1" }, body: { values: { title: "x" } } });
    await client.journeyOrchestration.activateConnector({ ...profile, body: { connectorId: "5b7e2a19-4c3d-4f8e-9a61-0d2c8b7e4f13" } });
    for (let i = 0; i < 5; i++) await client.profiles.getProfileFacts(profile);
    expect(server.seen).toHaveLength(10);
    expect(server.connections).toBe(1);
    expect(server.seen.every((s) => s.headers.connection !== "close")).toBe(true);
  });

  it("token mode: the token exchanges and the calls share it too", async () => {
    server = await startServer((s) => {
      if (pathOf(s) === "/users/authenticate") return { status: 200, body: { refreshToken: "refresh-1", expiresInSeconds: 172800 } };
      if (pathOf(s) === "/users/token") return { status: 200, body: { token: "token-1", tokenType: "Bearer", expiresInSeconds: 86400 } };
      return { status: 200, body: [] };
    });
    const client = createRelay42Client({ baseUrl: server.url, siteNumber: 7, auth: { apiKey: "r42-api-key-0123" } });
    for (let i = 0; i < 3; i++) await client.profiles.getProfileFacts(profile);
    expect(server.seen.map(pathOf)).toEqual(["/users/authenticate", "/users/token", ...Array(3).fill("/v1/site-7/profiles/42/facts")]);
    expect(server.connections).toBe(1);
  });
});

describe("UTF-8", () => {
  const special = "Zoë – 東京 🚀";

  it("fact properties with special characters arrive byte-exact, declared as application/json;charset=utf-8", async () => {
    const { server, client } = await relay42();
    const body = [{ factName: "greeting", factTtl: 3600, properties: { name: special, "città": "Málaga ß ñ € ✓" } }];
    await client.profiles.addProfileFacts({ ...profile, body });
    const [sent] = server.seen;
    expect(sent.headers["content-type"]).toBe("application/json;charset=utf-8");
    expect(sent.body.equals(Buffer.from(JSON.stringify(body), "utf8"))).toBe(true);
    // The multi-byte sequences themselves, not escapes or replacement characters.
    expect(sent.body.includes(Buffer.from("東京 🚀", "utf8"))).toBe(true);
    expect(sent.body.includes(Buffer.from([0xf0, 0x9f, 0x9a, 0x80]))).toBe(true); // 🚀
    expect(sent.body.includes(Buffer.from([0xef, 0xbf, 0xbd]))).toBe(false); // U+FFFD
    expect(Number(sent.headers["content-length"])).toBe(sent.body.byteLength);
    expect(JSON.parse(sent.body.toString("utf8"))).toEqual(body);
  });

  it("every JSON body operation sends the charset (PUT facts, interactions, data feed values, mappings)", async () => {
    const { server, client } = await relay42();
    await client.profiles.updateProfileFacts({ ...profile, body: [{ factName: "f", factTtl: 60, properties: { n: special } }] });
    await client.profiles.addProfileInteractions({
      ...profile,
      body: { interactions: [{ interactionType: "engagement", type: "productView", variables: { title: special } }] },
    });
    await client.dataFeeds.insertDataFeedEntry({ path: { feedPrefix: "products", itemKey: "sku-1" }, body: { values: { title: special } } });
    await client.profiles.addProfileMappings({ ...profile, body: [{ partnerId: special, partnerType: 1001 }] });
    expect(server.seen.map((s) => s.headers["content-type"])).toEqual(Array(4).fill("application/json;charset=utf-8"));
    for (const s of server.seen) expect(s.body.toString("utf8")).toContain(special);
  });

  it("special characters in path and query parameters are percent-encoded UTF-8", async () => {
    const { server, client } = await relay42();
    await client.dataFeeds.getDataFeedEntry({ path: { feedPrefix: "products", itemKey: "Zoë/東京" } });
    await client.profiles.getProfileFacts({ path: { partnerType: 42 }, query: { partnerId: special } });
    expect(server.seen[0].path).toBe("/v1/site-7/datafeeds/products/entries/Zo%C3%AB%2F%E6%9D%B1%E4%BA%AC");
    const query = new URL(server.seen[1].path, server.url).searchParams.get("partnerId");
    expect(query).toBe(special);
  });
});
