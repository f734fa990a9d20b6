/**
 * The attempt loop: everything that happens once per *attempt* of a call, in one place for both call styles
 * (by name, and path-style through openapi-fetch) and both HTTP backends (http.ts): circuit breaker,
 * client-side rate limit, credentials (resolved per attempt, so tokens rotate), the attempt timeout (headers
 * *and* body), the call's total time budget, the caller's abort, retries with back-off, and the hooks/logger.
 *
 * An attempt ends when its body has been read (or, for streamed results, when the headers arrived), so a
 * body that drips past the timeout is a `TimeoutError` and a body cut mid-way is a `ConnectionError`, retried
 * exactly when the request is safe to repeat.
 */
import { authHeaders, staticAuthHeaders, type Auth } from "./auth.js";
import {
  AbortError,
  apiErrorFor,
  CircuitOpenError,
  ConnectionError,
  TimeoutError,
  type ActivationApiError,
  type ActivationKitError,
  type SentRequest,
} from "./errors.js";
import { AttemptAbort, type HeaderBag, type HttpBackend, type HttpResponse, type RequestBody } from "./http.js";
import type { Observer } from "./observe.js";
import type { OperationSpec } from "./operation.js";
import { costOf, type RateLimiter } from "./rate-limit.js";
import { REDACTED, type Redactor } from "./redact.js";
import { RetryState, sleep, type RetryPolicy } from "./retry.js";

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

/** One call, ready to send: everything but credentials. */
export interface OutgoingCall {
  operation: OperationSpec | undefined;
  method: string;
  origin: string;
  /** Path and query. */
  path: string;
  headers: Record<string, string>;
  body?: RequestBody;
  /** The body as text for error reports (redacted when read), when it is text. */
  bodyText?: string;
  /** The parsed body, for the rate-limit cost. */
  costBody?: unknown;
  retry: RetryPolicy;
  /** Per attempt: headers and body. */
  timeoutMs: number;
  /** Whole call, retries and back-off included. */
  totalTimeoutMs?: number;
  signal?: AbortSignal;
  /** Read the success body inside the attempt (default), or hand back the stream (streamed results). */
  streamSuccess?: boolean;
  redirect?: RequestRedirect;
}

/** What came back, body already read unless streamed. */
export interface Exchange {
  status: number;
  headers: HeaderBag;
  /** The body text, unless the body was handed back as a stream. */
  text?: string;
  http: HttpResponse;
  attempts: number;
  /** The request as it was sent, without credentials (built on demand). */
  sent(): SentRequest;
}

export interface AttemptLoopOptions {
  backend: () => HttpBackend | Promise<HttpBackend>;
  auth?: Auth;
  redactor: Redactor;
  observer: Observer;
  neverRetryStatuses: number[];
  /** Statuses that mean the request was not acted on, so even a non-idempotent one may be retried (429 always is). */
  notProcessedStatuses?: number[];
  circuitBreakerStatuses: number[];
  /** Read per call, so a limiter installed later takes effect at once. */
  limiter: () => RateLimiter | undefined;
  circuit: Circuit;
  random?: () => number;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);
/** Reasons an attempt was aborted by the loop itself (compared by identity). */
const ATTEMPT_TIMEOUT = Object.freeze({ reason: "activation-kit attempt timeout" });
const CALL_TIMEOUT = Object.freeze({ reason: "activation-kit call timeout" });

export type AttemptLoop = (call: OutgoingCall) => Promise<Exchange>;

