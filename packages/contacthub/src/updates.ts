/**
 * The update stream (`GET …/updates`) as a resumable async iterator. Contacthub pages it by offset: each
 * response carries `nextOffset`, the (exclusive) offset to ask for next. A consumer that stores `.offset`
 * after each batch can restart exactly where it stopped, even in another process.
 */
import type { PageIterable, RequestOptions, Runtime } from "@activation-kit/core";
import type { components, operations, paths } from "./generated/types.js";

export type Update = components["schemas"]["Update"];
export type UpdateStreamPage = components["schemas"]["UpdateStream"];

type StreamQuery = NonNullable<operations["getUpdateStream"]["parameters"]["query"]>;

export interface UpdateStreamOptions extends Omit<StreamQuery, "offset"> {
  /**
   * Resume after this offset (a `nextOffset` / `.offset` you saved). Without it the stream starts at
   * `timestamp` (if given) or at the server's default; Contacthub ignores `timestamp` when an offset is given.
   */
  from?: number;
  /** Defaults to the client's `workspaceId`. */
  workspaceId?: string;
}

export interface UpdateStreamHelpers {
  /**
   * Follows `offset` → `nextOffset` until the stream has caught up (a call returns no updates or the offset
   * stops moving). To checkpoint, save `page.page.nextOffset` after handling each page; `.offset` is the offset
   * after the last page the iterator fully handed out and moved past (at-least-once: a page you stopped in the
   * middle of comes again on resume).
   *
   * ```ts
   * const stream = ch.updates.stream({ from: saved, size: 500 });
   * for await (const page of stream.pages()) { await handle(page.items); await save(page.page.nextOffset); }
   * ```
   */
  stream(options?: UpdateStreamOptions, requestOptions?: RequestOptions): PageIterable<Update, UpdateStreamPage>;
}

export function updateStreamHelpers(runtime: Runtime<paths>): UpdateStreamHelpers {
  return {
    stream({ from, workspaceId, ...query } = {}, requestOptions) {
      return runtime.paginate(
        "getUpdateStream",
        {
          ...(workspaceId === undefined ? {} : { path: { workspaceId } }),
          query: from === undefined ? query : { ...query, offset: from },
        },
        requestOptions,
      ) as PageIterable<Update, UpdateStreamPage>;
    },
  };
}
