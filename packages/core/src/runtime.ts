/**
 * The runtime behind every generated client: builds the openapi-fetch client over our transport, and gives
 * each operation two ways in — by name (`runtime.call`, validated, resolving to the typed body and throwing
 * typed errors) and path-style (`runtime.raw.GET("/path", …)`, openapi-fetch's own result shape). Both share
 * request preparation, so validation, config-filled parameters and query serialisation are identical.
 */
import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { Auth } from "./auth.js";
import {
  ActivationApiError,
  ConfigurationError,
  RequestValidationError,
  apiErrorFor,
  type SentRequest,
} from "./errors.js";
import type { ApiSpec, OperationSpec } from "./operation.js";
import { paginate, type PageIterable } from "./pagination.js";
import { serializeQuery } from "./query.js";
import { RateLimiter, type RateLimiterOptions } from "./rate-limit.js";
import { Redactor } from "./redact.js";
import type { RetryPolicy } from "./retry.js";
import { CALL_CONTEXT_KEY, Circuit, createTransport, type CallContext, type TransportOptions } from "./transport.js";
import { validateRequest, type ResponseSchemas } from "./validation.js";
import { checkEnvelope } from "./envelope.js";

export const CORE_VERSION = "0.1.0";

export interface ClientOptions {
  /** Full base URL. Default: the spec's first server, with `serverVariables` filled in. */
  baseUrl?: string;
  /** Which of the spec's servers to use (index), when `baseUrl` is not given. */
  server?: number;
  serverVariables?: Record<string, string>;
  auth?: Auth;
  /** Custom fetch (a proxy agent, a test double, an edge runtime's fetch). Default: globalThis.fetch. */
  fetch?: typeof fetch;
  /** Per-attempt timeout. Default 60 s. */
  timeoutMs?: number;
  /** Shorthand for `retry: {maxRetries}`. */
  maxRetries?: number;
  /** Overrides of the spec's default retry policy, or the name of one of its named policies (e.g. `"bulk"`). */
  retry?: Partial<RetryPolicy> | string;
  /** Appended to the User-Agent (Node) so the vendor can tell your app. */
  userAgent?: string;
  /** Client-side rate limit in cost units per second (see `x-rate-limit-cost`), or a shared limiter. */
  rateLimit?: RateLimiterOptions | RateLimiter;
  /** Values for parameters the spec marks `x-client-config` (Relay42 `siteNumber`, Marigold `organization` …). */
  config?: Record<string, string | number>;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** Validate input against the spec before sending (default true). */
  validate?: boolean;
}

export interface RequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
  retry?: Partial<RetryPolicy> | string;
  headers?: Record<string, string>;
  validate?: boolean;
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

