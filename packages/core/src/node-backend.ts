/**
 * The node backend (see http.ts for the contract): the `request()` API of the undici dispatcher that Node's own
 * `fetch` is built on. It does the same HTTP work (same connection pool, keep-alive, proxy settings from
 * `setGlobalDispatcher`) without building a WHATWG Request, Response and body stream per call, which is most of
 * `fetch`'s cost on Node (see `pnpm bench`). No dependency: Node ships undici and publishes its global dispatcher
 * under `Symbol.for("undici.globalDispatcher.1")`, the key undici itself uses to share it between copies. Loaded
 * with a dynamic import, only on Node.
 */
// Types only: a runtime import from http.ts would make bundlers split it into a chunk shared with this lazy one.
import type { HeaderBag, HttpBackend, HttpResponse } from "./http.js";

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;

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
  if (typeof globalThis.fetch !== "function") return Promise.resolve(undefined);
  priming ??= (globalThis.fetch as () => Promise<unknown>)().then(
    () => globalDispatcher(),
    () => globalDispatcher(),
  );
  return priming;
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
