/**
 * The by-name call path, without openapi-fetch: validate the input against the spec, build the URL, headers
 * and body exactly as the spec says, run the attempt loop (transport.ts), and turn the exchange into the typed
 * success body or a typed error. `runtime.ts` adds the path-style openapi-fetch client and pagination on top;
 * standalone per-operation functions use this engine alone.
 */
import { staticAuthHeaders } from "./auth.js";
import { checkEnvelope } from "./envelope.js";
import {
  apiErrorFor,
  ConfigurationError,
  RequestValidationError,
  ResponseParseError,
  type ActivationKitError,
  type SentRequest,
  type ValidationIssue,
} from "./errors.js";
import { fetchBackend, isNode, type HttpBackend, type RequestBody } from "./http.js";
import { Observer, type Hooks, type LogFunction, type Logger, type LogLevel } from "./observe.js";
import type { ApiSpec, OperationSpec } from "./operation.js";
import { serializeQuery } from "./query.js";
import { RateLimiter, type RateLimiterOptions } from "./rate-limit.js";
import { Redactor } from "./redact.js";
import type { RetryPolicy } from "./retry.js";
import { Circuit, createAttemptLoop, parseLoose, requestIdOf, type AttemptLoop, type Exchange, type OutgoingCall } from "./transport.js";
import { checkResponse } from "./response-check.js";
import { validateRequest, type ResponseSchemas } from "./validation.js";

export const CORE_VERSION = "0.1.0";

export type ResponseValidationMode = "off" | "warn" | "throw";

export interface ClientOptions {
  /** Full base URL. Default: the spec's first server, with `serverVariables` filled in. */
  baseUrl?: string;
  /** Which of the spec's servers to use (index), when `baseUrl` is not given. */
  server?: number;
  serverVariables?: Record<string, string>;
  auth?: import("./auth.js").Auth;
  /**
   * Custom fetch (a proxy agent, a test double, an edge runtime's fetch). Giving one selects the fetch
   * transport.
   */
  fetch?: typeof fetch;
  /**
   * `"auto"` (default): Node's built-in undici dispatcher on Node (fast, same connection pool and proxy settings
   * as Node's fetch), `fetch` everywhere else; `"fetch"` forces `fetch` (and is implied by the `fetch` option);
   * `"node"` insists on the Node transport.
   */
  transport?: "auto" | "fetch" | "node";
  /** Per attempt, from sending until the whole body has arrived. Default 60 s. */
  timeoutMs?: number;
  /** Per call, all attempts and back-off included. Default: none (bounded by the attempts and their timeouts). */
  totalTimeoutMs?: number;
  /** Shorthand for `retry: {maxRetries}`. */
  maxRetries?: number;
  /** Overrides of the spec's default retry policy, or the name of one of its named policies (e.g. `"bulk"`). */
  retry?: Partial<RetryPolicy> | string;
  /** Appended to the User-Agent so the vendor can tell your app. */
  userAgent?: string;
  /** Client-side rate limit in cost units per second (see `x-rate-limit-cost`), or a shared limiter. */
  rateLimit?: RateLimiterOptions | RateLimiter;
  /** Values for parameters the spec marks `x-client-config` (Relay42 `siteNumber`, Marigold `organization` …). */
  config?: Record<string, string | number>;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** Validate input against the spec before sending (default true). */
  validate?: boolean;
  /**
   * Check success bodies against the operation's documented response schema: `"warn"` logs what differs
   * (field, rule, operation; never values), `"throw"` raises `ResponseValidationError` with the parsed body.
   * Default `"off"`; the schemas are loaded only when this is on.
   */
  validateResponses?: ResponseValidationMode;
  /** Where log lines go: `console` (default), any object with debug/info/warn/error, or a function. */
  logger?: Logger | LogFunction;
  /** `debug` logs every attempt; default `warn` (or `ACTIVATION_KIT_LOG`). Credentials are always redacted. */
  logLevel?: LogLevel;
  /** Per-attempt hooks: `onRequest`, `onResponse`, `onRetry`, `onError` (see the core README for their order). */
  hooks?: Hooks;
}

export interface RequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  totalTimeoutMs?: number;
  maxRetries?: number;
  retry?: Partial<RetryPolicy> | string;
  headers?: Record<string, string>;
  validate?: boolean;
  validateResponses?: ResponseValidationMode;
}

