/**
 * The runtime behind every generated client. Each operation has two ways in, with the same validation,
 * config-filled parameters, query serialisation, attempt loop and typed errors:
 * - by name (`runtime.call`): the engine (engine.ts) sends it directly, resolving to the typed body;
 * - path-style (`runtime.raw.GET("/path", …)`): openapi-fetch's own API and result shape, with its middleware.
 *   openapi-fetch is loaded (a dynamic import) and its client created on the first path-style call, so clients
 *   that only call by name never load it. While middleware is registered (`raw.use()`), by-name calls go through
 *   openapi-fetch too, so middleware sees every request as it always did.
 */
import type { Client, Middleware } from "openapi-fetch";
import {
  apiPromise,
  createEngine,
  resolveBaseUrl,
  CORE_VERSION,
  multipartView,
  toFormData,
  type ApiPromise,
  type CallParams,
  type ClientOptions,
  type GeneratedApi,
  type RequestOptions,
  type ResponseValidationMode,
  type WithResponse,
} from "./engine.js";
import { apiErrorFor, ConfigurationError, type ActivationApiError } from "./errors.js";
import type { ApiSpec, OperationSpec } from "./operation.js";
import { paginate, type PageIterable } from "./pagination.js";
import { serializeQuery } from "./query.js";
import type { RateLimiter, RateLimiterOptions } from "./rate-limit.js";
import type { RetryPolicy } from "./retry.js";
import { parseLoose, type Exchange, type OutgoingCall } from "./transport.js";

export { resolveBaseUrl, CORE_VERSION, multipartView, toFormData };
export type { ApiPromise, CallParams, ClientOptions, GeneratedApi, RequestOptions, ResponseValidationMode, WithResponse };

export interface Runtime<Paths extends {} = {}> {
  readonly spec: ApiSpec;
  readonly baseUrl: string;
  /** openapi-fetch client: path-style calls, `use()` middleware. Same transport, validation and policy. */
  readonly raw: Client<Paths>;
  call(operationId: string, params?: CallParams, options?: RequestOptions): ApiPromise<unknown>;
  paginate(operationId: string, params?: CallParams, options?: RequestOptions): PageIterable<unknown, unknown>;
  /** The error that opened the circuit, if it is open. */
  readonly circuitOpenedBy: ActivationApiError | undefined;
  resetCircuit(): void;
  readonly rateLimiter: RateLimiter | undefined;
  /**
   * Installs, replaces or (with `undefined`) removes the client-side rate limiter after creation, for limits
   * only known at run time (e.g. a workspace's throttling read from the API). Calls already waiting keep the
   * limiter they queued on; later calls use the new one.
   */
  setRateLimiter(limit: RateLimiterOptions | RateLimiter | undefined): RateLimiter | undefined;
  /** Resolves a retry option (named policy or overrides) against the spec's default. */
  retryPolicy(option?: Partial<RetryPolicy> | string, maxRetries?: number): RetryPolicy;
  /** The operation's table entry, for helpers built on `call`. */
  operation(operationId: string): OperationSpec;
  /** Redacts every credential the client has used from a text. */
  redact(text: string): string;
}

/** Per-call context attached to openapi-fetch's Request (it copies unknown init keys onto it). */
interface PathStyleContext {
  operation: OperationSpec;
  options: RequestOptions;
  /** The JSON text the body serialiser produced, so the adapter need not read the stream back. */
  bodyText?: string;
  body?: unknown;
  /** Filled by the adapter: the exchange behind the response. */
  exchange?: Exchange;
}

const CONTEXT_KEY = "activationKitCall";

