/**
 * Client-side rate limiter. Each call has a cost (from the spec's `x-rate-limit-cost`: a base plus the number
 * of items at a JSON pointer of the body, e.g. Relay42's "a POST with N facts costs N + 1"). The limiter is a
 * token bucket refilled at `perSecond`, holding at most `burst`; a call waits until its cost is available.
 */
import { sleep } from "./retry.js";

export interface RateLimitCost {
  base: number;
  /** JSON pointer into the request body; the array length or object key count there is added to `base`. */
  perItemPointer?: string;
}

export interface RateLimiterOptions {
  /** Sustained cost units per second. */
  perSecond: number;
  /** Bucket size: the most cost that can be spent at once (default `perSecond`). */
  burst?: number;
  /** Clock, for tests. */
  now?: () => number;
}

export class RateLimiter {
  private tokens: number;
  private last: number;
  private readonly burst: number;
  private readonly now: () => number;
  private queue: Promise<void> = Promise.resolve();
  /** Total cost spent since creation; handy for reports and tests. */
  spent = 0;

  constructor(private readonly options: RateLimiterOptions) {
    if (!(options.perSecond > 0)) throw new RangeError("rateLimit.perSecond must be > 0");
    this.burst = options.burst ?? options.perSecond;
    this.now = options.now ?? (() => Date.now());
    this.tokens = this.burst;
    this.last = this.now();
  }

  /** Waits until `cost` units are available, then spends them. Calls are served in order. */
  acquire(cost: number, signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.take(cost, signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async take(cost: number, signal?: AbortSignal): Promise<void> {
    // A call that costs more than the bucket holds may go once the bucket is full, else it never would.
    const need = Math.min(cost, this.burst);
    for (;;) {
      this.refill();
      if (this.tokens >= need) {
        this.tokens -= need;
        this.spent += cost;
        return;
      }
      const waitMs = Math.ceil(((need - this.tokens) / this.options.perSecond) * 1000);
      await sleep(waitMs, signal);
    }
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.options.perSecond);
    this.last = t;
  }
}

/** The cost of one call: `base` + the size of the collection at `perItemPointer` in the body. */
export function costOf(rule: RateLimitCost | undefined, body: unknown): number {
  if (!rule) return 1;
  // "" is a valid pointer (the whole body, e.g. Relay42's top-level array of facts).
  if (rule.perItemPointer === undefined) return rule.base;
  const target = jsonPointer(body, rule.perItemPointer);
  let items = 0;
  if (Array.isArray(target)) items = target.length;
  else if (target && typeof target === "object") items = Object.keys(target).length;
  return rule.base + items;
}

export function jsonPointer(doc: unknown, pointer: string): unknown {
  if (pointer === "") return doc;
  let cur: unknown = doc;
  for (const raw of pointer.replace(/^\//, "").split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
