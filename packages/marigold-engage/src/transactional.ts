/**
 * Transactional sends at scale. Marigold takes many messages per request (`items[]`) but answers per request,
 * and a request can fail as a whole; `sendTransactional` splits a recipient list into requests of a chosen
 * size, runs a bounded number at once, and merges everything into one outcome per recipient in input order,
 * so a caller can always tell which recipients to retry, and never re-sends one that went out.
 * `waitForTransactionalStatus` / `waitForDelivery` poll the status endpoints with back-off until messages
 * reach a final status, a deadline passes or the polls run out, report each poll through `onProgress`, and say
 * which of these ended the wait.
 */
import {
  ActivationApiError,
  ActivationKitError,
  CircuitOpenError,
  ConfigurationError,
  NotFoundError,
  backoffDelayMs,
  sleep,
  validateRequest,
  type RequestOptions,
} from "@activation-kit/core";
import { operations } from "./generated/operations.js";
import type { MarigoldEngageClient } from "./index.js";
import {
  marigoldErrorsOf,
  transactionalItemResults,
  type FailedOutcome,
  type SentOutcome,
  type TransactionalItemOutcome,
  type TransactionalSendItem,
  type TransactionalSendResult,
  type TransactionalStatus,
  type TransactionalUpdateSendItem,
  type UnknownOutcome,
} from "./results.js";

/** Which endpoint carries the items: plain send, or profile update then send (items may carry `profile`). */
export type TransactionalSendOperation = "send" | "updateProfileAndSend";

const OPERATION_IDS = {
  send: "triggerTransactionalJourney",
  updateProfileAndSend: "updateUserAndTriggerTransactionalJourney",
} as const;

type ItemFor<Op extends TransactionalSendOperation> = Op extends "updateProfileAndSend" ? TransactionalUpdateSendItem : TransactionalSendItem;

export interface SendTransactionalOptions<Op extends TransactionalSendOperation = "send"> {
  /** API name of the transactional journey. */
  journey: string;
  /** One entry per message; any number (they are split into requests of `chunkSize`). */
  items: readonly ItemFor<Op>[];
  /** `"send"` (default, `triggerTransactionalJourney`) or `"updateProfileAndSend"`. */
  operation?: Op;
  /** Items per request. Default 100. */
  chunkSize?: number;
  /** Requests in flight at once. Default 2: enough to overlap latency without tripping the vendor's 429. */
  concurrency?: number;
  /**
   * Give every item without an `sg_external_id` a fresh UUID (default true), so each message can be traced
   * through the status endpoints even when the answer does not map message ids to items. `false` sends items
   * as given; a function supplies the ids (deterministic tests, ids from your own outbox).
   */
  assignExternalIds?: boolean | (() => string);
  /** Stops starting new requests (their recipients come back `skipped`) and aborts those in flight. */
  signal?: AbortSignal;
  /** Per-request options (retry policy, timeout, headers) for every chunk. */
  requestOptions?: Omit<RequestOptions, "signal">;
  /** Validate every item before the first request (default true): bad input sends nothing at all. */
  validate?: boolean;
}

/** Not sent: the run was aborted before this recipient's request started. Safe to send again. */
export interface SkippedOutcome<Item> {
  index: number;
  item: Item;
  sgExternalId: string | undefined;
  status: "skipped";
  reason: string;
}

export type RecipientOutcome<Item> = TransactionalItemOutcome<Item> | SkippedOutcome<Item>;

export interface TransactionalChunkReport {
  /** Input indexes `[start, end)` this request carried. */
  start: number;
  end: number;
  /** The answer's `result_code`, when the request got a non-throwing answer. */
  resultCode?: string;
  /** What the request threw, when it failed as a whole. */
  error?: ActivationKitError;
  skipped?: boolean;
}

export interface TransactionalSendReport<Item> {
  /** Exactly one outcome per input item, in input order (`recipients[i].index === i`). */
  recipients: RecipientOutcome<Item>[];
  /** Requests in input order (`chunks.length === ceil(items / chunkSize)`). */
  chunks: TransactionalChunkReport[];
  counts: { sent: number; failed: number; unknown: number; skipped: number };
}

function positiveInt(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new ConfigurationError(`${name} must be a positive integer, got ${String(value)}`);
  return v;
}

/**
 * Sends transactional messages to any number of recipients: validates them all first (a bad item anywhere
 * throws `RequestValidationError` naming `body.items[<input index>]…` and nothing is sent), then sends
 * `ceil(n / chunkSize)` requests with at most `concurrency` in flight. Never throws after the first request
 * started: a request that is answered with a failure (HTTP error, `result_code: Failed` …) marks each of its
 * recipients `failed` with that typed error; one that got no answer (timeout, abort, connection) marks them
 * `unknown` with the error; so every recipient is accounted for.
 */
