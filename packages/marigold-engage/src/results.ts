/**
 * Typed access to Marigold's `result_code` envelope. The runtime already decides success (core's envelope
 * policy: `Succeeded` and `PartiallySucceeded` resolve, every other code throws `ResultCodeError` even on a
 * 200); this module adds the Marigold types on top, and turns a transactional send's answer into one outcome
 * per input item, so a partial success never silently drops a recipient.
 */
import { ActivationApiError, ResultCodeError, type ActivationKitError } from "@activation-kit/core";
import type { components } from "./generated/types.js";

type Schemas = components["schemas"];

/** Every `result_code` the vendor documents. */
export type MarigoldResultCode = Schemas["ResultCode"];
/** `{result_code, message, errors[]}`: the body of every write operation and of every error response. */
export type MarigoldEnvelope = Schemas["ResultEnvelope"];
/** One `{error_code, description}` entry of an envelope's `errors`. */
export type MarigoldError = Schemas["Error"];
export type TransactionalSendItem = Schemas["TransactionalSendItem"];
export type TransactionalUpdateSendItem = Schemas["TransactionalUpdateSendItem"];
export type TransactionalSendResult = Schemas["TransactionalSendResult"];
export type TransactionalStatus = Schemas["TransactionalStatus"];

/** A `ResultCodeError` whose body is Marigold's envelope: what a 2xx answer with a failing `result_code` throws. */
export type MarigoldResultCodeError = ResultCodeError<MarigoldEnvelope> & { readonly resultCode: MarigoldResultCode };

/**
 * True for the error thrown when a 2xx response carried a failing `result_code` (`Failed`, `ValidationFailed`,
 * `NotFound`, `Conflict` …), optionally only for the given codes. Narrows `body` to the envelope, so callers
 * can branch on `err.resultCode` and read `err.body.errors` without casts.
 */
export function isMarigoldResultCodeError(error: unknown, ...codes: MarigoldResultCode[]): error is MarigoldResultCodeError {
  if (!(error instanceof ResultCodeError)) return false;
  return codes.length === 0 || codes.includes(error.resultCode as MarigoldResultCode);
}

/**
 * The vendor's `errors[]` carried by any API error: a failing envelope in a 2xx, or the envelope Marigold puts
 * in its 4xx/5xx bodies. Empty for errors that never got an answer (timeouts, connection errors).
 */
export function marigoldErrorsOf(error: unknown): MarigoldError[] {
  if (!(error instanceof ActivationApiError)) return [];
  const errors = (error.body as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) ? (errors as MarigoldError[]) : [];
}

/** The minimum a per-item helper needs from an input item (both send item shapes have these). */
export interface TraceableItem {
  recipient?: string;
  sg_external_id?: string;
}

interface OutcomeBase<Item> {
  /** Position of the item in the caller's input list. */
  index: number;
  /** The item as sent (with the `sg_external_id` the helper assigned, if it did). */
  item: Item;
  /** The trace id of the item, when it has one: the key for the status endpoints. */
  sgExternalId: string | undefined;
}

/** The vendor accepted the item. `messageId` is set when the answer lets it be mapped to this item. */
export interface SentOutcome<Item> extends OutcomeBase<Item> {
  status: "sent";
  messageId: string | undefined;
}

/** The vendor rejected the item (its own `errors`), or answered the whole request with a failure (`error`). */
export interface FailedOutcome<Item> extends OutcomeBase<Item> {
  status: "failed";
  /** The vendor's reasons for this item (per-item errors, or the failing envelope's errors). */
  errors: MarigoldError[];
  /** Set when the request carrying this item failed as a whole (HTTP error status, `ResultCodeError`, open circuit). */
  error?: ActivationKitError;
}

/**
 * Whether the vendor accepted the item is not known: the answer says some items failed without saying which
 * (no matching `response_data`), or the request got no answer (timeout, abort, dropped connection: `error`).
 * Check the status endpoints by `sgExternalId` before sending again.
 */
export interface UnknownOutcome<Item> extends OutcomeBase<Item> {
  status: "unknown";
  reason: string;
  /** Set when the request carrying this item got no answer. */
  error?: ActivationKitError;
}

export type TransactionalItemOutcome<Item> = SentOutcome<Item> | FailedOutcome<Item> | UnknownOutcome<Item>;

/**
 * One outcome per input item of a transactional send (`triggerTransactionalJourney`,
 * `updateUserAndTriggerTransactionalJourney`), in input order, for `Succeeded` and `PartiallySucceeded`
 * answers alike. `response_data[i]` answers `items[i]`; when the answer's list does not line up with the
 * request, items are matched by `sg_external_id`, then by `recipient`. Message ids are assigned to the
 * accepted items in order only when their counts agree (the vendor does not document the order otherwise);
 * else `messageId` stays undefined and the status endpoints resolve it from `sg_external_id`.
 */
export function transactionalItemResults<Item extends TraceableItem>(
  items: readonly Item[],
  response: TransactionalSendResult,
  indexOffset = 0,
): TransactionalItemOutcome<Item>[] {
  const entries = response.response_data ?? [];
  const messages = (response.messages ?? []).map((m) => m.id);
  const succeeded = response.result_code === "Succeeded";

  // Entry j answers item match[j]… resolved from the item side: entryFor[i] = j.
  const entryFor: (number | undefined)[] = new Array(items.length).fill(undefined);
  const aligned =
    entries.length === items.length &&
    items.every((it, i) => !it.sg_external_id || !entries[i].sg_external_id || it.sg_external_id === entries[i].sg_external_id);
  if (aligned) {
    items.forEach((_, i) => (entryFor[i] = i));
  } else {
    const used = new Set<number>();
    const claim = (i: number, pick: (j: number) => boolean) => {
      const j = entries.findIndex((_, k) => !used.has(k) && pick(k));
      if (j >= 0) {
        used.add(j);
        entryFor[i] = j;
      }
    };
    items.forEach((it, i) => it.sg_external_id && claim(i, (j) => entries[j].sg_external_id === it.sg_external_id));
    items.forEach(
      (it, i) =>
        entryFor[i] === undefined &&
        it.recipient !== undefined &&
        claim(i, (j) => entries[j].recipient === it.recipient && (!it.sg_external_id || !entries[j].sg_external_id)),
    );
  }

  // Message ids, when the answer lets them be tied to items without guessing.
  const messageOfEntry = new Map<number, string | undefined>();
  const accepted = entries.map((e, j) => ((e.errors ?? []).length === 0 ? j : -1)).filter((j) => j >= 0);
  if (accepted.length === messages.length) accepted.forEach((j, k) => messageOfEntry.set(j, messages[k]));
  const messageOfItem = (i: number): string | undefined => {
    const j = entryFor[i];
    if (j !== undefined) return messageOfEntry.get(j);
    // A plain `Succeeded` without response_data: one message per item, in order, or nothing.
    return entries.length === 0 && messages.length === items.length ? messages[i] : undefined;
  };

  return items.map((item, i): TransactionalItemOutcome<Item> => {
    const base = { index: indexOffset + i, item, sgExternalId: item.sg_external_id };
    const j = entryFor[i];
    if (j !== undefined) {
      const errors = entries[j].errors ?? [];
      if (errors.length > 0) return { ...base, status: "failed", errors };
      return { ...base, status: "sent", messageId: messageOfItem(i) };
    }
    if (succeeded) return { ...base, status: "sent", messageId: messageOfItem(i) };
    return {
      ...base,
      status: "unknown",
      reason: `result_code ${response.result_code ?? "(none)"} and no response_data entry matches this item`,
    };
  });
}
