/**
 * Bulk jobs: the CSV import flow Contacthub splits over three calls (upload → poll → results), as helpers that
 * sit beside the generated `createBulkJob` / `getBulkJob` / `getBulkJobResults` (which stay available).
 *
 * Everything here runs in Node, browsers and edge runtimes: `node:fs` is imported lazily, and only when the
 * caller hands us a file path, so a browser bundle never has to resolve it.
 */
import {
  AbortError,
  ActivationKitError,
  NotFoundError,
  backoffDelayMs,
  sleep,
  type RequestOptions,
  type Runtime,
} from "@activation-kit/core";
import type { components, paths } from "./generated/types.js";

export type BulkJob = components["schemas"]["BulkJob"];
export type BulkJobStatus = components["schemas"]["BulkJobStatus"];
export type BulkJobOperation = components["schemas"]["BulkJobOperation"];
export type BulkJobEntity = components["schemas"]["BulkJobEntity"];
export type EventType = components["schemas"]["EventType"];

/**
 * A CSV to upload. A `string` is the CSV text itself (never a path: pass `{path}` for a file, so a one-line
 * CSV can never be mistaken for a file name). Streams may be Node `Readable`s, any async iterable of bytes or
 * strings, or a web `ReadableStream`.
 */
export type CsvSource =
  | string
  | Blob
  | { path: string }
  | AsyncIterable<Uint8Array | string>
  | ReadableStream<Uint8Array>;

export interface BulkJobUpload {
  /** The entry node the job imports into. */
  nodeId: string;
  /** Defaults to the client's `workspaceId`. */
  workspaceId?: string;
  file: CsvSource;
  /** File name sent with the upload (shown in the Contacthub UI). Default: the path's base name, a `File`'s name, or `upload.csv`. */
  filename?: string;
  operation: BulkJobOperation;
  entity?: BulkJobEntity;
  /** Required by Contacthub when `entity` is `EVENT`. */
  eventType?: EventType;
}

export interface BulkJobRef {
  nodeId: string;
  jobId: string;
  workspaceId?: string;
}

export interface BulkJobWaitOptions {
  /** First delay between polls. Default 2 000 ms. */
  intervalMs?: number;
  /** Each delay is the previous one times this. Default 1.5. */
  multiplier?: number;
  /** Cap of one delay. Default 30 000 ms. */
  maxIntervalMs?: number;
  /** Give up (BulkJobTimeoutError) after this long. Default 1 hour; `Infinity` waits for ever. */
  timeoutMs?: number;
  /** Stops waiting (and any poll in flight) with an AbortError. */
  signal?: AbortSignal;
  /**
   * Called with every state: the upload's answer (`run()` only), then each poll, with the job's own counts
   * (`processedEntities`, `failedEntities`, `totalEntities`) and when the next poll comes.
   */
  onProgress?: (progress: BulkJobProgress) => void;
  /** @deprecated Use `onProgress` (the same states, plus timing). Called with every polled state. */
  onPoll?: (job: BulkJob) => void;
  /** Statuses that end the wait. Default `PROCESSED` and `FAILED` (the states that have results). */
  until?: readonly BulkJobStatus[];
}

/** What the bulk-job helpers report to `onProgress`. */
export interface BulkJobProgress {
  /** `"uploaded"`: the answer of the upload (`run()` only); `"polled"`: the answer of a `getBulkJob` poll. */
  phase: "uploaded" | "polled";
  /** The job as Contacthub reported it (`status`, `processedEntities`, `failedEntities`, `totalEntities` …). */
  job: BulkJob;
  /** Polls made so far (0 for the upload). */
  polls: number;
  /** Since the wait (or `run()`) started. */
  elapsedMs: number;
  /**
   * Wait before the next poll; `undefined` when polling stops here: the status is one of `until`
   * (the helper resolves), or the deadline has passed (it throws `BulkJobTimeoutError`).
   */
  nextPollInMs: number | undefined;
}

export interface BulkJobRunResult {
  /** The job in its final state. */
  job: BulkJob;
  /**
   * The results CSV (one row per input row with its outcome), or `undefined` when the job failed before
   * processing anything and Contacthub keeps no results (404).
   */
  results: string | undefined;
}

/** The job did not reach a final status within `timeoutMs`. It keeps running server-side; `job` is the last state seen. */
export class BulkJobTimeoutError extends ActivationKitError {
  readonly job: BulkJob;
  readonly timeoutMs: number;
  constructor(job: BulkJob, timeoutMs: number) {
    super(`Bulk job ${job.id ?? "?"} still ${job.status ?? "unknown"} after ${timeoutMs} ms (it keeps running on the server)`);
    this.job = job;
    this.timeoutMs = timeoutMs;
  }
}

export interface BulkJobHelpers {
  /**
   * Uploads a CSV as a new bulk job (multipart `createBulkJob`): a `file` part named after `filename` with
   * type `text/csv`, plus the `operation`/`entity`/`eventType` fields. Resolves to the job (LOADED or FAILED).
   */
  upload(input: BulkJobUpload, options?: RequestOptions): Promise<BulkJob>;
  /**
   * Polls `getBulkJob` with growing delays until the job is PROCESSED or FAILED (see {@link BulkJobWaitOptions}),
   * reporting each state to `onProgress`; throws `BulkJobTimeoutError` at the deadline.
   */
  waitFor(job: BulkJobRef, options?: BulkJobWaitOptions): Promise<BulkJob>;
  /** The results CSV of a finished job (`getBulkJobResults`, text/csv). */
  results(job: BulkJobRef, options?: RequestOptions): Promise<string>;
  /** Upload, wait and fetch the results in one call. */
  run(input: BulkJobUpload, options?: BulkJobWaitOptions): Promise<BulkJobRunResult>;
}