export interface Runtime<Paths extends {} = {}> {
  readonly spec: ApiSpec;
  readonly baseUrl: string;
  /** openapi-fetch client: path-style calls, `use()` middleware. Same transport, validation and policy. */
  readonly raw: Client<Paths>;
  call(operationId: string, params?: CallParams, options?: RequestOptions): Promise<unknown>;
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
  /** Body the success response of this operation resolves to, for helpers built on `call`. */
  operation(operationId: string): OperationSpec;
  /** Redacts every credential the client has used from a text. */
  redact(text: string): string;
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

export function createRuntime<Paths extends {}>(api: GeneratedApi, options: ClientOptions = {}): Runtime<Paths> {
  const { spec } = api;
  const baseUrl = resolveBaseUrl(spec, options);
  const redactor = new Redactor();
  const circuit = new Circuit();
  const toLimiter = (limit: RateLimiterOptions | RateLimiter | undefined) =>
    limit instanceof RateLimiter ? limit : limit ? new RateLimiter(limit) : undefined;
  const limiter = toLimiter(options.rateLimit);
  const validateByDefault = options.validate !== false;
  const ops = Object.values(api.operations);
  const byMethodPath = new Map(ops.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o]));
  const router = buildRouter(ops);

  function retryPolicy(option?: Partial<RetryPolicy> | string, maxRetries?: number): RetryPolicy {
    let base = spec.policy.retry;
    const clientLevel = options.retry;
    for (const layer of [clientLevel, option]) {
      if (typeof layer === "string") {
        const named = spec.policy.namedRetryPolicies?.[layer];
        if (!named) {
          const known = Object.keys(spec.policy.namedRetryPolicies ?? {});
          throw new ConfigurationError(`Unknown retry policy "${layer}"; ${spec.title} has: ${known.join(", ") || "none"}`);
        }
        base = named;
      } else if (layer) {
        base = { ...base, ...layer };
      }
    }
    const max = maxRetries ?? (option === undefined ? options.maxRetries : undefined);
    return max === undefined ? base : { ...base, maxRetries: max };
  }

  const userAgent = [
    `activation-kit/${CORE_VERSION} (${spec.slug})`,
    typeof process !== "undefined" && process.versions?.node ? `node/${process.versions.node}` : undefined,
    options.userAgent,
  ]
    .filter(Boolean)
    .join(" ");

  const transportOptions: TransportOptions = {
    fetch: options.fetch ?? keepAliveFetch,
    auth: options.auth,
    redactor,
    neverRetryStatuses: spec.policy.neverRetryStatuses,
    notProcessedStatuses: spec.policy.notProcessedStatuses,
    circuitBreakerStatuses: spec.policy.circuitBreakerStatuses ?? [],
    limiter,
    fallback: (request) => {
      const op = router(request.method, new URL(request.url).pathname, baseUrl);
      return op ? context(op, {}, undefined) : undefined;
    },
  };
  // The transport reads `limiter` from this object per request, so setRateLimiter() takes effect at once.
  const transport = createTransport(transportOptions, circuit);

  const inner = createClient<Paths>({
    baseUrl,
    fetch: transport,
    headers: { "user-agent": userAgent, ...options.headers },
  });

  function context(op: OperationSpec, requestOptions: RequestOptions, body: unknown): CallContext {
    return {
      operation: op,
      retry: retryPolicy(requestOptions.retry, requestOptions.maxRetries),
      timeoutMs: requestOptions.timeoutMs ?? options.timeoutMs ?? 60_000,
      signal: requestOptions.signal,
      body,
    };
  }

  /** Shared by both call styles: fill config params, validate, serialise per spec, attach the call context. */
  function prepare(op: OperationSpec, init: Record<string, unknown>, requestOptions: RequestOptions): Record<string, unknown> {
    const params = { ...((init.params as CallParams | undefined) ?? {}) };
    const path: Record<string, unknown> = { ...(params.path ?? {}) };
    for (const p of op.pathParams) {
      if (path[p.name] === undefined && p.clientConfig && options.config?.[p.clientConfig] !== undefined) {
        path[p.name] = options.config[p.clientConfig];
      }
    }
    params.path = path;
    const shouldValidate = requestOptions.validate ?? validateByDefault;
    if (shouldValidate) {
      validateRequest(op, {
        path,
        query: params.query as Record<string, unknown> | undefined,
        header: params.header as Record<string, unknown> | undefined,
        body: op.requestMediaType?.startsWith("multipart/") ? multipartView(init.body) : isFormLike(init.body) ? undefined : init.body,
      });
    }
    const missing = op.pathParams.filter((p) => path[p.name] === undefined || path[p.name] === "");
    if (missing.length > 0) {
      throw new RequestValidationError(
        op.operationId,
        missing.map((p) => ({
          field: `path.${p.name}`,
          rule: "required",
          message: p.clientConfig ? `is required (or set \`config.${p.clientConfig}\` on the client)` : "is required",
        })),
      );
    }
    const headers = new Headers((init.headers as HeadersInit | undefined) ?? undefined);
    for (const [k, v] of Object.entries(requestOptions.headers ?? {})) headers.set(k, v);
    if (op.requestMediaType && init.body !== undefined && !op.requestMediaType.startsWith("multipart/") && !headers.has("content-type")) {
      headers.set("content-type", op.requestMediaType);
    }
    const ctx = context(op, requestOptions, init.body);
    const prepared: Record<string, unknown> = {
      ...init,
      params,
      headers,
      querySerializer: (q: Record<string, unknown>) => serializeQuery(q, op.queryParams),
      parseAs: op.parseAs,
      [CALL_CONTEXT_KEY]: ctx,
    };
    if (op.requestMediaType?.startsWith("multipart/") && init.body !== undefined && !(init.body instanceof FormData)) {
      prepared.bodySerializer = toFormData;
    } else if (init.body !== undefined && !init.bodySerializer && (!op.requestMediaType || /json/i.test(op.requestMediaType))) {
      // Same bytes as openapi-fetch's default JSON serialiser, kept so the transport need not read them back.
      prepared.bodySerializer = (body: unknown) => (ctx.serializedBody = JSON.stringify(body));
    }
    if (requestOptions.signal) prepared.signal = requestOptions.signal;
    return prepared;
  }

  function opFor(method: string, path: string): OperationSpec {
    const op = byMethodPath.get(`${method.toUpperCase()} ${path}`);
    if (!op) throw new ConfigurationError(`${spec.title} has no operation ${method.toUpperCase()} ${path}`);
    return op;
  }

  // Path-style client: openapi-fetch's API, with our preparation in front of each method.
  const raw = { ...inner } as Record<string, unknown>;
  for (const m of ["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS"] as const) {
    // async, so bad input rejects the returned promise like any other failure instead of throwing synchronously.
    raw[m] = async (path: string, init: Record<string, unknown> = {}) => {
      const { activationKit, ...rest } = init as { activationKit?: RequestOptions };
      return (inner[m] as (p: string, i: unknown) => unknown)(path, prepare(opFor(m, path), rest, activationKit ?? {}));
    };
  }
  raw.request = (method: string, path: string, init: Record<string, unknown> = {}) =>
    (raw[method.toUpperCase()] as (p: string, i: unknown) => unknown)(path, init);
  raw.use = (...m: Middleware[]) => inner.use(...m);
  raw.eject = (...m: Middleware[]) => inner.eject(...m);

  async function call(operationId: string, params: CallParams = {}, requestOptions: RequestOptions = {}): Promise<unknown> {
    const op = api.operations[operationId];
    if (!op) throw new ConfigurationError(`${spec.title} has no operation "${operationId}"`);
    const { body, ...rest } = params;
    const init = prepare(op, { params: rest, ...(body === undefined ? {} : { body }) }, requestOptions);
    const ctx = init[CALL_CONTEXT_KEY] as CallContext;
    const result = (await (inner.request as (m: string, p: string, i: unknown) => Promise<{ data?: unknown; error?: unknown; response: Response }>)(
      op.method,
      op.path,
      init,
    )) as { data?: unknown; error?: unknown; response: Response };
    const sent: SentRequest = ctx.sent ?? { method: op.method.toUpperCase(), url: baseUrl + op.path, operationId };
    if (!result.response.ok) {
      // Scrubbed: a vendor may echo the credential it rejected into its error body (and so the message).
      throw apiErrorFor({ status: result.response.status, body: redactor.value(result.error), headers: result.response.headers, request: sent });
    }
    if (spec.policy.resultEnvelope) {
      checkEnvelope(spec.policy.resultEnvelope, result.data, result.response, sent, (body) => redactor.value(body));
    }
    return result.data;
  }

  return {
    spec,
    baseUrl,
    raw: raw as unknown as Client<Paths>,
    call,
    paginate: (operationId, params, requestOptions) => {
      const op = api.operations[operationId];
      if (!op?.pagination) throw new ConfigurationError(`${operationId} does not page (no x-pagination in the spec)`);
      return paginate(op.pagination, (p) => call(operationId, p, requestOptions), params ?? {});
    },
    get circuitOpenedBy() {
      return circuit.openedBy;
    },
    resetCircuit: () => circuit.reset(),
    get rateLimiter() {
      return transportOptions.limiter;
    },
    setRateLimiter: (limit) => (transportOptions.limiter = toLimiter(limit)),
    retryPolicy,
    operation: (operationId) => {
      const op = api.operations[operationId];
      if (!op) throw new ConfigurationError(`${spec.title} has no operation "${operationId}"`);
      return op;
    },
    redact: (text) => redactor.scrub(text),
  };
}

