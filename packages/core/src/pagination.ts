/**
 * Iterators over paged lists, driven by the spec's `x-pagination`: `for await (const item of list)` over
 * items, `list.pages()` over pages. Three styles: page number + size (Contacthub), skip/take (Marigold), and
 * offset → nextOffset streams (Contacthub updates, resumable from a saved offset).
 */
import type { PaginationSpec } from "./operation.js";
import type { CallParams } from "./runtime.js";

export interface PageIterable<Item, Page> extends AsyncIterable<Item> {
  /** One entry per response, with its items. */
  pages(): AsyncIterable<{ items: Item[]; page: Page }>;
  /** True once iteration stopped at the vendor's documented ceiling (`maxItems`) with more matches left. */
  readonly truncated: boolean;
  /** For offset streams: the offset to resume from (the last `nextOffset` seen). */
  readonly offset: number | undefined;
}

export function paginate(
  spec: PaginationSpec,
  fetchPage: (params: CallParams) => Promise<unknown>,
  params: CallParams,
): PageIterable<unknown, unknown> {
  let truncated = false;
  let offset: number | undefined = params.query?.[spec.style === "offset" ? spec.offsetParam : ""] as number | undefined;

  async function* pages(): AsyncGenerator<{ items: unknown[]; page: unknown }> {
    const query: Record<string, unknown> = { ...(params.query ?? {}) };
    let seen = 0;
    for (;;) {
      const body = (await fetchPage({ ...params, query: { ...query } })) as Record<string, unknown> | unknown[] | undefined;
      const items = (Array.isArray(body) ? body : (body?.[spec.itemsField] as unknown[] | undefined)) ?? [];
      if (spec.style === "page") {
        let emit = items;
        if (spec.maxItems !== undefined && seen + items.length > spec.maxItems) {
          emit = items.slice(0, spec.maxItems - seen);
        }
        seen += emit.length;
        if (emit.length > 0) yield { items: emit, page: body };
        const info = spec.pageInfoField && body && !Array.isArray(body) ? (body[spec.pageInfoField] as Record<string, number> | undefined) : undefined;
        const number = info?.number ?? Number(query[spec.pageParam] ?? 0);
        const total = info?.totalElements;
        if (spec.maxItems !== undefined && seen >= spec.maxItems) {
          truncated = total === undefined ? items.length > emit.length || items.length > 0 : total > spec.maxItems;
          return;
        }
        if (items.length === 0 || (info?.totalPages !== undefined && number + 1 >= info.totalPages)) return;
        query[spec.pageParam] = number + 1;
      } else if (spec.style === "skipTake") {
        if (items.length > 0) yield { items, page: body };
        const take = Number(query[spec.takeParam] ?? items.length);
        if (items.length === 0 || (take > 0 && items.length < take)) return;
        query[spec.skipParam] = Number(query[spec.skipParam] ?? 0) + items.length;
      } else {
        const next = body && !Array.isArray(body) ? (body[spec.nextOffsetField] as number | undefined) : undefined;
        if (items.length > 0) yield { items, page: body };
        if (next !== undefined) offset = next;
        // The stream has caught up when a call returns nothing new (or the offset does not move).
        if (items.length === 0 || next === undefined || next === query[spec.offsetParam]) return;
        query[spec.offsetParam] = next;
      }
    }
  }

  return {
    pages,
    async *[Symbol.asyncIterator]() {
      for await (const p of pages()) yield* p.items;
    },
    get truncated() {
      return truncated;
    },
    get offset() {
      return offset;
    },
  };
}
