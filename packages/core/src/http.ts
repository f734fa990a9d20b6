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
    const signal = request.callerSignal || request.timeoutMs === undefined ? abort.signal : sharedTimeoutSignal(request.timeoutMs);
    const response = await untilAborted(
      fetchImpl(url, {
        method: request.method,
        headers: request.headers,
        body: request.body as BodyInit | undefined,
        redirect: request.redirect,
        signal,
        ...(isStream(request.body) ? { duplex: "half" } : {}),
      } as RequestInit),
      abort,
    );
    const cancel = () => void response.body?.cancel(abort.reason).catch(() => undefined);
    return {
      status: response.status,
      headers: response.headers,
      url: response.url || url,
      text: () => untilAborted(response.text(), abort, cancel),
      arrayBuffer: () => untilAborted(response.arrayBuffer(), abort, cancel),
      stream: () => response.body,
      discard: async () => {
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
  members: number;
}

const buckets = new Map<number, TimeoutBucket>();

/**
 * A signal aborted no earlier than `timeoutMs` after now. Attempts with the same timeout that start within
 * `window` (1/20 of the timeout, 5 ms to 1 s) share it, and it fires `window + timeoutMs` after the first of
 * them: every attempt still running then is past its own timeout. At most 256 attempts per signal (fetch adds
 * one listener each). The timer does not keep the process alive.
 */
function sharedTimeoutSignal(timeoutMs: number): AbortSignal {
  const window = Math.min(1000, Math.max(5, timeoutMs / 20));
  const now = Date.now();
  let bucket = buckets.get(timeoutMs);
  if (!bucket || now - bucket.opened > window || bucket.members >= 256) {
    const controller = new AbortController();
    bucket = { controller, opened: now, members: 0 };
    buckets.set(timeoutMs, bucket);
    const opened = bucket;
    const timer = setTimeout(() => {
      if (buckets.get(timeoutMs) === opened) buckets.delete(timeoutMs);
      controller.abort();
    }, timeoutMs + window) as unknown as { unref?: () => void };
    timer.unref?.();
  }
  bucket.members += 1;
  return bucket.controller.signal;
}

function isStream(body: unknown): boolean {
  return typeof ReadableStream !== "undefined" && body instanceof ReadableStream;
}

export function isNode(): boolean {
  const g = globalThis as { process?: { versions?: Record<string, string> }; Bun?: unknown; Deno?: unknown };
  return typeof g.process?.versions?.node === "string" && g.Bun === undefined && g.Deno === undefined;
}
