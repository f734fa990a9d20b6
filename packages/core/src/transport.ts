/**
 * The `fetch` handed to openapi-fetch. Everything that must happen once per *attempt* lives here, beneath
 * openapi-fetch (which never retries by design), so user middleware sees one request and one response:
 * circuit breaker, client-side rate limit, credentials (resolved per attempt, so tokens rotate), timeout and
 * caller abort, and retries with back-off.
 */
import { authHeaders, type Auth } from "./auth.js";
import {
  AbortError,
  apiErrorFor,
  CircuitOpenError,
  ConnectionError,
  TimeoutError,
  type ActivationApiError,
  type SentRequest,
} from "./errors.js";
import type { OperationSpec } from "./operation.js";
import { costOf, type RateLimiter } from "./rate-limit.js";
import type { Redactor } from "./redact.js";
import { RetryState, sleep, type RetryPolicy } from "./retry.js";

/** Per-call context, attached to the Request by the runtime (openapi-fetch copies unknown init keys onto it). */
export interface CallContext {
  operation: OperationSpec;
  retry: RetryPolicy;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Parsed body, for the rate-limit cost. */
  body?: unknown;
  /** The JSON text openapi-fetch sent, recorded by the runtime's body serialiser (saves re-reading the stream). */
  serializedBody?: string;
  /** Filled by the transport: the request as sent, without credentials. */
  sent?: SentRequest;
}

export const CALL_CONTEXT_KEY = "activationKitCall";

export interface TransportOptions {
  fetch: typeof fetch;
  auth?: Auth;
  redactor: Redactor;
  neverRetryStatuses: number[];
  /** Statuses that mean the request was not acted on, so even a non-idempotent one may be retried (429 always is). */
  notProcessedStatuses?: number[];
  circuitBreakerStatuses: number[];
  limiter?: RateLimiter;
  /** Used when a request arrives without a call context (it bypassed the runtime). */
  fallback: (request: Request) => CallContext | undefined;
  random?: () => number;
}

export class Circuit {
  private cause: ActivationApiError | undefined;
  get isOpen(): boolean {
    return this.cause !== undefined;
  }
  get openedBy(): ActivationApiError | undefined {
    return this.cause;
  }
  open(cause: ActivationApiError): void {
    this.cause = cause;
  }
  reset(): void {
    this.cause = undefined;
  }
}

const SAFE_METHODS = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

