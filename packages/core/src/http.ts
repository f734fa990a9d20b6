/**
 * The HTTP layer under the attempt loop (transport.ts): one request in, one response out, nothing else. Two
 * backends with the same contract:
 *
 * - **fetch** (every runtime: browsers, Bun, Deno, edge, Node with a custom `fetch`): WHATWG `fetch`.
 * - **node** (Node, the default there): node-backend.ts, loaded only on Node (browsers never download it).
 *
 * Both follow redirects like `fetch` does, and drop credential headers when a redirect leaves the origin.
 */

/** Header lookup shared by both backends (`Headers` satisfies it). */
export interface HeaderBag {
  get(name: string): string | null;
}

export type RequestBody = string | Uint8Array | ArrayBuffer | FormData | Blob | URLSearchParams | ReadableStream<Uint8Array>;

export interface HttpRequest {
  method: string;
  /** `https://host:port`, no trailing slash. */
  origin: string;
  /** Path and query, starting with `/`. */
  path: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: RequestBody;
  /** Aborts this attempt (timeout, the caller's signal). */
  abort: AttemptAbort;
  /** The attempt's time budget (ms): lets the fetch backend share one timeout signal between attempts. */
  timeoutMs?: number;
  /** Set when the caller gave an AbortSignal: then the attempt gets a signal of its own, aborted at once. */
  callerSignal?: AbortSignal;
  /** A success body will be handed back as a stream, read after the attempt is over. */
  streamed?: boolean;
  redirect: RequestRedirect;
  /** Header names that carry credentials, dropped when a redirect leaves the origin. */
  credentialHeaders: readonly string[];
}

export interface HttpResponse {
  status: number;
  headers: HeaderBag;
  /** The final URL, after redirects. */
  url: string;
  /** The whole body as text; rejects when the body is cut or the attempt aborted. */
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
  /** The body as a web stream (streamed results), or null when there is none. */
  stream(): ReadableStream<Uint8Array> | null;
  /** Discards the body so the connection can be reused. */
  discard(): Promise<void>;
  /** The headers as a WHATWG `Headers` (built on demand on the node backend). */
  webHeaders(): Headers;
}

export type HttpBackend = (request: HttpRequest) => Promise<HttpResponse>;

/**
 * Abort handle of one attempt. It is an EventTarget-like object undici accepts as `signal` directly, so the
 * node backend never creates an AbortController (about 12 µs each on Node 20, a tenth of a loopback call);
 * `signal` builds a real AbortSignal only when a backend asks for one (fetch).
 */
export class AttemptAbort {
  aborted = false;
  reason: unknown = undefined;
  private listeners: Array<() => void> | undefined;
  private controller: AbortController | undefined;

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  addEventListener(_type: "abort", listener: () => void): void {
    (this.listeners ??= []).push(listener);
  }

  removeEventListener(_type: "abort", listener: () => void): void {
    const i = this.listeners?.indexOf(listener) ?? -1;
    if (i >= 0) this.listeners!.splice(i, 1);
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
    for (const listener of this.listeners?.splice(0) ?? []) listener();
  }
}

/**
 * The fetch backend: `fetchImpl` is the user's `fetch` or the runtime's global one.
 *
 * An attempt that ends (timeout, abort) rejects at once, and its body stops being read. What stops the request
 * itself is an AbortSignal: the caller's own when there is one; otherwise a signal shared by every attempt that
 * started within the same short window with the same timeout, aborted once the last of them is past its timeout.
 * One shared signal instead of an AbortController per attempt keeps the fetch path close to a hand-written
 * fetch call (on Node 20 creating one costs more than all the rest of the client's work per call).
 */
export function fetchBackend(fetchImpl: typeof fetch): HttpBackend {
  return async (request) => {
    const url = request.origin + request.path;
    const { abort } = request;
    // A streamed result outlives its attempt, so it never shares a signal that fires on a later deadline.
    const shared =
      request.callerSignal || request.timeoutMs === undefined || request.streamed ? undefined : sharedTimeoutSignal(request.timeoutMs);
    const release = shared ? shared.release : () => undefined;
    let response: Response;
    try {
      response = await untilAborted(
        fetchImpl(url, {
          method: request.method,
          headers: request.headers,
          body: request.body as BodyInit | undefined,
          redirect: request.redirect,
          signal: shared ? shared.signal : abort.signal,
          ...(isStream(request.body) ? { duplex: "half" } : {}),
        } as RequestInit),
        abort,
      );
    } catch (error) {
      // Ended by the attempt's own timeout or abort, the request may still be waiting for headers: only the
      // shared signal stops it now, so it stays armed (its timer fires and drops it).
      if (!abort.aborted) release();
      throw error;
    }
    const cancel = () => void response.body?.cancel(abort.reason).catch(() => undefined);
    const settled = <T>(work: Promise<T>) => {
      const result = untilAborted(work, abort, cancel);
      result.then(release, release);
      return result;
    };
    return {
      status: response.status,
      headers: response.headers,
      url: response.url || url,
      text: () => settled(response.text()),
      arrayBuffer: () => settled(response.arrayBuffer()),
      stream: () => {
        release();
        return response.body;
      },
      discard: async () => {
        release();
        await response.body?.cancel().catch(() => undefined);
      },
      webHeaders: () => response.headers,
    };
  };
}