export interface CallParams {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  header?: Record<string, unknown>;
  body?: unknown;
}

export interface GeneratedApi {
  spec: ApiSpec;
  /** Each operation carries its request schema (`requestSchema`); see validation.ts for the contract. */
  operations: Record<string, OperationSpec>;
  /** Loads the success-response schemas (a dynamic import), only when responses are validated. */
  loadResponseSchemas?: () => Promise<ResponseSchemas>;
}

/** A by-name call's result: a Promise of the body, plus the response and its metadata on request. */
export interface ApiPromise<T> extends Promise<T> {
  /** The body with the response it came from, the vendor's request id and the number of attempts. */
  withResponse(): Promise<WithResponse<T>>;
}

export interface WithResponse<T> {
  data: T;
  /** Status and headers as received; its body is the raw text of the response. */
  response: Response;
  requestId: string | undefined;
  attempts: number;
}

/** What a successful call produced, before it is unwrapped into `data`. */
export interface CallOutcome {
  data: unknown;
  exchange: Exchange;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|::1)$/i;

export function resolveBaseUrl(spec: ApiSpec, options: Pick<ClientOptions, "baseUrl" | "server" | "serverVariables">): string {
  let url = options.baseUrl;
  if (!url) {
    const server = spec.servers[options.server ?? 0];
    if (!server) throw new ConfigurationError(`${spec.title} has no server number ${options.server}`);
    url = server.url.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const v = options.serverVariables?.[name] ?? server.variables?.[name]?.default;
      if (v === undefined) throw new ConfigurationError(`Server variable "${name}" is required`);
      const allowed = server.variables?.[name]?.enum;
      if (allowed && !allowed.includes(v)) {
        throw new ConfigurationError(`Server variable "${name}" must be one of ${allowed.join(", ")}`);
      }
      if (!/^[A-Za-z0-9.-]+$/.test(v)) throw new ConfigurationError(`Server variable "${name}" must be a host label`);
      return v;
    });
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigurationError(`baseUrl is not an absolute URL: ${new Redactor().url(url)}`);
  }
  if (parsed.username || parsed.password) {
    throw new ConfigurationError("baseUrl must not contain credentials; pass them as `auth`");
  }
  if (parsed.protocol === "http:" && !LOOPBACK.test(parsed.hostname)) {
    throw new ConfigurationError(
      `Refusing plain http:// to ${parsed.hostname}: credentials would travel in clear and the vendor rejects it. ` +
        "Use https:// (plain http is allowed only for loopback hosts, e.g. a local mock).",
    );
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new ConfigurationError(`baseUrl must be http(s), got ${parsed.protocol}`);
  }
  return url.replace(/\/+$/, "");
}

export interface Engine {
  readonly spec: ApiSpec;
  readonly baseUrl: string;
  readonly redactor: Redactor;
  readonly circuit: Circuit;
  readonly observer: Observer;
  /** The attempt loop, shared with the path-style client. */
  readonly send: AttemptLoop;
  rateLimiter(): RateLimiter | undefined;
  setRateLimiter(limit: RateLimiterOptions | RateLimiter | undefined): RateLimiter | undefined;
  retryPolicy(option?: Partial<RetryPolicy> | string, maxRetries?: number): RetryPolicy;
  /** Validates and fills a call's params (config-filled path parameters); throws RequestValidationError. */
  check(op: OperationSpec, params: CallParams, requestOptions: RequestOptions, body: unknown): CallParams;
  /** Builds the request of a by-name call. */
  outgoing(op: OperationSpec, params: CallParams, requestOptions: RequestOptions): OutgoingCall;
  /** Turns an exchange into the call's result (or throws its typed error). */
  settle(op: OperationSpec, exchange: Exchange, requestOptions: RequestOptions): Promise<unknown>;
  /** Checks a success body the way the operation documents it; throws ResponseParseError. */
  readSuccess(op: OperationSpec | undefined, exchange: Exchange): unknown;
  /** One by-name call, end to end. */
  request(op: OperationSpec, params?: CallParams, options?: RequestOptions): ApiPromise<unknown>;
  timeoutMs(options: RequestOptions): number;
  totalTimeoutMs(options: RequestOptions): number | undefined;
  readonly defaultHeaders: Record<string, string>;
}