const DEFAULT_UNTIL: readonly BulkJobStatus[] = ["PROCESSED", "FAILED"];

export function bulkJobHelpers(runtime: Runtime<paths>): BulkJobHelpers {
  async function upload(input: BulkJobUpload, options: RequestOptions = {}): Promise<BulkJob> {
    const fields: Record<string, string> = { operation: input.operation };
    if (input.entity !== undefined) fields.entity = input.entity;
    if (input.eventType !== undefined) fields.eventType = input.eventType;
    const { blob, filename } = await toCsvBlob(input.file, input.filename);
    // The runtime validates the form against the spec (the file part as a binary string) before sending.
    const form = new FormData();
    form.append("file", blob, filename);
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    return (await runtime.call(
      "createBulkJob",
      { path: pathOf(input), body: form },
      options,
    )) as BulkJob;
  }

  async function waitFor(ref: BulkJobRef, options: BulkJobWaitOptions = {}, started = Date.now()): Promise<BulkJob> {
    const until = options.until ?? DEFAULT_UNTIL;
    // The ladder is core's back-off (no jitter): interval, × multiplier each poll, capped.
    const ladder = {
      maxRetries: Infinity,
      initialDelayMs: options.intervalMs ?? 2_000,
      maxDelayMs: options.maxIntervalMs ?? 30_000,
      multiplier: options.multiplier ?? 1.5,
      jitter: false,
    };
    const timeoutMs = options.timeoutMs ?? 3_600_000;
    for (let poll = 1; ; poll++) {
      const job = (await runtime.call("getBulkJob", { path: { ...pathOf(ref), jobId: ref.jobId } }, { signal: options.signal })) as BulkJob;
      const finished = job.status !== undefined && until.includes(job.status);
      const elapsedMs = Date.now() - started;
      const left = timeoutMs - elapsedMs;
      const nextPollInMs = finished || left <= 0 ? undefined : Math.min(backoffDelayMs(poll, ladder), left);
      options.onPoll?.(job);
      options.onProgress?.({ phase: "polled", job, polls: poll, elapsedMs, nextPollInMs });
      if (finished) return job;
      if (nextPollInMs === undefined) throw new BulkJobTimeoutError(job, timeoutMs);
      try {
        await sleep(nextPollInMs, options.signal);
      } catch (reason) {
        throw new AbortError({ method: "GET", url: `${runtime.baseUrl}/…/bulk-jobs/${ref.jobId}`, operationId: "getBulkJob" }, reason);
      }
    }
  }

  async function results(ref: BulkJobRef, options?: RequestOptions): Promise<string> {
    return (await runtime.call("getBulkJobResults", { path: { ...pathOf(ref), jobId: ref.jobId } }, options)) as string;
  }

  async function run(input: BulkJobUpload, options: BulkJobWaitOptions = {}): Promise<BulkJobRunResult> {
    const started = Date.now();
    const created = await upload(input, { signal: options.signal });
    const until = options.until ?? DEFAULT_UNTIL;
    const ref = { nodeId: input.nodeId, workspaceId: input.workspaceId, jobId: created.id as string };
    // An upload that failed is FAILED at once: no need to poll.
    const finished = created.status !== undefined && until.includes(created.status);
    options.onProgress?.({ phase: "uploaded", job: created, polls: 0, elapsedMs: Date.now() - started, nextPollInMs: finished ? undefined : 0 });
    const job = finished ? created : await waitFor(ref, options, started);
    try {
      return { job, results: await results(ref, { signal: options.signal }) };
    } catch (e) {
      if (e instanceof NotFoundError && job.status === "FAILED") return { job, results: undefined };
      throw e;
    }
  }

  return { upload, waitFor: (ref, options) => waitFor(ref, options), results, run };
}

function pathOf(ref: { nodeId: string; workspaceId?: string }): Record<string, string> {
  return ref.workspaceId === undefined ? { nodeId: ref.nodeId } : { workspaceId: ref.workspaceId, nodeId: ref.nodeId };
}

/** Turns any supported CSV source into a `text/csv` Blob and a file name. */
export async function toCsvBlob(source: CsvSource, filename?: string): Promise<{ blob: Blob; filename: string }> {
  const type = "text/csv";
  if (typeof source === "string") return { blob: new Blob([source], { type }), filename: filename ?? "upload.csv" };
  if (source instanceof Blob) {
    const name = filename ?? (typeof (source as File).name === "string" && (source as File).name ? (source as File).name : "upload.csv");
    // Re-wrap so the part says text/csv even when the Blob had no (or another) type.
    return { blob: source.type === type ? source : new Blob([source], { type }), filename: name };
  }
  if (isPathSource(source)) {
    // A variable specifier keeps bundlers from resolving node:fs for browser/edge builds.
    const specifier = "node:fs/promises";
    const fs = (await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)) as typeof import("node:fs/promises");
    const bytes = await fs.readFile(source.path);
    return { blob: new Blob([bytes], { type }), filename: filename ?? baseName(source.path) };
  }
  const chunks: Uint8Array[] = [];
  const encoder = new TextEncoder();
  if (typeof (source as ReadableStream<Uint8Array>).getReader === "function") {
    const reader = (source as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(typeof value === "string" ? encoder.encode(value) : value);
    }
  } else if (typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function") {
    for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
      chunks.push(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
    }
  } else {
    throw new TypeError("bulk job `file` must be a CSV string, a Blob, {path}, a Node stream or a ReadableStream");
  }
  return { blob: new Blob(chunks as BlobPart[], { type }), filename: filename ?? "upload.csv" };
}

function isPathSource(source: CsvSource): source is { path: string } {
  return typeof source === "object" && source !== null && typeof (source as { path?: unknown }).path === "string" &&
    typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] !== "function";
}

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || "upload.csv";
}