/** `work`, or a rejection with the abort's reason as soon as the attempt is aborted (then `onAbort` runs). */
function untilAborted<T>(work: Promise<T>, abort: AttemptAbort, onAbort?: () => void): Promise<T> {
  if (abort.aborted) {
    onAbort?.();
    work.catch(() => undefined);
    return Promise.reject(abort.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const stop = () => {
      onAbort?.();
      reject(abort.reason);
    };
    abort.addEventListener("abort", stop);
    work.then(
      (value) => {
        abort.removeEventListener("abort", stop);
        resolve(value);
      },
      (error: unknown) => {
        abort.removeEventListener("abort", stop);
        reject(error);
      },
    );
  });
}

interface TimeoutBucket {
  controller: AbortController;
  opened: number;
  /** Attempts that took this signal. */
  members: number;
  /** Attempts that took it and have not finished yet. */
  running: number;
  timer: { unref?: () => void } | undefined;
}

/** Attempts per shared signal. Small on purpose: see sharedTimeoutSignal. */
const BUCKET_MEMBERS = 32;
const buckets = new Map<number, TimeoutBucket>();

/**
 * A signal aborted no earlier than `timeoutMs` after now, and `release` to call when the attempt is over.
 * Attempts with the same timeout that start within `window` (1/20 of the timeout, 5 ms to 1 s) share it, at most
 * BUCKET_MEMBERS of them, and it fires `window + timeoutMs` after the first of them: every attempt still running
 * then is past its own timeout. Once the last of its attempts is over and a newer signal took its place, its
 * timer is cleared, so finished attempts hold no timer and no controller.
 *
 * Why not more members: Node's fetch (undici) adds an abort listener per request to the signal and removes it
 * only when that request is garbage-collected, and on every request it copies the list of the signal's
 * listeners; with hundreds of requests on one signal that copy cost more per call (about 7 µs in a CPU profile
 * of `pnpm bench`'s sequential run) than the AbortController it saves.
 */
function sharedTimeoutSignal(timeoutMs: number): { signal: AbortSignal; release: () => void } {
  const window = Math.min(1000, Math.max(5, timeoutMs / 20));
  const now = Date.now();
  let bucket = buckets.get(timeoutMs);
  if (!bucket || now - bucket.opened > window || bucket.members >= BUCKET_MEMBERS) {
    if (bucket && bucket.running === 0) retire(bucket);
    const controller = new AbortController();
    const opened: TimeoutBucket = { controller, opened: now, members: 0, running: 0, timer: undefined };
    opened.timer = setTimeout(() => {
      if (buckets.get(timeoutMs) === opened) buckets.delete(timeoutMs);
      opened.timer = undefined;
      controller.abort();
    }, timeoutMs + window) as unknown as { unref?: () => void };
    opened.timer.unref?.();
    buckets.set(timeoutMs, opened);
    bucket = opened;
  }
  const taken = bucket;
  taken.members += 1;
  taken.running += 1;
  let released = false;
  return {
    signal: taken.controller.signal,
    release: () => {
      if (released) return;
      released = true;
      taken.running -= 1;
      if (taken.running === 0 && buckets.get(timeoutMs) !== taken) retire(taken);
    },
  };
}

function retire(bucket: TimeoutBucket): void {
  if (bucket.timer !== undefined) clearTimeout(bucket.timer as Parameters<typeof clearTimeout>[0]);
  bucket.timer = undefined;
}

function isStream(body: unknown): boolean {
  return typeof ReadableStream !== "undefined" && body instanceof ReadableStream;
}

export function isNode(): boolean {
  const g = globalThis as { process?: { versions?: Record<string, string> }; Bun?: unknown; Deno?: unknown };
  return typeof g.process?.versions?.node === "string" && g.Bun === undefined && g.Deno === undefined;
}