export function createEngine(api: GeneratedApi, options: ClientOptions = {}): Engine {
  const { spec } = api;
  const baseUrl = resolveBaseUrl(spec, options);
  const base = new URL(baseUrl);
  const origin = base.origin;
  const basePath = base.pathname.replace(/\/+$/, "");
  const redactor = new Redactor();
  const circuit = new Circuit();
  const observer = new Observer(options.hooks, options.logger, options.logLevel);
  const toLimiter = (limit: RateLimiterOptions | RateLimiter | undefined) =>
    limit instanceof RateLimiter ? limit : limit ? new RateLimiter(limit) : undefined;
  let limiter = toLimiter(options.rateLimit);
  const validateByDefault = options.validate !== false;
  const responseMode = options.validateResponses ?? "off";
  for (const [name, value] of Object.entries(options.headers ?? {})) checkHeader(name, value);
  // Fail at construction on a credential that can never work (empty, line break), not at the first call.
  staticAuthHeaders(options.auth);

  const userAgent = [
    `activation-kit/${CORE_VERSION} (${spec.slug})`,
    isNode() ? `node/${(globalThis as { process?: { versions?: { node?: string } } }).process!.versions!.node}` : undefined,
    options.userAgent,
  ]
    .filter(Boolean)
    .join(" ");
  const defaultHeaders: Record<string, string> = { "user-agent": userAgent, ...lowerKeys(options.headers) };

  const send = createAttemptLoop({
    backend: () => chooseBackend(options),
    auth: options.auth,
    redactor,
    observer,
    neverRetryStatuses: spec.policy.neverRetryStatuses,
    notProcessedStatuses: spec.policy.notProcessedStatuses,
    circuitBreakerStatuses: spec.policy.circuitBreakerStatuses ?? [],
    limiter: () => limiter,
    circuit,
  });

  function retryPolicy(option?: Partial<RetryPolicy> | string, maxRetries?: number): RetryPolicy {
    let policy = spec.policy.retry;
    for (const layer of [options.retry, option]) {
      if (typeof layer === "string") {
        const named = spec.policy.namedRetryPolicies?.[layer];
        if (!named) {
          const known = Object.keys(spec.policy.namedRetryPolicies ?? {});
          throw new ConfigurationError(`Unknown retry policy "${layer}"; ${spec.title} has: ${known.join(", ") || "none"}`);
        }
        policy = named;
      } else if (layer) {
        policy = { ...policy, ...layer };
      }
    }
    const max = maxRetries ?? (option === undefined ? options.maxRetries : undefined);
    return max === undefined ? policy : { ...policy, maxRetries: max };
  }
  // The common case (no per-call retry option) is resolved once.
  const defaultPolicy = retryPolicy();
  const policyFor = (o: RequestOptions) => (o.retry === undefined && o.maxRetries === undefined ? defaultPolicy : retryPolicy(o.retry, o.maxRetries));
  const timeoutMs = (o: RequestOptions) => o.timeoutMs ?? options.timeoutMs ?? 60_000;
  const totalTimeoutMs = (o: RequestOptions) => o.totalTimeoutMs ?? options.totalTimeoutMs;

  function check(op: OperationSpec, params: CallParams, requestOptions: RequestOptions, body: unknown): CallParams {
    let path = params.path;
    for (const p of op.pathParams ?? []) {
      if ((path?.[p.name] === undefined) && p.clientConfig && options.config?.[p.clientConfig] !== undefined) {
        path = { ...path, [p.name]: options.config[p.clientConfig] };
      }
    }
    if (requestOptions.validate ?? validateByDefault) {
      validateRequest(op, {
        path,
        query: params.query,
        header: params.header,
        body: op.requestMediaType?.startsWith("multipart/") ? multipartView(body) : isFormData(body) ? undefined : body,
      });
    }
    const issues: ValidationIssue[] = [];
    for (const p of op.pathParams ?? []) {
      const v = path?.[p.name];
      if (v === undefined || v === null || v === "") {
        issues.push({
          field: `path.${p.name}`,
          rule: "required",
          message: p.clientConfig ? `is required (or set \`config.${p.clientConfig}\` on the client)` : "is required",
        });
      } else if (String(v) === "." || String(v) === "..") {
        // Percent-encoding cannot stop a bare dot segment from moving the request to another path.
        issues.push({ field: `path.${p.name}`, rule: "path segment", message: "must not be . or .. (it would change the request's path)" });
      }
    }
    if (issues.length) throw new RequestValidationError(op.operationId, issues);
    return path === params.path ? params : { ...params, path };
  }

  function outgoing(op: OperationSpec, params: CallParams, requestOptions: RequestOptions): OutgoingCall {
    const body = params.body;
    const filled = check(op, params, requestOptions, body);
    let path = op.path;
    if (op.pathParams?.length) {
      path = path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(String(filled.path![name])));
    }
    const query = filled.query ? serializeQuery(filled.query, op.queryParams) : "";
    const headers: Record<string, string> = { ...defaultHeaders };
    if (filled.header) {
      for (const [k, v] of Object.entries(filled.header)) if (v !== undefined && v !== null) headers[k.toLowerCase()] = String(v);
    }
    if (requestOptions.headers) for (const [k, v] of Object.entries(requestOptions.headers)) headers[k.toLowerCase()] = v;
    for (const [k, v] of Object.entries(headers)) checkHeader(k, v);

    let sendBody: RequestBody | undefined;
    let bodyText: string | undefined;
    if (body !== undefined) {
      const media = op.requestMediaType;
      if (media?.startsWith("multipart/")) {
        sendBody = isFormData(body) ? body : toFormData(body);
      } else if (isBinary(body)) {
        sendBody = body as RequestBody;
        if (media && !headers["content-type"]) headers["content-type"] = media;
      } else if (!media || /json/i.test(media)) {
        bodyText = JSON.stringify(body);
        sendBody = bodyText;
        if (!headers["content-type"]) headers["content-type"] = media ?? "application/json";
      } else {
        bodyText = typeof body === "string" ? body : String(body);
        sendBody = bodyText;
        if (!headers["content-type"]) headers["content-type"] = media;
      }
    }
    return {
      operation: op,
      method: op.method.toUpperCase(),
      origin,
      path: basePath + path + (query ? `?${query}` : ""),
      headers,
      body: sendBody,
      bodyText,
      costBody: body,
      retry: policyFor(requestOptions),
      timeoutMs: timeoutMs(requestOptions),
      totalTimeoutMs: totalTimeoutMs(requestOptions),
      signal: requestOptions.signal,
      streamSuccess: op.parseAs === "stream",
    };
  }

  function readSuccess(op: OperationSpec | undefined, exchange: Exchange): unknown {
    const parseAs = op?.parseAs ?? "json";
    if (parseAs === "stream") return exchange.http.stream();
    const text = exchange.text ?? "";
    if (parseAs === "text") return text;
    if (parseAs === "blob") return new Blob([text]);
    const contentType = exchange.headers.get("content-type") ?? undefined;
    const declared = op?.responseMediaTypes?.[String(exchange.status)];
    if (text === "") {
      // Only a status the operation documents with a body makes an empty one an error (204, 202 without content…).
      if (declared && declared.length > 0 && exchange.status !== 204 && exchange.status !== 205) {
        throw parseError(op, exchange, contentType, "the body is empty, but the operation documents one");
      }
      return undefined;
    }
    if (contentType && !isJsonType(contentType) && !(declared ?? []).some((d) => sameMediaType(d, contentType))) {
      throw parseError(op, exchange, contentType, `the media type ${essence(contentType)} is not one the operation documents (${(declared ?? ["application/json"]).join(", ")})`);
    }
    try {
      return JSON.parse(text);
    } catch (cause) {
      throw parseError(op, exchange, contentType, "the body is not valid JSON (malformed or cut short)", cause);
    }
  }

  function parseError(op: OperationSpec | undefined, exchange: Exchange, contentType: string | undefined, reason: string, cause?: unknown): ResponseParseError {
    return new ResponseParseError({
      status: exchange.status,
      body: redactor.scrub((exchange.text ?? "").slice(0, 500)),
      headers: exchange.http.webHeaders(),
      request: exchange.sent(),
      attempts: exchange.attempts,
      contentType,
      reason,
      cause,
    });
  }

  async function settle(op: OperationSpec, exchange: Exchange, requestOptions: RequestOptions): Promise<unknown> {
    const { status } = exchange;
    if (status < 200 || status >= 300) {
      // Scrubbed: a vendor may echo the credential it rejected into its error body (and so the message).
      throw apiErrorFor({
        status,
        body: redactor.value(parseLoose(exchange.text)),
        headers: exchange.http.webHeaders(),
        request: exchange.sent(),
        attempts: exchange.attempts,
      });
    }
    const data = readSuccess(op, exchange);
    if (spec.policy.resultEnvelope) {
      checkEnvelope(spec.policy.resultEnvelope, data, { status, headers: exchange.http.webHeaders() }, exchange.sent(), (b) => redactor.value(b), exchange.attempts);
    }
    const mode = requestOptions.validateResponses ?? responseMode;
    // The response schemas load (a dynamic import) only when response validation is on.
    if (mode !== "off") await checkResponse({ api, observer, redactor }, op, exchange, data, mode);
    return data;
  }



  function request(op: OperationSpec, params: CallParams = {}, requestOptions: RequestOptions = {}): ApiPromise<unknown> {
    const outcome = (async (): Promise<CallOutcome> => {
      const call = outgoing(op, params, requestOptions);
      const exchange = await send(call);
      return { data: await settle(op, exchange, requestOptions), exchange };
    })();
    return apiPromise(outcome);
  }

  return {
    spec,
    baseUrl,
    redactor,
    circuit,
    observer,
    send,
    rateLimiter: () => limiter,
    setRateLimiter: (limit) => (limiter = toLimiter(limit)),
    retryPolicy,
    check,
    outgoing,
    settle,
    readSuccess,
    request,
    timeoutMs,
    totalTimeoutMs,
    defaultHeaders,
  };
}