/**
 * The default fetch: globalThis.fetch, sent one event-loop turn later. Node's fetch (undici) returns a keep-alive
 * connection to its pool only on a later turn after the body was read, so a call made right after the previous
 * one finished would open a second TCP connection; yielding once lets sequential calls reuse one connection
 * (vendors such as Relay42 ask for persistent connections). Runtimes without setImmediate send at once.
 */
function keepAliveFetch(input: Request | string | URL, init?: RequestInit): Promise<Response> {
  const setImmediateFn = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  if (typeof setImmediateFn !== "function") return globalThis.fetch(input, init);
  return new Promise<void>((resolve) => setImmediateFn(resolve)).then(() => globalThis.fetch(input, init));
}

function isFormLike(body: unknown): boolean {
  return typeof FormData !== "undefined" && body instanceof FormData;
}

/**
 * What the validator sees of a multipart body (FormData or a plain object): fields as they are, and each file
 * (Blob/File) as an empty string, since the spec types file parts as `type: string, format: binary`.
 */
function multipartView(body: unknown): unknown {
  const isBlob = (v: unknown) => typeof Blob !== "undefined" && v instanceof Blob;
  if (isFormLike(body)) {
    const view: Record<string, unknown> = {};
    for (const [k, v] of (body as FormData).entries()) view[k] = isBlob(v) ? "" : v;
    return view;
  }
  if (!body || typeof body !== "object") return body;
  return Object.fromEntries(Object.entries(body as Record<string, unknown>).map(([k, v]) => [k, isBlob(v) ? "" : v]));
}

/** Multipart bodies given as a plain object: strings as fields, Blobs as files. */
function toFormData(body: unknown): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (v === undefined || v === null) continue;
    if (v instanceof Blob) form.append(k, v, (v as File).name ?? k);
    else form.append(k, typeof v === "object" ? JSON.stringify(v) : String(v));
  }
  return form;
}

/**
 * Matches a request URL to an operation when it bypassed the runtime (a raw `fetch` through our transport).
 * Literal segments beat templated ones, so `/journeyorchestration/variables` never routes to
 * `/journeyorchestration/{partnerType}`.
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
