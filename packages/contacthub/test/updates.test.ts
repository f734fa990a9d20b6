/**
 * The update stream follows offset → nextOffset and resumes from a saved offset. A local node:http handler
 * plays a stream of 10 updates (Prism would answer the same example forever).
 */
import { afterEach, describe, expect, it } from "vitest";
import { client, localServer, sendJson, type LocalServer } from "./helpers.js";

/** Updates carry offsets 1..10; `offset` is exclusive; pages of `size`. */
function streamServer(last = 10) {
  return localServer((req, res) => {
    const from = Number(req.url.searchParams.get("offset") ?? 0);
    const size = Number(req.url.searchParams.get("size") ?? 50);
    const offsets = Array.from({ length: Math.max(0, Math.min(size, last - from)) }, (_, i) => from + i + 1);
    const updates = offsets.map((o) => ({ operation: "UPDATE", entity: { type: "CUSTOMER", data: { id: `c-${o}` } } }));
    sendJson(res, 200, { nextOffset: offsets.length ? offsets[offsets.length - 1] : from, updates });
  });
}

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("update stream", () => {
  it("getUpdateStreamAll follows nextOffset until the stream has caught up", async () => {
    server = await streamServer();
    const ch = client(server.baseUrl);
    const stream = ch.updates.getUpdateStreamAll({ query: { size: 4 } });
    const ids: unknown[] = [];
    for await (const u of stream) ids.push((u.entity.data as { id: string }).id);
    expect(ids).toEqual(Array.from({ length: 10 }, (_, i) => `c-${i + 1}`));
    expect(server.received.map((r) => r.url.searchParams.get("offset"))).toEqual([null, "4", "8", "10"]);
    expect(stream.offset).toBe(10);
  });

  it("stream({from}) resumes from a saved page checkpoint (page.page.nextOffset), nothing seen twice", async () => {
    server = await streamServer();
    const ch = client(server.baseUrl);
    // First run: handle two pages, checkpoint after each, then stop (e.g. the process is shut down).
    const first = ch.updates.stream({ size: 4 });
    const handled: string[] = [];
    let saved: number | undefined;
    for await (const page of first.pages()) {
      handled.push(...page.items.map((u) => (u.entity.data as { id: string }).id));
      saved = page.page.nextOffset;
      if (handled.length === 8) break;
    }
    expect(saved).toBe(8);

    // Second run, possibly in another process: starts after the saved offset.
    server.received.length = 0;
    const second = ch.updates.stream({ from: saved, size: 4, entity: "CUSTOMER" });
    expect(second.offset).toBe(8);
    for await (const u of second) handled.push((u.entity.data as { id: string }).id);
    expect(handled).toEqual(Array.from({ length: 10 }, (_, i) => `c-${i + 1}`));
    expect(server.received[0].url.searchParams.get("offset")).toBe("8");
    expect(server.received[0].url.searchParams.get("entity")).toBe("CUSTOMER");
    expect(second.offset).toBe(10);
  });

  it(".offset only moves past a page once it was fully consumed (at-least-once on resume)", async () => {
    server = await streamServer();
    const ch = client(server.baseUrl);
    const first = ch.updates.stream({ size: 4 });
    const seen: string[] = [];
    for await (const u of first) {
      seen.push((u.entity.data as { id: string }).id);
      if (seen.length === 6) break; // stopped in the middle of the second page
    }
    expect(first.offset).toBe(4);
    const rest: string[] = [];
    for await (const u of ch.updates.stream({ from: first.offset, size: 4 })) rest.push((u.entity.data as { id: string }).id);
    // The half-handled page comes again; nothing is lost.
    expect(rest).toEqual(["c-5", "c-6", "c-7", "c-8", "c-9", "c-10"]);
  });

  it("a stream that is already caught up makes one call and keeps the offset", async () => {
    server = await streamServer();
    const ch = client(server.baseUrl);
    const s = ch.updates.stream({ from: 10 });
    const items: unknown[] = [];
    for await (const u of s) items.push(u);
    expect(items).toEqual([]);
    expect(server.received).toHaveLength(1);
    expect(s.offset).toBe(10);
  });
});