/**
 * The client of standalone operation functions (`@activation-kit/<vendor>/standalone`): the runtime without an
 * operation table, so a bundle carries only the operations the app imports.
 */
export interface CoreClient {
  readonly spec: ApiSpec;
  readonly baseUrl: string;
  /** One by-name call of an operation entry (what the standalone functions call). */
  request(op: OperationSpec, params?: CallParams, options?: RequestOptions): ApiPromise<unknown>;
  /** The error that opened the circuit, if it is open. */
  readonly circuitOpenedBy: import("./errors.js").ActivationApiError | undefined;
  resetCircuit(): void;
  readonly rateLimiter: RateLimiter | undefined;
  setRateLimiter(limit: RateLimiterOptions | RateLimiter | undefined): RateLimiter | undefined;
  /** Redacts every credential the client has used from a text. */
  redact(text: string): string;
}

export function createCoreClient(api: Pick<GeneratedApi, "spec" | "loadResponseSchemas">, options: ClientOptions = {}): CoreClient {
  const engine = createEngine({ ...api, operations: {} }, options);
  return {
    spec: engine.spec,
    baseUrl: engine.baseUrl,
    request: engine.request,
    get circuitOpenedBy() {
      return engine.circuit.openedBy;
    },
    resetCircuit: () => engine.circuit.reset(),
    get rateLimiter() {
      return engine.rateLimiter();
    },
    setRateLimiter: engine.setRateLimiter,
    redact: (text) => engine.redactor.scrub(text),
  };
}