export function createAttemptLoop(options: AttemptLoopOptions): AttemptLoop {
  const { redactor, observer, circuit } = options;
  const fixedAuth = staticAuthHeaders(options.auth);
  if (fixedAuth) redactor.add(...fixedAuth.secrets);
  const credentialHeaderNames = fixedAuth ? Object.keys(fixedAuth.headers) : [];
  let backend: HttpBackend | undefined;

  return async function send(call: OutgoingCall): Promise<Exchange> {
    backend ??= await options.backend();
    const method = call.method;
    const operationId = call.operation?.operationId;
    let attempts = 0;
    const sent = (): SentRequest => ({
      method,
      url: redactor.url(call.origin + call.path),
      operationId,
      ...(call.bodyText !== undefined ? { body: redactor.scrub(call.bodyText) } : describeBinary(call.body)),
    });

    // A custom provider's secrets are redacted even on calls that send no credentials (e.g. the call that
    // exchanges an API key, which carries the key in its body).
    if (options.auth?.type === "custom" && options.auth.secrets) redactor.add(...options.auth.secrets());
    if (circuit.isOpen) throw new CircuitOpenError(sent(), circuit.openedBy!);

    const signal = call.signal;
    if (signal?.aborted) throw new AbortError(sent(), signal.reason, 0);
    const limiter = options.limiter();
    if (limiter) {
      try {
        await limiter.acquire(costOf(call.operation?.rateLimitCost, call.costBody), signal);
      } catch (e) {
        throw new AbortError(sent(), signal?.reason ?? e, 0);
      }
    }

    const deadline = call.totalTimeoutMs !== undefined ? Date.now() + call.totalTimeoutMs : undefined;
    const state = new RetryState(call.retry, options.neverRetryStatuses, options.random);
    const replayable = call.operation ? call.operation.idempotent : SAFE_METHODS.has(method);
    const needsAuth = call.operation ? call.operation.security.length > 0 : true;
    let refreshedAfter401 = false;
    let attemptAuth: Record<string, string> = {};
    let credentialHeaders = credentialHeaderNames;

    /** Waits before the next attempt, within the call's deadline and the caller's signal. */
    async function pause(delayMs: number, reason: string): Promise<void> {
      if (deadline !== undefined && Date.now() + delayMs >= deadline) {
        throw new TimeoutError(sent(), call.totalTimeoutMs!, attempts, "call");
      }
      if (observer.active) observer.retry({ operationId, attempt: attempts, method, url: redactor.url(call.origin + call.path), delayMs, reason });
      try {
        await sleep(delayMs, signal);
      } catch (reasonOfAbort) {
        throw new AbortError(sent(), reasonOfAbort, attempts);
      }
    }

    for (;;) {
      // Checked before every attempt, not only when the call starts: a call that waited in the limiter queue or
      // in a retry back-off while a concurrent call opened the circuit must not send.
      if (circuit.isOpen) throw new CircuitOpenError(sent(), circuit.openedBy!, attempts);
      attempts += 1;
      let headers = call.headers;
      if (needsAuth) {
        let auth = fixedAuth;
        if (!auth) {
          auth = await authHeaders(options.auth);
          redactor.add(...auth.secrets);
          credentialHeaders = Object.keys(auth.headers);
        }
        attemptAuth = auth.headers;
        headers = { ...call.headers, ...auth.headers };
      }
      if (observer.active) {
        observer.request({ operationId, attempt: attempts, method, url: redactor.url(call.origin + call.path), headers: redactHeaders(headers, credentialHeaders) });
      }

      const abort = new AttemptAbort();
      const started = Date.now();
      const budget = deadline === undefined ? call.timeoutMs : Math.min(call.timeoutMs, deadline - started);
      const callLimited = deadline !== undefined && budget < call.timeoutMs;
      const timer = setTimeout(() => abort.abort(callLimited ? CALL_TIMEOUT : ATTEMPT_TIMEOUT), Math.max(0, budget));
      const onCallerAbort = () => abort.abort(signal!.reason);
      signal?.addEventListener("abort", onCallerAbort, { once: true });
      const finish = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onCallerAbort);
      };

      let response: HttpResponse;
      let text: string | undefined;
      try {
        response = await backend({
          method,
          origin: call.origin,
          path: call.path,
          headers,
          body: call.body,
          abort,
          timeoutMs: Math.max(0, budget),
          callerSignal: signal,
          streamed: call.streamSuccess,
          redirect: call.redirect ?? "follow",
          credentialHeaders,
        });
        if (!(call.streamSuccess && response.status >= 200 && response.status < 300)) text = await response.text();
      } catch (error) {
        finish();
        const failure = attemptFailure(error, abort, signal);
        if (observer.active) observer.error({ operationId, attempt: attempts, method, url: redactor.url(call.origin + call.path), durationMs: Date.now() - started, error: failure });
        if (failure instanceof AbortError) throw failure;
        if (failure instanceof TimeoutError && failure.scope === "call") throw failure;
        // A refused connection never reached the server, so even an unsafe request may go again.
        const decision = state.decide({ connectionError: true }, replayable || isRefused(error));
        if (!decision.retry) throw failure;
        await pause(decision.delayMs, failure instanceof TimeoutError ? "timeout" : "connection error");
        continue;
      }
      finish();

      const status = response.status;
      if (observer.active) {
        observer.response({
          operationId,
          attempt: attempts,
          method,
          url: redactor.url(call.origin + call.path),
          status,
          durationMs: Date.now() - started,
          requestId: requestIdOf(response.headers),
          headers: response.headers,
        });
      }
      const exchange: Exchange = { status, headers: response.headers, text, http: response, attempts, sent };

      // Only a request that carried credentials can be fixed by fresh ones (and a token exchange's own 401 must
      // not re-enter the provider that is waiting on it).
      if (status === 401 && needsAuth && options.auth?.type === "custom" && options.auth.onUnauthorized && !refreshedAfter401) {
        // One fresh credential per call, never a loop.
        refreshedAfter401 = true;
        if (await options.auth.onUnauthorized(attemptAuth)) continue;
      }

      if (options.circuitBreakerStatuses.includes(status)) {
        circuit.open(apiErrorFor({ status, body: parseLoose(text), headers: response.webHeaders(), request: sent(), attempts }));
        return exchange;
      }

      if (status < 200 || status >= 300) {
        // A 429 (or a spec's `notProcessedStatuses`, e.g. 423 Locked) says the request was not processed, so
        // it may be repeated whatever the method.
        const decision = state.decide(
          { status, headers: response.headers },
          replayable || status === 429 || (options.notProcessedStatuses?.includes(status) ?? false),
        );
        if (decision.retry) {
          await pause(decision.delayMs, `status ${status}`);
          continue;
        }
      }
      return exchange;
    }

    function attemptFailure(error: unknown, abort: AttemptAbort, callerSignal: AbortSignal | undefined): ActivationKitError {
      if (abort.reason === CALL_TIMEOUT) return new TimeoutError(sent(), call.totalTimeoutMs!, attempts, "call");
      if (abort.reason === ATTEMPT_TIMEOUT) return new TimeoutError(sent(), call.timeoutMs, attempts);
      if (callerSignal?.aborted) return new AbortError(sent(), callerSignal.reason, attempts);
      return new ConnectionError(sent(), scrubError(error, redactor), attempts);
    }
  };
}