export function createTransport(options: TransportOptions, circuit: Circuit): (input: Request) => Promise<Response> {
  const { redactor } = options;

  return async function activationKitFetch(request: Request): Promise<Response> {
    const ctx = (request as unknown as Record<string, CallContext | undefined>)[CALL_CONTEXT_KEY] ?? options.fallback(request);
    const method = request.method.toUpperCase();
    // The body is needed once per attempt and by error reports. The runtime hands over the JSON it serialised;
    // anything else (multipart, a raw fetch through this transport) is read from the request once.
    const bodyBytes: string | ArrayBuffer | undefined = ctx?.serializedBody ?? (request.body ? await request.arrayBuffer() : undefined);
    const contentType = request.headers.get("content-type") ?? "";
    // A custom provider's secrets are redacted even on calls that send no credentials (e.g. the call that
    // exchanges an API key, which carries the key in its body).
    if (options.auth?.type === "custom" && options.auth.secrets) redactor.add(...options.auth.secrets());
    // Redacted lazily: only errors read it, and by then every secret of the attempt is registered.
    const sent = sentRequest(method, request.url, ctx?.operation.operationId, () => describeBody(bodyBytes, contentType, redactor), redactor);
    if (ctx) ctx.sent = sent;

    if (circuit.isOpen) throw new CircuitOpenError(sent, circuit.openedBy!);

    const signal = ctx?.signal ?? request.signal;
    if (options.limiter) {
      try {
        await options.limiter.acquire(costOf(ctx?.operation.rateLimitCost, ctx?.body), signal);
      } catch (e) {
        throw new AbortError(sent, signal?.reason ?? e);
      }
    }

    const policy = ctx?.retry ?? { maxRetries: 0, initialDelayMs: 0, maxDelayMs: 0, retryStatuses: [] };
    const state = new RetryState(policy, options.neverRetryStatuses, options.random);
    const replayable = ctx ? ctx.operation.idempotent : SAFE_METHODS.has(method);
    const needsAuth = ctx ? ctx.operation.security.length > 0 : true;
    const timeoutMs = ctx?.timeoutMs ?? 60_000;
    let refreshedAfter401 = false;
    let attemptAuth: Record<string, string> = {};

    for (;;) {
      const headers = new Headers(request.headers);
      if (needsAuth) {
        const auth = await authHeaders(options.auth);
        redactor.add(...auth.secrets);
        attemptAuth = auth.headers;
        for (const [k, v] of Object.entries(auth.headers)) headers.set(k, v);
      }

      const attempt = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        attempt.abort();
      }, timeoutMs);
      const onCallerAbort = () => attempt.abort(signal?.reason);
      if (signal?.aborted) {
        clearTimeout(timer);
        throw new AbortError(sent, signal.reason);
      }
      signal?.addEventListener("abort", onCallerAbort, { once: true });

      let response: Response;
      try {
        response = await options.fetch(request.url, {
          method,
          headers,
          body: bodyBytes,
          redirect: request.redirect,
          signal: attempt.signal,
        });
      } catch (error) {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onCallerAbort);
        if (signal?.aborted) throw new AbortError(sent, signal.reason);
        const failure = timedOut ? new TimeoutError(sent, timeoutMs) : new ConnectionError(sent, scrubError(error, redactor));
        // A refused connection never reached the server, so even an unsafe request may go again.
        const decision = state.decide({ connectionError: true }, replayable || isRefused(error));
        if (!decision.retry) throw failure;
        await wait(decision.delayMs, signal, sent);
        continue;
      }
      clearTimeout(timer);
      signal?.removeEventListener("abort", onCallerAbort);

      // Only a request that carried credentials can be fixed by fresh ones (and a token exchange's own 401 must
      // not re-enter the provider that is waiting on it).
      if (response.status === 401 && needsAuth && options.auth?.type === "custom" && options.auth.onUnauthorized && !refreshedAfter401) {
        // One fresh credential per call, never a loop.
        refreshedAfter401 = true;
        if (await options.auth.onUnauthorized(attemptAuth)) {
          await response.body?.cancel();
          continue;
        }
      }

      if (options.circuitBreakerStatuses.includes(response.status)) {
        circuit.open(await errorFrom(response.clone(), sent));
        return response;
      }

      if (!response.ok) {
        // A 429 (or a spec's `notProcessedStatuses`, e.g. 423 Locked) says the request was not processed, so
        // it may be repeated whatever the method.
        const decision = state.decide(
          { status: response.status, headers: response.headers },
          replayable || response.status === 429 || (options.notProcessedStatuses?.includes(response.status) ?? false),
        );
        if (decision.retry) {
          await response.body?.cancel();
          await wait(decision.delayMs, signal, sent);
          continue;
        }
      }
      return response;
    }
  };
}

async function wait(ms: number, signal: AbortSignal | undefined, sent: SentRequest): Promise<void> {
  try {
    await sleep(ms, signal);
  } catch (reason) {
    throw new AbortError(sent, reason);
  }
}

export async function errorFrom(response: Response, sent: SentRequest): Promise<ActivationApiError> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return apiErrorFor({ status: response.status, body, headers: response.headers, request: sent });
}

function describeBody(bytes: string | ArrayBuffer | undefined, contentType: string, redactor: Redactor): string | undefined {
  if (bytes === undefined) return undefined;
  if (typeof bytes === "string") return redactor.scrub(bytes);
  if (/json|text|x-www-form-urlencoded|csv|xml/i.test(contentType)) return redactor.scrub(new TextDecoder().decode(bytes));
  return `[${contentType.split(";")[0] || "binary"} body, ${bytes.byteLength} bytes]`;
}

const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");

/**
 * The request as errors report it. URL and body are redacted when read (errors are rare; calls are not), so
 * the success path pays nothing for them. `toJSON` and Node's inspect show the plain, redacted values.
 */
function sentRequest(
  method: string,
  rawUrl: string,
  operationId: string | undefined,
  body: () => string | undefined,
  redactor: Redactor,
): SentRequest {
  const snapshot = (): SentRequest => ({ method, url: redactor.url(rawUrl), body: body(), operationId });
  return Object.defineProperties(
    { method, operationId } as SentRequest,
    {
      url: { enumerable: true, get: () => redactor.url(rawUrl) },
      body: { enumerable: true, get: body },
      toJSON: { value: snapshot },
      [inspectSymbol]: { value: snapshot },
    },
  );
}

function isRefused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } })?.cause;
  return cause?.code === "ECONNREFUSED";
}

function scrubError(error: unknown, redactor: Redactor): Error {
  const e = error instanceof Error ? error : new Error(String(error));
  const clean = new Error(redactor.scrub(e.message));
  const code = (e as { cause?: { code?: string } }).cause?.code;
  if (code) (clean as { cause?: unknown }).cause = { code };
  return clean;
}
