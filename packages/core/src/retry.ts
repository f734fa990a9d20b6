/**
 * Retry policy: which failures are retried, and how long to wait. Policies come from each spec's
 * `x-runtime-policy` (see specs/CONVENTIONS.md) and can be overridden per client or per call.
 */

export interface BackoffPolicy {
  /** Retries after the first attempt (0 = no retry). */
  maxRetries: number;
  /** First delay; each further delay doubles (times `multiplier`). */
  initialDelayMs: number;
  /** Cap of one delay (also caps a server's Retry-After). */
  maxDelayMs: number;
  multiplier?: number;
  /** `false` gives the exact ladder (1, 2, 4 … minutes); default true = "full jitter" between 50 % and 100 %. */
  jitter?: boolean;
}

export interface RetryPolicy extends BackoffPolicy {
  /** HTTP statuses worth another attempt. */
  retryStatuses: number[];
  /** Connection errors and timeouts are retried (default true). */
  retryConnectionErrors?: boolean;
  /** A separate budget and ladder for 429 (default: the same as above). */
  rateLimited?: BackoffPolicy;
  description?: string;
}

export interface RuntimePolicy {
  retry: RetryPolicy;
  /** Never retried, whatever a policy says (credentials errors). */
  neverRetryStatuses: number[];
  /**
   * Statuses that say the server did not act on the request (e.g. Contacthub's 423 "reindexing in progress"),
   * so a retry policy that lists them may repeat even a non-idempotent POST; 429 is always treated so.
   */
  notProcessedStatuses?: number[];
  /** Statuses that open the client's circuit: later calls fail fast until reset. */
  circuitBreakerStatuses?: number[];
  namedRetryPolicies?: Record<string, RetryPolicy>;
  resultEnvelope?: ResultEnvelopePolicy;
}

export interface ResultEnvelopePolicy {
  field: string;
  success: string[];
  partial?: string[];
  errorsField?: string;
}

/** Retry-After as milliseconds: `retry-after-ms`, then `Retry-After` in seconds or as an HTTP date. */
export function retryAfterMs(headers: { get(name: string): string | null }, now: number = Date.now()): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "") {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return n;
  }
  const ra = headers.get("retry-after");
  if (ra === null || ra.trim() === "") return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(ra)) return Number(ra) * 1000;
  // Every HTTP-date form names a month; without that check Date.parse reads garbage like "-5" as a 2001 date.
  if (!/\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\b/i.test(ra)) return undefined;
  const date = Date.parse(ra);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Delay before retry number `retry` (1-based). A server's Retry-After wins when given (capped at
 * `maxDelayMs`); else exponential back-off from `initialDelayMs`, capped, with jitter unless disabled.
 */
export function backoffDelayMs(
  retry: number,
  policy: BackoffPolicy,
  serverDelayMs?: number,
  random: () => number = Math.random,
): number {
  if (serverDelayMs !== undefined) return Math.min(serverDelayMs, policy.maxDelayMs);
  const exp = policy.initialDelayMs * Math.pow(policy.multiplier ?? 2, retry - 1);
  const capped = Math.min(exp, policy.maxDelayMs);
  if (policy.jitter === false) return capped;
  return Math.round(capped * (0.5 + random() * 0.5));
}

export type RetryDecision = { retry: false } | { retry: true; delayMs: number };

export interface AttemptOutcome {
  status?: number;
  headers?: { get(name: string): string | null };
  connectionError?: boolean;
}

/** Keeps the count of retries of one call, per budget (429 may have its own). */
export class RetryState {
  private retries = 0;
  private rateLimitedRetries = 0;
  constructor(
    private readonly policy: RetryPolicy,
    private readonly neverRetry: number[],
    private readonly random: () => number = Math.random,
  ) {}

  /** What to do after an attempt; `replayable` is false when the operation is not safe to repeat. */
  decide(outcome: AttemptOutcome, replayable: boolean): RetryDecision {
    if (!replayable) return { retry: false };
    const { status } = outcome;
    if (status !== undefined) {
      if (this.neverRetry.includes(status)) return { retry: false };
      const override = outcome.headers?.get("x-should-retry");
      if (override === "false") return { retry: false };
      const wanted = override === "true" || this.policy.retryStatuses.includes(status);
      if (!wanted) return { retry: false };
      const server = outcome.headers ? retryAfterMs(outcome.headers) : undefined;
      if (status === 429 && this.policy.rateLimited) {
        if (this.rateLimitedRetries >= this.policy.rateLimited.maxRetries) return { retry: false };
        this.rateLimitedRetries += 1;
        return { retry: true, delayMs: backoffDelayMs(this.rateLimitedRetries, this.policy.rateLimited, server, this.random) };
      }
      if (this.retries >= this.policy.maxRetries) return { retry: false };
      this.retries += 1;
      return { retry: true, delayMs: backoffDelayMs(this.retries, this.policy, server, this.random) };
    }
    if (outcome.connectionError && this.policy.retryConnectionErrors !== false) {
      if (this.retries >= this.policy.maxRetries) return { retry: false };
      this.retries += 1;
      return { retry: true, delayMs: backoffDelayMs(this.retries, this.policy, undefined, this.random) };
    }
    return { retry: false };
  }
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
