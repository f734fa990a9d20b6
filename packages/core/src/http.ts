/**
 * The HTTP layer under the attempt loop (transport.ts): one request in, one response out, nothing else. Two
 * backends with the same contract:
 *
 * - **fetch** (every runtime: browsers, Bun, Deno, edge, Node with a custom `fetch`): WHATWG `fetch`.
 * - **node** (Node, the default there): the `request()` API of the undici dispatcher that Node's own `fetch` is
 *   built on. It does the same HTTP work (same connection pool, keep-alive, proxy settings from
 *   `setGlobalDispatcher`) without building a WHATWG Request, Response and body stream per call, which is most of
 *   `fetch`'s cost on Node (see `pnpm bench`). No dependency: Node ships undici and publishes its global
 *   dispatcher under `Symbol.for("undici.globalDispatcher.1")`, the key undici itself uses to share it between
 *   copies.
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

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;

/** The fetch backend: `fetchImpl` is the user's `fetch` or the runtime's global one. */
export function fetchBackend(fetchImpl: typeof fetch): HttpBackend {
  return async (request) => {
    const url = request.origin + request.path;
    const response = await fetchImpl(url, {
      method: request.method,
      headers: request.headers,
      body: request.body as BodyInit | undefined,
      redirect: request.redirect,
      signal: request.abort.signal,
      ...(isStream(request.body) ? { duplex: "half" } : {}),
    } as RequestInit);
    return {
      status: response.status,
      headers: response.headers,
      url: response.url || url,
      text: () => response.text(),
      arrayBuffer: () => response.arrayBuffer(),
      stream: () => response.body,
      discard: async () => {
        await response.body?.cancel().catch(() => undefined);
      },
      webHeaders: () => response.headers,
    };
  };
}

function isStream(body: unknown): boolean {
  return typeof ReadableStream !== "undefined" && body instanceof ReadableStream;
}

/** The subset of undici's Dispatcher this backend uses. */
export interface UndiciDispatcher {
  request(options: {
    origin: string;
    path: string;
    method: string;
    headers: Record<string, string>;
    body?: string | Uint8Array | null;
    signal?: unknown;
  }): Promise<{
    statusCode: number;
    headers: Record<string, string | string[] | undefined>;
    body: {
      text(): Promise<string>;
      arrayBuffer(): Promise<ArrayBuffer>;
      dump?(): Promise<void>;
      destroy(error?: Error): void;
      [Symbol.asyncIterator](): AsyncIterator<Uint8Array>;
    };
  }>;
}

const GLOBAL_DISPATCHER = Symbol.for("undici.globalDispatcher.1");

/** The dispatcher Node's fetch uses right now (a later `setGlobalDispatcher` is followed, as fetch follows it). */
export function globalDispatcher(): UndiciDispatcher | undefined {
  const d = (globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER] as UndiciDispatcher | undefined;
  return d && typeof d.request === "function" ? d : undefined;
}

let priming: Promise<UndiciDispatcher | undefined> | undefined;

/**
 * Node's undici dispatcher, or undefined outside Node (Bun and Deno have no such dispatcher). Node creates it
 * when `fetch` first runs; a `fetch()` without arguments loads undici and rejects at once without any I/O.
 */
export function nodeDispatcher(): Promise<UndiciDispatcher | undefined> {
  const existing = globalDispatcher();
  if (existing) return Promise.resolve(existing);
  if (!isNode() || typeof globalThis.fetch !== "function") return Promise.resolve(undefined);
  priming ??= (globalThis.fetch as () => Promise<unknown>)().then(
    () => globalDispatcher(),
    () => globalDispatcher(),
  );
  return priming;
}

export function isNode(): boolean {
  const g = globalThis as { process?: { versions?: Record<string, string> }; Bun?: unknown; Deno?: unknown };
  return typeof g.process?.versions?.node === "string" && g.Bun === undefined && g.Deno === undefined;
}

/**
 * undici hands a keep-alive connection back to its pool one event-loop turn after the response body was read.
 * A request dispatched before that turn (the next call of a sequential loop) would open a second connection,
 * so right after a body was read the next dispatch waits one turn (vendors such as Relay42 ask for one
 * persistent connection). At other times requests go at once.
 */
let releasePending = false;
const setImmediateFn = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;

function bodyRead(): void {
  if (releasePending || !setImmediateFn) return;
  releasePending = true;
  setImmediateFn(() => (releasePending = false));
}