/** Wraps a call's outcome: awaiting gives `data`; `.withResponse()` gives data, response and metadata. */
export function apiPromise(outcome: Promise<CallOutcome>): ApiPromise<unknown> {
  const data = outcome.then((o) => o.data) as ApiPromise<unknown>;
  data.withResponse = () => {
    // The caller reads the outcome here; the plain-data promise must not report the same failure unhandled.
    data.catch(() => undefined);
    return outcome.then(({ data: body, exchange }) => ({
      data: body,
      response: toResponse(exchange),
      requestId: requestIdOf(exchange.headers),
      attempts: exchange.attempts,
    }));
  };
  return data;
}

function toResponse(exchange: Exchange): Response {
  const nullBody = exchange.status === 204 || exchange.status === 205 || exchange.status === 304 || !exchange.text;
  return new Response(nullBody ? null : exchange.text, { status: exchange.status, headers: exchange.http.webHeaders() });
}

let defaultBackend: Promise<HttpBackend | undefined> | undefined;

/** The Node transport, when this is Node and its undici dispatcher is reachable (loaded only there). */
function nodeTransport(): Promise<HttpBackend | undefined> {
  defaultBackend ??= isNode()
    ? import("./node-backend.js").then(async ({ nodeBackend, nodeDispatcher, globalDispatcher }) => {
        const dispatcher = await nodeDispatcher();
        return dispatcher ? nodeBackend(() => globalDispatcher() ?? dispatcher, fetchBackend(keepAliveFetch)) : undefined;
      })
    : Promise.resolve(undefined);
  return defaultBackend;
}