export async function sendTransactional<Op extends TransactionalSendOperation = "send">(
  client: MarigoldEngageClient,
  options: SendTransactionalOptions<Op>,
): Promise<TransactionalSendReport<ItemFor<Op>>> {
  type Item = ItemFor<Op>;
  const operationId = OPERATION_IDS[(options.operation ?? "send") as TransactionalSendOperation];
  const chunkSize = positiveInt(options.chunkSize, 100, "chunkSize");
  const concurrency = positiveInt(options.concurrency, 2, "concurrency");
  const makeId =
    options.assignExternalIds === false
      ? undefined
      : typeof options.assignExternalIds === "function"
        ? options.assignExternalIds
        : () => globalThis.crypto.randomUUID();
  const items: Item[] = options.items.map((it) => (makeId && !it.sg_external_id ? ({ ...it, sg_external_id: makeId() } as Item) : it));

  if (items.length > 0 && options.validate !== false) {
    // One pass over the whole list, so issues name the caller's own indexes and nothing is sent on bad input.
    validateRequest(operations[operationId], {
      path: { organization: client.organization, api_name: options.journey },
      body: { items },
    });
  }

  const chunks: TransactionalChunkReport[] = [];
  for (let start = 0; start < items.length; start += chunkSize) chunks.push({ start, end: Math.min(start + chunkSize, items.length) });
  const recipients: RecipientOutcome<Item>[] = new Array(items.length);
  const call = findOperation(client, operationId);

  let next = 0;
  async function worker(): Promise<void> {
    while (next < chunks.length) {
      const chunk = chunks[next++];
      const slice = items.slice(chunk.start, chunk.end);
      if (options.signal?.aborted) {
        chunk.skipped = true;
        slice.forEach((item, k) => {
          recipients[chunk.start + k] = {
            index: chunk.start + k,
            item,
            sgExternalId: item.sg_external_id,
            status: "skipped",
            reason: "aborted before this request was sent",
          };
        });
        continue;
      }
      try {
        const answer = (await call(
          { path: { api_name: options.journey }, body: { items: slice } },
          { ...options.requestOptions, signal: options.signal, validate: false },
        )) as TransactionalSendResult;
        chunk.resultCode = answer?.result_code;
        transactionalItemResults(slice, answer ?? {}, chunk.start).forEach((o) => (recipients[o.index] = o));
      } catch (e) {
        const error = e instanceof ActivationKitError ? e : new ActivationKitError(String(e), { cause: e });
        chunk.error = error;
        // An answer (or a circuit that never let the request out) is a definite failure; no answer at all
        // (timeout, abort in flight, dropped connection) may still have been delivered.
        const answered = error instanceof ActivationApiError || error instanceof CircuitOpenError;
        const errors = marigoldErrorsOf(error);
        slice.forEach((item, k) => {
          const base = { index: chunk.start + k, item, sgExternalId: item.sg_external_id };
          recipients[chunk.start + k] = answered
            ? { ...base, status: "failed", errors, error }
            : { ...base, status: "unknown", reason: `no answer: ${error.name}`, error };
        });
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));

  const counts = { sent: 0, failed: 0, unknown: 0, skipped: 0 };
  for (const r of recipients) counts[r.status] += 1;
  return { recipients, chunks, counts };
}

type AnyCall = (params: unknown, options?: RequestOptions) => Promise<unknown>;

function findOperation(client: MarigoldEngageClient, operationId: string): AnyCall {
  const group = client.transactionalJourney as unknown as Record<string, AnyCall>;
  return group[operationId];
}

/** Back-off of the status polling. */
export interface PollBackoff {
  /** Wait before the second poll (the first is immediate). Default 1000 ms. */
  initialDelayMs?: number;
  /** Cap of one wait. Default 30 000 ms. */
  maxDelayMs?: number;
  /** Growth per poll. Default 2. */
  multiplier?: number;
  /** Randomise each wait between 50 % and 100 % (default true), so many waiters do not poll in step. */
  jitter?: boolean;
  /** Polls in total, the first included. Default 8 (at most about 90 s of waiting with the defaults). */
  maxAttempts?: number;
}

export interface WaitForStatusOptions {
  /** Message ids (from the send answer's `messages`). */
  ids?: readonly string[];
  /** Your `sg_external_id`s (what `sendTransactional` assigns by default). */
  sgExternalIds?: readonly string[];
  /**
   * When a message needs no more polling. Default: `status === 30` ("mail sent", the only code the vendor
   * documents); pass your own to stop on failure codes of your account too.
   */
  isFinal?: (status: TransactionalStatus) => boolean;
  backoff?: PollBackoff;
  /** Ids per status request. Default 100. */
  batchSize?: number;
  /**
   * Deadline of the whole wait in ms (default 120 000). No wait runs past it: the last poll happens at the
   * deadline, then the result says `stoppedBecause: "timeout"` with what is still pending.
   */
  timeoutMs?: number;
  /** Called after every poll with how far the messages got (and when the next poll comes, if any). */
  onProgress?: (progress: TransactionalWaitProgress) => void;
  /** Aborts the wait (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
  requestOptions?: Omit<RequestOptions, "signal">;
  /** For tests: the random source of the jitter. */
  random?: () => number;
}

/** What the status wait reports to `onProgress` after each poll. */
export interface TransactionalWaitProgress {
  /** Polls made so far, this one included. */
  attempt: number;
  /** Messages waited for. */
  total: number;
  /** Messages with a final status so far. */
  final: number;
  /** Messages still pending. */
  pending: number;
  /** Latest status of each message that has answered at least once. */
  statuses: TransactionalStatus[];
  /** Since the wait started. */
  elapsedMs: number;
  /** Wait before the next poll; `undefined` when this was the last one (see the result's `stoppedBecause`). */
  nextPollInMs: number | undefined;
}

/**
 * Why polling stopped: every message reached a final status (`"final"`), the `timeoutMs` deadline passed
 * (`"timeout"`), or `backoff.maxAttempts` polls were made (`"maxAttempts"`).
 */
export type WaitStopReason = "final" | "timeout" | "maxAttempts";

export interface WaitForStatusResult {
  /** Latest status seen per message asked about (one entry per message that answered at least once). */
  statuses: TransactionalStatus[];
  /** What had not reached a final status when polling stopped. */
  pending: { ids: string[]; sgExternalIds: string[] };
  /** True when nothing is pending. */
  done: boolean;
  /** Why polling stopped. */
  stoppedBecause: WaitStopReason;
  /** Polls made. */
  attempts: number;
  /** How long the wait took. */
  elapsedMs: number;
}

export const DEFAULT_FINAL_STATUS = (s: TransactionalStatus): boolean => s.status === 30;

/**
 * Polls `listTransactionalJourneyStatuses` (or `getTransactionalJourneyStatus` for a single id) until every
 * message is final, the `timeoutMs` deadline passes or `maxAttempts` polls were made, waiting with exponential
 * back-off between polls; `stoppedBecause` says which. Statuses of messages not asked about are ignored.
 * Never throws for messages that stay pending (see `pending`); API errors and abort do throw.
 */
export async function waitForTransactionalStatus(
  client: MarigoldEngageClient,
  options: WaitForStatusOptions,
): Promise<WaitForStatusResult> {
  return (await pollStatuses(client, options)).result;
}

interface PolledStatuses {
  result: WaitForStatusResult;
  /** Latest status per message id asked about. */
  byId: Map<string, TransactionalStatus>;
  /** Latest status per `sg_external_id` asked about. */
  bySg: Map<string, TransactionalStatus>;
}

async function pollStatuses(client: MarigoldEngageClient, options: WaitForStatusOptions): Promise<PolledStatuses> {
  const isFinal = options.isFinal ?? DEFAULT_FINAL_STATUS;
  const b = options.backoff ?? {};
  const maxAttempts = positiveInt(b.maxAttempts, 8, "backoff.maxAttempts");
  const batchSize = positiveInt(options.batchSize, 100, "batchSize");
  const timeoutMs = options.timeoutMs ?? 120_000;
  if (!(timeoutMs >= 0)) throw new ConfigurationError(`timeoutMs must be a number >= 0, got ${String(options.timeoutMs)}`);
  const policy = {
    maxRetries: maxAttempts,
    initialDelayMs: b.initialDelayMs ?? 1000,
    maxDelayMs: b.maxDelayMs ?? 30_000,
    multiplier: b.multiplier ?? 2,
    jitter: b.jitter ?? true,
  };
  const ids = new Set(options.ids ?? []);
  const sgIds = new Set(options.sgExternalIds ?? []);
  const total = ids.size + sgIds.size;
  const byId = new Map<string, TransactionalStatus>();
  const bySg = new Map<string, TransactionalStatus>();
  const latest = () => [...new Set([...byId.values(), ...bySg.values()])];
  const requestOptions = { ...options.requestOptions, signal: options.signal };
  const ops = client.transactionalJourney;
  const started = Date.now();

  let attempts = 0;
  let stoppedBecause: WaitStopReason = "final";
  while (ids.size + sgIds.size > 0) {
    attempts += 1;
    if (ids.size === 1 && sgIds.size === 0) {
      const [id] = ids;
      try {
        // The answer of `…/status/{id}` is the status of `{id}`, whatever id its body carries.
        const s = await ops.getTransactionalJourneyStatus({ path: { id } }, requestOptions);
        byId.set(id, s);
        if (isFinal(s)) ids.delete(id);
      } catch (e) {
        // Not known yet (the message is still being queued): poll again.
        if (!(e instanceof NotFoundError)) throw e;
      }
    } else {
      const keys = [...[...ids].map((id) => ({ id })), ...[...sgIds].map((sg) => ({ sg }))];
      const answered: TransactionalStatus[] = [];
      for (let i = 0; i < keys.length; i += batchSize) {
        const batch = keys.slice(i, i + batchSize);
        const body = {
          ids: batch.flatMap((k) => ("id" in k ? [k.id] : [])),
          sg_external_ids: batch.flatMap((k) => ("sg" in k ? [k.sg] : [])),
        };
        answered.push(...((await ops.listTransactionalJourneyStatuses({ body }, requestOptions)) ?? []));
      }
      for (const s of answered) {
        const byItsId = s.id !== undefined && ids.has(s.id);
        const byItsSg = s.sg_external_id !== undefined && sgIds.has(s.sg_external_id);
        if (byItsId) byId.set(s.id!, s);
        if (byItsSg) bySg.set(s.sg_external_id!, s);
        if (!isFinal(s)) continue;
        if (byItsId) ids.delete(s.id!);
        if (byItsSg) sgIds.delete(s.sg_external_id!);
      }
    }

    const elapsedMs = Date.now() - started;
    let nextPollInMs: number | undefined;
    if (ids.size + sgIds.size === 0) stoppedBecause = "final";
    else if (attempts >= maxAttempts) stoppedBecause = "maxAttempts";
    else if (elapsedMs >= timeoutMs) stoppedBecause = "timeout";
    else nextPollInMs = Math.min(backoffDelayMs(attempts, policy, undefined, options.random), timeoutMs - elapsedMs);
    const pending = ids.size + sgIds.size;
    options.onProgress?.({ attempt: attempts, total, final: total - pending, pending, statuses: latest(), elapsedMs, nextPollInMs });
    if (nextPollInMs === undefined) break;
    await sleep(nextPollInMs, options.signal);
  }
  const result: WaitForStatusResult = {
    statuses: latest(),
    pending: { ids: [...ids], sgExternalIds: [...sgIds] },
    done: ids.size + sgIds.size === 0,
    stoppedBecause,
    attempts,
    elapsedMs: Date.now() - started,
  };
  return { result, byId, bySg };
}

/** A recipient outcome with the delivery status found for it. */
export type DeliveredOutcome<Item> =
  | (SentOutcome<Item> & { delivery: TransactionalStatus | undefined })
  | (UnknownOutcome<Item> & { delivery: TransactionalStatus | undefined })
  | FailedOutcome<Item>
  | SkippedOutcome<Item>;

/**
 * Waits for the delivery status of every `sent` (and `unknown`) recipient of a `sendTransactional` report,
 * by message id when known, else by `sg_external_id`, and attaches it as `delivery`. A status found for an
 * `unknown` recipient proves it went out: it becomes `sent`. Message ids learnt from the status are filled in.
 */
export async function waitForDelivery<Item>(
  client: MarigoldEngageClient,
  report: TransactionalSendReport<Item>,
  options: Omit<WaitForStatusOptions, "ids" | "sgExternalIds"> = {},
): Promise<WaitForStatusResult & { recipients: DeliveredOutcome<Item>[] }> {
  const waiting = report.recipients.filter((r) => r.status === "sent" || r.status === "unknown");
  const ids = waiting.flatMap((r) => (r.status === "sent" && r.messageId ? [r.messageId] : []));
  const sgExternalIds = waiting.flatMap((r) => (!(r.status === "sent" && r.messageId) && r.sgExternalId ? [r.sgExternalId] : []));
  const { result, byId, bySg } = await pollStatuses(client, { ...options, ids, sgExternalIds });
  const recipients = report.recipients.map((r): DeliveredOutcome<Item> => {
    if (r.status !== "sent" && r.status !== "unknown") return r;
    const delivery = (r.status === "sent" && r.messageId ? byId.get(r.messageId) : undefined) ?? (r.sgExternalId ? bySg.get(r.sgExternalId) : undefined);
    if (r.status === "unknown" && !delivery) return { ...r, delivery };
    const messageId = (r.status === "sent" ? r.messageId : undefined) ?? delivery?.id;
    return { index: r.index, item: r.item, sgExternalId: r.sgExternalId, status: "sent", messageId, delivery };
  });
  return { ...result, recipients };
}