export function createRuntime<Paths extends {}>(api: GeneratedApi, options: ClientOptions = {}): Runtime<Paths> {
  const engine = createEngine(api, options);
  const { spec, baseUrl, redactor } = engine;
  const ops = Object.values(api.operations);
  let middlewareCount = 0;
  let raw: Client<Paths> | undefined;
  let byMethodPath: Map<string, OperationSpec> | undefined;
  let router: ReturnType<typeof buildRouter> | undefined;

  function opFor(method: string, path: string): OperationSpec {
    byMethodPath ??= new Map(ops.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o]));
    const op = byMethodPath.get(`${method.toUpperCase()} ${path}`);
    if (!op) throw new ConfigurationError(`${spec.title} has no operation ${method.toUpperCase()} ${path}`);
    return op;
  }

  /** openapi-fetch's `fetch`: the same attempt loop as by-name calls, answering with a WHATWG Response. */
  async function pathStyleFetch(request: Request): Promise<Response> {
    const ctx = (request as unknown as Record<string, PathStyleContext | undefined>)[CONTEXT_KEY];
    const url = new URL(request.url);
    let op = ctx?.operation;
    if (!op) {
      router ??= buildRouter(ops);
      op = router(request.method, url.pathname, baseUrl);
    }
    const requestOptions = ctx?.options ?? {};
    const headers: Record<string, string> = {};
    request.headers.forEach((v, k) => (headers[k] = v));
    const body = ctx?.bodyText ?? (request.body ? new Uint8Array(await request.arrayBuffer()) : undefined);
    const call: OutgoingCall = {
      operation: op,
      method: request.method.toUpperCase(),
      origin: url.origin,
      path: url.pathname + url.search,
      headers,
      body,
      bodyText: typeof body === "string" ? body : undefined,
      costBody: ctx?.body,
      retry: engine.retryPolicy(requestOptions.retry, requestOptions.maxRetries),
      timeoutMs: engine.timeoutMs(requestOptions),
      totalTimeoutMs: engine.totalTimeoutMs(requestOptions),
      signal: requestOptions.signal ?? request.signal,
      streamSuccess: op?.parseAs === "stream",
      redirect: request.redirect,
    };
    const exchange = await engine.send(call);
    if (ctx) ctx.exchange = exchange;
    const ok = exchange.status >= 200 && exchange.status < 300;
    // A success body the operation does not document is a typed error on this path too (never a SyntaxError).
    if (ok && op?.parseAs === "json") engine.readSuccess(op, exchange);
    const nullBody = exchange.status === 204 || exchange.status === 205 || exchange.status === 304;
    const responseBody = nullBody ? null : ok && op?.parseAs === "stream" ? exchange.http.stream() : (exchange.text ?? null);
    return new Response(responseBody === "" ? null : responseBody, { status: exchange.status, headers: exchange.http.webHeaders() });
  }

  /** Shared by both call styles through openapi-fetch: validate, fill config params, serialise per spec. */
  function prepare(op: OperationSpec, init: Record<string, unknown>, requestOptions: RequestOptions): Record<string, unknown> {
    const params = (init.params as CallParams | undefined) ?? {};
    const checked = engine.check(op, params, requestOptions, init.body);
    const headers = new Headers((init.headers as HeadersInit | undefined) ?? undefined);
    for (const [k, v] of Object.entries(requestOptions.headers ?? {})) headers.set(k, v);
    if (op.requestMediaType && init.body !== undefined && !op.requestMediaType.startsWith("multipart/") && !headers.has("content-type")) {
      headers.set("content-type", op.requestMediaType);
    }
    const ctx: PathStyleContext = { operation: op, options: requestOptions, body: init.body };
    const prepared: Record<string, unknown> = {
      ...init,
      params: checked,
      headers,
      querySerializer: (q: Record<string, unknown>) => serializeQuery(q, op.queryParams),
      parseAs: init.parseAs ?? op.parseAs,
      [CONTEXT_KEY]: ctx,
    };
    if (op.requestMediaType?.startsWith("multipart/") && init.body !== undefined && !(init.body instanceof FormData)) {
      prepared.bodySerializer = toFormData;
    } else if (init.body !== undefined && !init.bodySerializer && (!op.requestMediaType || /json/i.test(op.requestMediaType))) {
      prepared.bodySerializer = (body: unknown) => (ctx.bodyText = JSON.stringify(body));
    }
    if (requestOptions.signal) prepared.signal = requestOptions.signal;
    return prepared;
  }

  let openapiFetchClient: Promise<Client<Paths>> | undefined;
  /** Middleware registered before openapi-fetch was loaded, applied when it is. */
  const middleware: Middleware[] = [];

  function openapiFetch(): Promise<Client<Paths>> {
    openapiFetchClient ??= import("openapi-fetch").then(({ default: createClient }) => {
      const client = createClient<Paths>({ baseUrl, fetch: pathStyleFetch, headers: engine.defaultHeaders });
      if (middleware.length) client.use(...middleware);
      return client;
    });
    return openapiFetchClient;
  }

  function pathStyleClient(): Client<Paths> {
    if (raw) return raw;
    const methods: Record<string, unknown> = {};
    for (const m of ["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"] as const) {
      // async, so bad input rejects the returned promise like any other failure instead of throwing synchronously.
      methods[m] = async (path: string, init: Record<string, unknown> = {}) => {
        const { activationKit, ...rest } = init as { activationKit?: RequestOptions };
        const prepared = prepare(opFor(m, path), rest, activationKit ?? {});
        const client = await openapiFetch();
        return (client[m] as (p: string, i: unknown) => unknown)(path, prepared);
      };
    }
    methods.request = (method: string, path: string, init: Record<string, unknown> = {}) =>
      (methods[method.toUpperCase()] as (p: string, i: unknown) => unknown)(path, init);
    methods.use = (...m: Middleware[]) => {
      middlewareCount += m.length;
      middleware.push(...m);
      void openapiFetchClient?.then((client) => client.use(...m));
    };
    methods.eject = (...m: Middleware[]) => {
      middlewareCount = Math.max(0, middlewareCount - m.length);
      for (const one of m) {
        const i = middleware.indexOf(one);
        if (i >= 0) middleware.splice(i, 1);
      }
      void openapiFetchClient?.then((client) => client.eject(...m));
    };
    raw = methods as unknown as Client<Paths>;
    return raw;
  }

  /** A by-name call while middleware is registered: through openapi-fetch, so the middleware sees it. */
  function viaMiddleware(op: OperationSpec, params: CallParams, requestOptions: RequestOptions): ApiPromise<unknown> {
    const outcome = (async () => {
      const { body, ...rest } = params;
      // Read as text: the engine parses it, so bodies the operation does not document are typed errors here too.
      const init = prepare(op, { params: rest, ...(body === undefined ? {} : { body }), parseAs: "text" }, requestOptions);
      const ctx = init[CONTEXT_KEY] as PathStyleContext;
      const client = await openapiFetch();
      const result = await (client.request as (m: string, p: string, i: unknown) => Promise<{ data?: unknown; error?: unknown; response: Response }>)(
        op.method,
        op.path,
        init,
      );
      const exchange = ctx.exchange!;
      if (!result.response.ok) {
        throw apiErrorFor({
          status: result.response.status,
          body: redactor.value(typeof result.error === "string" ? parseLoose(result.error) : result.error),
          headers: result.response.headers,
          request: exchange.sent(),
          attempts: exchange.attempts,
        });
      }
      // Middleware may have replaced the body; settle what the caller's openapi-fetch pipeline produced.
      const seen: Exchange = { ...exchange, status: result.response.status, text: typeof result.data === "string" ? result.data : exchange.text };
      return { data: await engine.settle(op, seen, requestOptions), exchange: seen };
    })();
    return apiPromise(outcome);
  }

  function operation(operationId: string): OperationSpec {
    const op = api.operations[operationId];
    if (!op) throw new ConfigurationError(`${spec.title} has no operation "${operationId}"`);
    return op;
  }

  function call(operationId: string, params: CallParams = {}, requestOptions: RequestOptions = {}): ApiPromise<unknown> {
    const op = api.operations[operationId];
    if (!op) return apiPromise(Promise.reject(new ConfigurationError(`${spec.title} has no operation "${operationId}"`)));
    return middlewareCount > 0 ? viaMiddleware(op, params, requestOptions) : engine.request(op, params, requestOptions);
  }

  return {
    spec,
    baseUrl,
    get raw() {
      return pathStyleClient();
    },
    call,
    paginate: (operationId, params, requestOptions) => {
      const op = api.operations[operationId];
      if (!op?.pagination) throw new ConfigurationError(`${operationId} does not page (no x-pagination in the spec)`);
      return paginate(op.pagination, (p) => call(operationId, p, requestOptions), params ?? {});
    },
    get circuitOpenedBy() {
      return engine.circuit.openedBy;
    },
    resetCircuit: () => engine.circuit.reset(),
    get rateLimiter() {
      return engine.rateLimiter();
    },
    setRateLimiter: (limit) => engine.setRateLimiter(limit),
    retryPolicy: engine.retryPolicy,
    operation,
    redact: (text) => redactor.scrub(text),
  };
}

