/**
 * The batch's plan: which call runs which operation and which fault (seeded, so every run injects the same
 * faults in the same places), what each call must end in, and the time bound each call must end within.
 */
import { FAULT_CLASSES, type FaultClass } from "./fault-server.js";

/** mulberry32: a small seeded PRNG, so the fault choice is random but repeatable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The three kinds of call in the batch: an idempotent POST, a non-idempotent POST and a GET. */
export const OPERATIONS = ["releva.upsertProfiles", "contacthub.createCustomer", "contacthub.getCustomer"] as const;
export type Operation = (typeof OPERATIONS)[number];
export const IDEMPOTENT: Record<Operation, boolean> = {
  "releva.upsertProfiles": true,
  "contacthub.createCustomer": false,
  "contacthub.getCustomer": true,
};

export interface PlannedCall {
  index: number;
  callId: string;
  operation: Operation;
  fault: FaultClass | "none";
  /** The fault hits every attempt (the call runs out of retries), not only the first one. */
  persistent: boolean;
}

/**
 * `calls` calls, `faultShare` of them faulted. Every (fault class, operation) pair is planned at least twice,
 * once transient (first attempt only) and once persistent (every attempt); the rest of the faulted share is
 * drawn at random. Positions and operations of the others are random too.
 */
export function buildPlan(calls: number, faultShare: number, random: () => number): PlannedCall[] {
  const faulted = Math.round(calls * faultShare);
  const faults: { fault: FaultClass; operation: Operation; persistent: boolean }[] = [];
  for (const fault of FAULT_CLASSES) {
    for (const operation of OPERATIONS) {
      faults.push({ fault, operation, persistent: false }, { fault, operation, persistent: true });
    }
  }
  if (faults.length > faulted) throw new Error(`${calls} calls at ${faultShare} leave too few faulted calls for every fault class`);
  while (faults.length < faulted) {
    faults.push({
      fault: FAULT_CLASSES[Math.floor(random() * FAULT_CLASSES.length)],
      operation: OPERATIONS[Math.floor(random() * OPERATIONS.length)],
      persistent: random() < 0.5,
    });
  }
  const rows: Omit<PlannedCall, "index" | "callId">[] = [
    ...faults,
    ...Array.from({ length: calls - faulted }, () => ({
      fault: "none" as const,
      operation: OPERATIONS[Math.floor(random() * OPERATIONS.length)],
      persistent: false,
    })),
  ];
  return shuffle(rows, random).map((row, index) => ({ ...row, index, callId: `call-${String(index).padStart(4, "0")}` }));
}

export interface CallLimits {
  timeoutMs: number;
  maxRetries: number;
  maxDelayMs: number;
  totalTimeoutMs?: number;
}

/**
 * The longest a call may take, from its options alone: every attempt may use its whole timeout (headers and
 * body), and every back-off may use its cap (a server's Retry-After is capped too); a call budget
 * (`totalTimeoutMs`) bounds all of it.
 */
export function timeBoundMs(limits: CallLimits): number {
  const byAttempts = (limits.maxRetries + 1) * limits.timeoutMs + limits.maxRetries * limits.maxDelayMs;
  return limits.totalTimeoutMs === undefined ? byAttempts : Math.min(byAttempts, limits.totalTimeoutMs);
}

/** What a call must end in: resolved, or rejected with this error class after this many attempts. */
export interface Expected {
  outcome: "ok" | string;
  /** Exact attempts, or an inclusive range when a call budget may cut the retries short. */
  attempts: number | [number, number];
}

/**
 * The contract, per fault: retried (and so recovered when transient) exactly when the request is safe to repeat:
 * an idempotent operation, a 429 (not processed), or a refused connection (never reached the server). Never
 * repeated once the server may have acted. A 2xx body that is not JSON is not a transient failure.
 */
export function expected(call: PlannedCall, limits: CallLimits): Expected {
  const all = limits.maxRetries + 1;
  const idempotent = IDEMPOTENT[call.operation];
  const retried = (errorClass: string): Expected =>
    call.persistent ? { outcome: errorClass, attempts: all } : { outcome: "ok", attempts: 2 };
  switch (call.fault) {
    case "none":
    case "redirect":
    case "slow":
      return { outcome: "ok", attempts: 1 };
    case "429-seconds":
    case "429-date":
      return retried("RateLimitError");
    case "503-json":
    case "502-html":
      return idempotent ? retried("InternalServerError") : { outcome: "InternalServerError", attempts: 1 };
    case "reset-before":
    case "reset-after":
    case "cut":
      return idempotent ? retried("ConnectionError") : { outcome: "ConnectionError", attempts: 1 };
    case "stall":
    case "drip":
      if (!idempotent) return { outcome: "TimeoutError", attempts: 1 };
      if (!call.persistent) return { outcome: "ok", attempts: 2 };
      // A call budget shorter than all attempts ends the call after two or more of them.
      return { outcome: "TimeoutError", attempts: limits.totalTimeoutMs !== undefined && limits.totalTimeoutMs < timeBoundMs({ ...limits, totalTimeoutMs: undefined }) ? [2, all] : all };
    case "malformed":
      return { outcome: "ResponseParseError", attempts: 1 };
    case "refused":
      return { outcome: "ConnectionError", attempts: all };
  }
}