export function requestIdOf(headers: HeaderBag): string | undefined {
  return headers.get("x-request-id") ?? headers.get("request-id") ?? headers.get("x-correlation-id") ?? undefined;
}

/** JSON when it parses, else the text (error bodies are kept whatever their shape). */
export function parseLoose(text: string | undefined): unknown {
  if (text === undefined || text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function redactHeaders(headers: Record<string, string>, credentialHeaders: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = credentialHeaders.includes(k) ? REDACTED : v;
  return out;
}

function describeBinary(body: RequestBody | undefined): { body?: string } {
  if (body === undefined || typeof body === "string") return {};
  const size = body instanceof Uint8Array || body instanceof ArrayBuffer ? body.byteLength : undefined;
  const kind = typeof FormData !== "undefined" && body instanceof FormData ? "multipart/form-data" : "binary";
  return { body: `[${kind} body${size === undefined ? "" : `, ${size} bytes`}]` };
}

function isRefused(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } };
  return e?.code === "ECONNREFUSED" || e?.cause?.code === "ECONNREFUSED";
}

function scrubError(error: unknown, redactor: Redactor): Error {
  const e = error instanceof Error ? error : new Error(String(error));
  const clean = new Error(redactor.scrub(e.message));
  const code = (e as { code?: string }).code ?? (e as { cause?: { code?: string } }).cause?.code;
  if (code) (clean as { cause?: unknown }).cause = { code };
  return clean;
}