/**
 * Matches a request URL to an operation when it reached the transport without a call context (middleware
 * replaced the Request). Literal segments beat templated ones, so `/journeyorchestration/variables` never
 * routes to `/journeyorchestration/{partnerType}`.
 */
export function buildRouter(ops: OperationSpec[]): (method: string, pathname: string, baseUrl: string) => OperationSpec | undefined {
  const compiled = ops
    .map((op) => {
      const segments = op.path.split("/").filter(Boolean);
      return { op, segments, literal: segments.map((s) => !/\{[^}]+\}/.test(s)) };
    })
    .sort((a, b) => {
      for (let i = 0; i < Math.min(a.segments.length, b.segments.length); i++) {
        if (a.literal[i] !== b.literal[i]) return a.literal[i] ? -1 : 1;
      }
      return b.segments.length - a.segments.length;
    });
  return (method, pathname, baseUrl) => {
    const basePath = new URL(baseUrl).pathname.replace(/\/+$/, "");
    const rel = pathname.startsWith(basePath) ? pathname.slice(basePath.length) : pathname;
    const parts = rel.split("/").filter(Boolean).map(decodeURIComponent);
    for (const c of compiled) {
      if (c.op.method.toUpperCase() !== method.toUpperCase() || c.segments.length !== parts.length) continue;
      if (c.segments.every((s, i) => matchSegment(s, parts[i]))) return c.op;
    }
    return undefined;
  };
}

function matchSegment(template: string, actual: string): boolean {
  if (!template.includes("{")) return template === actual;
  const re = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{[^}]+\\?\}/g, "[^/]+").replace(/\{[^}]+\}/g, "[^/]+")}$`);
  return re.test(actual);
}
