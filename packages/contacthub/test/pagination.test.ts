/**
 * Paged lists (`{elements, page}`) as async iterators. Prism serves the same example page for every request,
 * so it cannot show several consistent pages: these tests use a local node:http handler that serves real
 * pages (the single-page case against Prism is in tests/contract/contacthub.features.contract.test.ts).
 */
import { afterEach, describe, expect, it } from "vitest";
import { client, localServer, NODE, sendJson, type LocalServer } from "./helpers.js";

/** Serves `total` customers in pages of the requested size (0-based `page`), like Contacthub's search. */
function customersServer(total: number, maxSize = 50) {
  return localServer((req, res) => {
    const page = Number(req.url.searchParams.get("page") ?? 0);
    const size = Math.min(Number(req.url.searchParams.get("size") ?? 20), maxSize);
    const start = page * size;
    const elements = Array.from({ length: Math.max(0, Math.min(size, total - start)) }, (_, i) => ({ id: `c-${start + i}` }));
    sendJson(res, 200, { elements, page: { size, totalElements: total, totalPages: Math.ceil(total / size), number: page } });
  });
}

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("searchCustomersAll over several pages (local server)", () => {
  it("iterates every item across 3 pages and stops after the last page", async () => {
    server = await customersServer(7);
    const ch = client(server.baseUrl);
    const list = ch.customers.searchCustomersAll({ query: { nodeId: NODE, size: 3 } });
    const ids: string[] = [];
    for await (const c of list) ids.push(c.id as string);
    expect(ids).toEqual(["c-0", "c-1", "c-2", "c-3", "c-4", "c-5", "c-6"]);
    expect(server.received.map((r) => r.url.searchParams.get("page"))).toEqual([null, "1", "2"]);
    expect(server.received.every((r) => r.url.searchParams.get("size") === "3" && r.url.searchParams.get("nodeId") === NODE)).toBe(true);
    expect(list.truncated).toBe(false);
  });

  it(".pages() yields one entry per response with its items and page info", async () => {
    server = await customersServer(7);
    const ch = client(server.baseUrl);
    const pages: { n: number; count: number }[] = [];
    for await (const p of ch.customers.searchCustomersAll({ query: { nodeId: NODE, size: 3, page: 0 } }).pages()) {
      pages.push({ n: p.page.page.number, count: p.items.length });
    }
    expect(pages).toEqual([
      { n: 0, count: 3 },
      { n: 1, count: 3 },
      { n: 2, count: 1 },
    ]);
  });

  it("stops at the documented 10,000-match ceiling with truncated = true", async () => {
    server = await customersServer(12_000);
    const ch = client(server.baseUrl);
    const list = ch.customers.searchCustomersAll({ query: { nodeId: NODE, size: 50 } });
    let count = 0;
    let last = "";
    for await (const c of list) {
      count += 1;
      last = c.id as string;
    }
    expect(count).toBe(10_000);
    expect(last).toBe("c-9999");
    expect(list.truncated).toBe(true);
    // 200 pages of 50, and not one request past the ceiling.
    expect(server.received).toHaveLength(200);
  });

  it("is not truncated when the matches end exactly at the ceiling", async () => {
    server = await customersServer(10_000);
    const ch = client(server.baseUrl);
    const list = ch.customers.searchCustomersAll({ query: { nodeId: NODE, size: 50 } });
    let count = 0;
    for await (const _ of list) count += 1;
    expect(count).toBe(10_000);
    expect(list.truncated).toBe(false);
  });

  it("every paged list op has an iterator (e.g. listSourcesAll)", async () => {
    server = await localServer((req, res) => {
      const page = Number(req.url.searchParams.get("page") ?? 0);
      sendJson(res, 200, { elements: [{ id: `s-${page}` }], page: { size: 1, totalElements: 2, totalPages: 2, number: page } });
    });
    const ch = client(server.baseUrl);
    const ids: unknown[] = [];
    for await (const s of ch.configuration.listSourcesAll({ query: { size: 1 } })) ids.push(s.id);
    expect(ids).toEqual(["s-0", "s-1"]);
  });
});
