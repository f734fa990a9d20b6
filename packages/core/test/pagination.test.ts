import { describe, expect, it, vi } from "vitest";
import { ConfigurationError } from "../src/errors.js";
import type { PaginationSpec } from "../src/operation.js";
import { paginate } from "../src/pagination.js";
import type { CallParams } from "../src/runtime.js";
import { createRuntime } from "../src/runtime.js";
import { json, makeApi, op, scriptedFetch } from "./helpers.js";

/** A fetchPage double answering from `pages` by call number, recording each call's query. */
function pager(pages: unknown[]) {
  const queries: Record<string, unknown>[] = [];
  const fetchPage = vi.fn(async (p: CallParams) => {
    queries.push({ ...(p.query ?? {}) });
    return pages[queries.length - 1];
  });
  return { fetchPage, queries };
}

async function collect(it: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe("paginate: page style", () => {
  const spec: PaginationSpec = { style: "page", pageParam: "page", sizeParam: "size", itemsField: "elements", pageInfoField: "page" };
  const page = (number: number, elements: unknown[], totalPages = 3, totalElements = 7) => ({
    elements,
    page: { number, size: 3, totalPages, totalElements },
  });

  it("walks 3 pages and stops at totalPages", async () => {
    const { fetchPage, queries } = pager([page(0, [1, 2, 3]), page(1, [4, 5, 6]), page(2, [7]), page(3, [99])]);
    const list = paginate(spec, fetchPage, { query: { size: 3 }, path: { id: "x" } });
    expect(await collect(list)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(fetchPage).toHaveBeenCalledTimes(3);
    expect(queries).toEqual([{ size: 3 }, { size: 3, page: 1 }, { size: 3, page: 2 }]);
    expect(fetchPage.mock.calls[0][0].path).toEqual({ id: "x" });
    expect(list.truncated).toBe(false);
  });

  it("pages() yields one entry per response with its items", async () => {
    const { fetchPage } = pager([page(0, [1, 2, 3], 2, 5), page(1, [4, 5], 2, 5)]);
    const pages = await collect(paginate(spec, fetchPage, {}).pages());
    expect(pages).toEqual([
      { items: [1, 2, 3], page: page(0, [1, 2, 3], 2, 5) },
      { items: [4, 5], page: page(1, [4, 5], 2, 5) },
    ]);
  });

  it("stops on an empty page when there is no page info", async () => {
    const bare: PaginationSpec = { style: "page", pageParam: "p", sizeParam: "s", itemsField: "elements" };
    const { fetchPage, queries } = pager([{ elements: [1] }, { elements: [2] }, { elements: [] }]);
    expect(await collect(paginate(bare, fetchPage, { query: { p: 0 } }))).toEqual([1, 2]);
    expect(queries.map((q) => q.p)).toEqual([0, 1, 2]);
  });

  it("the maxItems ceiling stops iteration and sets truncated", async () => {
    const capped: PaginationSpec = { ...spec, maxItems: 5 };
    const { fetchPage } = pager([page(0, [1, 2, 3], 4, 12), page(1, [4, 5, 6], 4, 12), page(2, [7, 8, 9], 4, 12)]);
    const list = paginate(capped, fetchPage, {});
    expect(list.truncated).toBe(false);
    expect(await collect(list)).toEqual([1, 2, 3, 4, 5]);
    expect(fetchPage).toHaveBeenCalledTimes(2);
    expect(list.truncated).toBe(true);
  });

  it("reaching maxItems exactly with nothing left is not truncated", async () => {
    const capped: PaginationSpec = { ...spec, maxItems: 6 };
    const { fetchPage } = pager([page(0, [1, 2, 3], 2, 6), page(1, [4, 5, 6], 2, 6)]);
    const list = paginate(capped, fetchPage, {});
    expect(await collect(list)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(list.truncated).toBe(false);
  });
});

describe("paginate: skipTake", () => {
  const spec: PaginationSpec = { style: "skipTake", skipParam: "skip", takeParam: "take", itemsField: "contacts" };

  it("advances skip by the items seen and stops on a short page", async () => {
    const { fetchPage, queries } = pager([{ contacts: ["a", "b"] }, { contacts: ["c", "d"] }, { contacts: ["e"] }, { contacts: ["never"] }]);
    expect(await collect(paginate(spec, fetchPage, { query: { take: 2 } }))).toEqual(["a", "b", "c", "d", "e"]);
    expect(fetchPage).toHaveBeenCalledTimes(3);
    expect(queries).toEqual([{ take: 2 }, { take: 2, skip: 2 }, { take: 2, skip: 4 }]);
  });

  it("stops on an empty page and accepts a bare array body", async () => {
    const { fetchPage } = pager([["a", "b"], []]);
    expect(await collect(paginate(spec, fetchPage, { query: { take: 2, skip: 10 } }))).toEqual(["a", "b"]);
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });
});

describe("paginate: offset stream", () => {
  const spec: PaginationSpec = { style: "offset", offsetParam: "fromOffset", nextOffsetField: "nextOffset", itemsField: "updates" };

  it("follows nextOffset until the stream catches up, exposing .offset to resume", async () => {
    const { fetchPage, queries } = pager([
      { updates: ["u1", "u2"], nextOffset: 102 },
      { updates: ["u3"], nextOffset: 103 },
      { updates: [], nextOffset: 103 },
    ]);
    const list = paginate(spec, fetchPage, { query: { fromOffset: 100 } });
    expect(list.offset).toBe(100);
    const seen: unknown[] = [];
    const offsets: (number | undefined)[] = [];
    for await (const u of list) {
      seen.push(u);
      offsets.push(list.offset);
    }
    expect(seen).toEqual(["u1", "u2", "u3"]);
    // The offset moves once a page has been fully consumed, so resuming never skips an unprocessed item.
    expect(offsets).toEqual([100, 100, 102]);
    expect(queries.map((q) => q.fromOffset)).toEqual([100, 102, 103]);
    expect(list.offset).toBe(103);
  });

  it("stopping mid-page keeps the offset of that page (at-least-once on resume)", async () => {
    const { fetchPage } = pager([{ updates: ["u1", "u2"], nextOffset: 102 }, { updates: ["u3"], nextOffset: 103 }]);
    const list = paginate(spec, fetchPage, { query: { fromOffset: 100 } });
    for await (const u of list) {
      if (u === "u2") break;
    }
    expect(list.offset).toBe(100);
    expect(fetchPage).toHaveBeenCalledTimes(1);
  });

  it("resuming from a saved offset starts there", async () => {
    const { fetchPage, queries } = pager([{ updates: ["u4"], nextOffset: 104 }, { updates: ["u5"] }]);
    const list = paginate(spec, fetchPage, { query: { fromOffset: 103 } });
    expect(await collect(list)).toEqual(["u4", "u5"]);
    expect(queries.map((q) => q.fromOffset)).toEqual([103, 104]);
    expect(list.offset).toBe(104);
  });
});

describe("runtime.paginate", () => {
  it("pages through call() with the same params", async () => {
    const list = op({
      operationId: "listThings",
      method: "get",
      path: "/things",
      pagination: { style: "skipTake", skipParam: "skip", takeParam: "take", itemsField: "items" },
    });
    const f = scriptedFetch(json(200, { items: [1, 2] }), json(200, { items: [3] }));
    const rt = createRuntime(makeApi({}, [list]), { fetch: f.fetch });
    expect(await collect(rt.paginate("listThings", { query: { take: 2 } }))).toEqual([1, 2, 3]);
    expect(f.requests.map((r) => new URL(r.url).search)).toEqual(["?take=2", "?take=2&skip=2"]);
    expect(() => rt.paginate("getThing")).toThrow(ConfigurationError);
  });
});