function afterRelease(): Promise<void> | undefined {
  return releasePending && setImmediateFn ? new Promise<void>((resolve) => setImmediateFn(resolve)) : undefined;
}

/**
 * The node backend. Bodies it cannot send as bytes (FormData, Blob, streams) go through `fallback` (fetch),
 * which encodes multipart and streams exactly as `fetch` users expect.
 */
export function nodeBackend(dispatcher: UndiciDispatcher | (() => UndiciDispatcher | undefined), fallback: HttpBackend): HttpBackend {
  const current = typeof dispatcher === "function" ? dispatcher : () => dispatcher;
  return async (request) => {
    const d = current();
    const body = request.body;
    if (!d || (body !== undefined && typeof body !== "string" && !(body instanceof Uint8Array))) return fallback(request);
    let { method, origin, path, headers } = request;
    let sendBody: string | Uint8Array | undefined = body;
    for (let hops = 0; ; hops++) {
      const wait = afterRelease();
      if (wait) await wait;
      const res = await d.request({ origin, path, method, headers, body: sendBody, signal: request.abort });
      const location = res.headers.location;
      if (request.redirect !== "manual" && REDIRECTS.has(res.statusCode) && typeof location === "string") {
        await discardUndici(res.body);
        if (request.redirect === "error") throw new TypeError(`redirect to ${location} refused (redirect: "error")`);
        if (hops >= MAX_REDIRECTS) throw new TypeError("too many redirects");
        const next = new URL(location, origin + path);
        if (next.origin !== origin) headers = withoutHeaders(headers, request.credentialHeaders);
        // As fetch does: 303 always, and 301/302 after a POST, continue as a GET without a body.
        if (res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && method === "POST")) {
          if (method !== "HEAD") method = "GET";
          sendBody = undefined;
          headers = withoutHeaders(headers, ["content-type", "content-length"]);
        }
        origin = next.origin;
        path = next.pathname + next.search;
        continue;
      }
      return undiciResponse(res, origin + path);
    }
  };
}

function withoutHeaders(headers: Record<string, string>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (!names.includes(k)) out[k] = v;
  return out;
}

async function discardUndici(body: { dump?(): Promise<void>; destroy(error?: Error): void }): Promise<void> {
  try {
    if (body.dump) await body.dump();
    else body.destroy();
  } catch {
    // The connection is dropped; nothing to free.
  }
  bodyRead();
}

type RawHeaders = Record<string, string | string[] | undefined>;

function headerBag(raw: RawHeaders): HeaderBag {
  return {
    get(name) {
      const v = raw[name.toLowerCase()];
      return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
    },
  };
}

function undiciResponse(res: Awaited<ReturnType<UndiciDispatcher["request"]>>, url: string): HttpResponse {
  const encoding = res.headers["content-encoding"];
  // Nothing asked for compression (no accept-encoding is sent); if a server compresses anyway, decode it.
  const decode = typeof encoding === "string" && /^(gzip|x-gzip|deflate)$/i.test(encoding.trim());
  const stream = (): ReadableStream<Uint8Array> => {
    const source = res.body;
    const raw = new ReadableStream<Uint8Array>({
      async start(controller) {
        try {
          for await (const chunk of source) controller.enqueue(chunk);
          controller.close();
        } catch (error) {
          controller.error(error);
        }
      },
      cancel(reason) {
        source.destroy(reason instanceof Error ? reason : undefined);
      },
    });
    if (!decode) return raw;
    const format = /deflate/i.test(String(encoding)) ? "deflate" : "gzip";
    return raw.pipeThrough(new DecompressionStream(format) as unknown as ReadableWritablePair<Uint8Array, Uint8Array>);
  };
  let headers: Headers | undefined;
  return {
    status: res.statusCode,
    headers: headerBag(res.headers),
    url,
    text: () => (decode ? new Response(stream()).text() : res.body.text()).finally(bodyRead),
    arrayBuffer: () => (decode ? new Response(stream()).arrayBuffer() : res.body.arrayBuffer()).finally(bodyRead),
    stream,
    discard: () => discardUndici(res.body),
    webHeaders: () => {
      if (!headers) {
        headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          if (v === undefined) continue;
          for (const item of Array.isArray(v) ? v : [v]) headers.append(k, item);
        }
      }
      return headers;
    },
  };
}