async function chooseBackend(options: ClientOptions): Promise<HttpBackend> {
  if (options.fetch) return fetchBackend(options.fetch);
  const mode = options.transport ?? "auto";
  if (mode === "fetch") return fetchBackend(keepAliveFetch);
  const node = await nodeTransport();
  if (node) return node;
  if (mode === "node") {
    throw new ConfigurationError('transport: "node" needs Node.js (its built-in undici dispatcher); use "auto" or "fetch" here');
  }
  return fetchBackend(keepAliveFetch);
}

/**
 * The default fetch: globalThis.fetch, sent one event-loop turn later. Node's fetch (undici) returns a keep-alive
 * connection to its pool only on a later turn after the body was read, so a call made right after the previous
 * one finished would open a second TCP connection; yielding once lets sequential calls reuse one connection
 * (vendors such as Relay42 ask for persistent connections). Runtimes without setImmediate send at once.
 */
function keepAliveFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const setImmediateFn = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  if (typeof setImmediateFn !== "function") return globalThis.fetch(input, init);
  return new Promise<void>((resolve) => setImmediateFn(resolve)).then(() => globalThis.fetch(input, init));
}

function checkHeader(name: string, value: string): void {
  if (/[\r\n\0]/.test(name) || /[\r\n\0]/.test(String(value))) {
    throw new ConfigurationError(`Header "${name.replace(/[\r\n\0]/g, " ")}" contains a line break or NUL character; nothing was sent`);
  }
}

function lowerKeys(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = v;
  return out;
}

function essence(contentType: string): string {
  return contentType.split(";")[0].trim().toLowerCase();
}

function isJsonType(contentType: string): boolean {
  // The common case without the split/trim/lower-case below (measurable on every call).
  if (contentType.startsWith("application/json") && (contentType.length === 16 || contentType[16] === ";")) return true;
  const e = essence(contentType);
  return e === "application/json" || e.endsWith("+json");
}

function sameMediaType(declared: string, actual: string): boolean {
  const d = essence(declared);
  return d === "*/*" || d === essence(actual) || (d.endsWith("/*") && essence(actual).startsWith(d.slice(0, -1)));
}

function isFormData(body: unknown): body is FormData {
  return typeof FormData !== "undefined" && body instanceof FormData;
}

function isBinary(body: unknown): boolean {
  return (
    body instanceof Uint8Array ||
    body instanceof ArrayBuffer ||
    (typeof Blob !== "undefined" && body instanceof Blob) ||
    (typeof ReadableStream !== "undefined" && body instanceof ReadableStream)
  );
}

/**
 * What the validator sees of a multipart body (FormData or a plain object): fields as they are, and each file
 * (Blob/File) as an empty string, since the spec types file parts as `type: string, format: binary`.
 */
export function multipartView(body: unknown): unknown {
  const isBlob = (v: unknown) => typeof Blob !== "undefined" && v instanceof Blob;
  if (isFormData(body)) {
    const view: Record<string, unknown> = {};
    for (const [k, v] of body.entries()) view[k] = isBlob(v) ? "" : v;
    return view;
  }
  if (!body || typeof body !== "object") return body;
  return Object.fromEntries(Object.entries(body as Record<string, unknown>).map(([k, v]) => [k, isBlob(v) ? "" : v]));
}

/** Multipart bodies given as a plain object: strings as fields, Blobs as files. */
export function toFormData(body: unknown): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (v === undefined || v === null) continue;
    if (v instanceof Blob) form.append(k, v, (v as File).name ?? k);
    else form.append(k, typeof v === "object" ? JSON.stringify(v) : String(v));
  }
  return form;
}

export type { ActivationKitError, SentRequest };
