/**
 * Fault injection, on every transport (Node's undici dispatcher, and fetch): real generated clients (Releva
 * upsertProfiles: an idempotent POST; Contacthub createCustomer: a non-idempotent POST; Contacthub getCustomer: a
 * GET with a call budget) against a loopback server that injects 429s (Retry-After in seconds and as a date), 5xx
 * with JSON and HTML bodies, resets before and after acting, stalls, dripping and cut bodies, malformed JSON,
 * cross-origin redirects, slow answers and refused connections.
 *
 * It proves: a 400-call batch, 16 at a time, 20 % faulted, loses nothing, processes nothing twice, throws nothing
 * untyped and ends every call within the bound its options give; a non-idempotent request is never repeated once
 * the server may have acted; 401/403 are never retried whatever the policy lists; the credential shows up in no
 * error, log line or hook argument (nor at another origin); an open circuit lets nothing through under
 * concurrency; a limiter shared by several clients holds its rate.
 *
 * Timing assertions are bounds with slack (a call must end within its bound + SLACK_MS; a Retry-After wait must
 * be at least what was asked): load on the machine makes calls slower, never faster, so they do not flake.
 */
import { inspect } from "node:util";
import {
  ActivationKitError,
  AuthenticationError,
  CircuitOpenError,
  ConnectionError,
  PermissionDeniedError,
  RateLimiter,
  ResponseParseError,
  TimeoutError,
  type Hooks,
  type LogFunction,
} from "@activation-kit/core";
import { createContacthubClient, type ContacthubClientOptions } from "@activation-kit/contacthub";
import { createRelay42Client } from "@activation-kit/relay42";
import { createRelevaClient } from "@activation-kit/releva";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  CONTACTHUB_NODE,
  customerIdFor,
  FAULT_CLASSES,
  refusedOrigin,
  send,
  startFaultServer,
  type Fault,
  type FaultServer,
} from "./fault-server.js";
import { buildPlan, expected, seededRandom, timeBoundMs, type CallLimits, type PlannedCall } from "./plan.js";

const TRANSPORTS = ["node", "fetch"] as const;
type Transport = (typeof TRANSPORTS)[number];

const SEED = Number(process.env.ACTIVATION_KIT_FAULT_SEED ?? 20_250_614);
const CALLS = 400;
const CONCURRENCY = 16;
const FAULT_SHARE = 0.2;
/** Attempt timeout, retries and back-off of every batch client: short enough for a quick suite, long enough that
 * a loaded machine rarely trips a timeout on a prompt answer (see "slowed by machine load" below). */
const LIMITS = { timeoutMs: 600, maxRetries: 3, initialDelayMs: 10, maxDelayMs: 80 };
/** The GET also has a call budget shorter than all its attempts could take. */
const GET_TOTAL_TIMEOUT_MS = 1500;
/** Scheduling slack on top of a call's computed bound (a 2-core machine shared with other work). */
const SLACK_MS = 1500;
/** A call still pending this long after its bound counts as lost. */
const LOST_AFTER_MS = 5000;

const RELEVA_KEY = "rk-live-FAULTSUITE-7f3a9c";
const CONTACTHUB_TOKEN = "ch-live-FAULTSUITE-51d2e8";
const RELAY42_ID = "r42-fault-suite-id";
const RELAY42_TOKEN = "r42-live-FAULTSUITE-0b6e";
const SECRETS = [RELEVA_KEY, CONTACTHUB_TOKEN, RELAY42_TOKEN, Buffer.from(`${RELAY42_ID}:${RELAY42_TOKEN}`).toString("base64")];
const WORKSPACE = "40b8a6c4-2ea6-4c3f-a8b8-1f1b2e9d7a11";
const PARTNER_ID = "4ccee44e-5cea-457e-a94d-fc7ed086ae6f";
const RELAY42_PROFILE = { path: { partnerType: 42 }, query: { partnerId: PARTNER_ID } };

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `run` over `items`, `width` at a time. */
async function pool<T>(items: readonly T[], width: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await run(items[next++]);
    }),
  );
}

/** Everything the clients let out: hook arguments, log lines, attempts per call id, retry delays. */
function observation() {
  const attempts = new Map<string, number>();
  const retries: { reason: string; delayMs: number }[] = [];
  /** Every attempt that ended without a usable response (onError), with the request it was for. */
  const failures: ActivationKitError[] = [];
  const hookArgs: unknown[] = [];
  const logLines: string[] = [];
  const hooks: Hooks = {
    onRequest: (info) => {
      hookArgs.push(info);
      const id = info.headers["x-call-id"];
      if (id) attempts.set(id, (attempts.get(id) ?? 0) + 1);
    },
    onResponse: (info) => void hookArgs.push(info),
    onRetry: (info) => {
      hookArgs.push(info);
      retries.push({ reason: info.reason, delayMs: info.delayMs });
    },
    onError: (info) => {
      hookArgs.push(info);
      failures.push(info.error);
    },
  };
  const logger: LogFunction = (level, message, fields) => void logLines.push(`${level} ${message} ${inspect(fields, { depth: 10 })}`);
  return { attempts, retries, failures, hookArgs, logLines, hooks, logger };
}

/** Every view of an error a user might print or ship to a log service. */
function views(error: unknown): string[] {
  const e = error as Error;
  return [String(e), e?.stack ?? "", JSON.stringify(e) ?? "", inspect(e, { depth: 10 })];
}

/** The places in `texts` that show a credential (none expected). */
function leaks(kind: string, texts: string[]): string[] {
  const found: string[] = [];
  for (const text of texts) {
    for (const secret of SECRETS) if (text.includes(secret)) found.push(`${kind} shows a credential: ${text.split(secret).join("<credential>").slice(0, 300)}`);
  }
  return found;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.constructor.name : typeof error;
}

interface CallRecord {
  call: PlannedCall;
  settled: boolean;
  outcome: string;
  error?: unknown;
  data?: unknown;
  /** Attempts the call itself reports (`withResponse().attempts` or the error's `attempts`). */
  reportedAttempts?: number;
  durationMs: number;
  boundMs: number;
}

describe.each(TRANSPORTS)("fault injection over the %s transport", (transport: Transport) => {
  let server: FaultServer;
  let refused: string;
  beforeAll(async () => {
    server = await startFaultServer();
    refused = await refusedOrigin();
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  const retry = { maxRetries: LIMITS.maxRetries, initialDelayMs: LIMITS.initialDelayMs, maxDelayMs: LIMITS.maxDelayMs };

  function relevaClient(extra: Partial<Parameters<typeof createRelevaClient>[0]> = {}, origin = server.origin) {
    return createRelevaClient({ transport, secretKey: RELEVA_KEY, baseUrl: `${origin}/releva`, timeoutMs: LIMITS.timeoutMs, retry, ...extra });
  }
  function contacthubClient(extra: Partial<ContacthubClientOptions> = {}, origin = server.origin) {
    // A credential function: resolved per attempt, so redaction must catch it per attempt too.
    return createContacthubClient({
      transport,
      token: () => CONTACTHUB_TOKEN,
      workspaceId: WORKSPACE,
      baseUrl: `${origin}/contacthub`,
      timeoutMs: LIMITS.timeoutMs,
      retry,
      ...extra,
    });
  }

  const profileOf = (callId: string) => ({ email: `${callId}@example.com`, firstName: `F-${callId}`, phoneNumber: `+3598880${callId.replace(/\D/g, "")}` });
  const customerOf = (callId: string) => ({ nodeId: CONTACTHUB_NODE, externalId: callId, base: { firstName: `F-${callId}` } });

  it(`a batch of ${CALLS} calls, ${CONCURRENCY} at a time, ${FAULT_SHARE * 100} % faulted: nothing lost, processed twice, untyped or late`, async () => {
    const plan = buildPlan(CALLS, FAULT_SHARE, seededRandom(SEED));
    const byId = new Map(plan.map((c) => [c.callId, c]));
    server.plan = (callId, attempt): Fault => {
      const call = callId ? byId.get(callId) : undefined;
      if (!call || call.fault === "none" || call.fault === "refused") return "ok";
      return attempt === 1 || call.persistent ? call.fault : "ok";
    };
    const seen = observation();
    const observed = { hooks: seen.hooks, logger: seen.logger, logLevel: "debug" as const };
    const reachable = { releva: relevaClient(observed), contacthub: contacthubClient(observed) };
    const unreachable = { releva: relevaClient(observed, refused), contacthub: contacthubClient(observed, refused) };
    const limitsOf = (call: PlannedCall): CallLimits => ({
      ...LIMITS,
      totalTimeoutMs: call.operation === "contacthub.getCustomer" ? GET_TOTAL_TIMEOUT_MS : undefined,
    });

    function start(call: PlannedCall) {
      const clients = call.fault === "refused" ? unreachable : reachable;
      const options = { headers: { "x-call-id": call.callId } };
      switch (call.operation) {
        case "releva.upsertProfiles":
          return clients.releva.profiles.upsertProfiles({ body: { profiles: [{ profile: profileOf(call.callId) }] } }, options).withResponse();
        case "contacthub.createCustomer":
          return clients.contacthub.customers.createCustomer({ body: customerOf(call.callId) }, options).withResponse();
        case "contacthub.getCustomer":
          return clients.contacthub.customers
            .getCustomer({ path: { customerId: customerIdFor(call.callId) } }, { ...options, totalTimeoutMs: GET_TOTAL_TIMEOUT_MS })
            .withResponse();
      }
    }

    // Warm-up (not counted): one wave as wide as the batch, so one-off costs (JIT, opening the pool's
    // connections, the refused path) are paid before the clock runs against a 600 ms attempt timeout.
    await Promise.all([
      ...Array.from({ length: CONCURRENCY }, (_, i) => {
        const id = `warm-up-${i}`;
        if (i % 3 === 0) return reachable.releva.profiles.upsertProfiles({ body: { profiles: [{ profile: profileOf(id) }] } });
        if (i % 3 === 1) return reachable.contacthub.customers.createCustomer({ body: customerOf(id) });
        return reachable.contacthub.customers.getCustomer({ path: { customerId: customerIdFor(id) } });
      }),
      unreachable.contacthub.customers.createCustomer({ body: customerOf("warm-up-refused") }).catch(() => undefined),
      unreachable.releva.profiles.upsertProfiles({ body: { profiles: [{ profile: profileOf("warm-up-refused") }] } }).catch(() => undefined),
    ]);

    const records: CallRecord[] = [];
    const batchStarted = performance.now();
    await pool(plan, CONCURRENCY, async (call) => {
      const boundMs = timeBoundMs(limitsOf(call));
      const record: CallRecord = { call, settled: false, outcome: "pending", durationMs: Number.NaN, boundMs };
      records.push(record);
      const started = performance.now();
      const outcome = start(call).then(
        (r) => {
          Object.assign(record, { settled: true, outcome: "ok", data: r.data, reportedAttempts: r.attempts });
        },
        (error: unknown) => {
          Object.assign(record, { settled: true, outcome: errorName(error), error, reportedAttempts: (error as { attempts?: number }).attempts });
        },
      );
      let watchdog: NodeJS.Timeout | undefined;
      await Promise.race([outcome, new Promise<void>((resolve) => (watchdog = setTimeout(resolve, boundMs + LOST_AFTER_MS)))]);
      clearTimeout(watchdog);
      record.durationMs = performance.now() - started;
    });
    const batchMs = performance.now() - batchStarted;

    // An attempt that timed out although the server answered it promptly (no stall or drip planned for it), or a
    // call budget that ran out although no attempt stalled, was slowed by the machine, not by a fault: such a call
    // still must be typed, bounded and never processed twice, but its exact outcome and attempt count are not
    // checked. There must be few of them.
    const callOfFailure = (e: ActivationKitError): string | undefined => {
      const request = (e as { request?: { url: string; body?: string } }).request;
      return /call-\d{4}/.exec(request?.body ?? "")?.[0] ?? byCustomerId.get(request?.url.split("/").at(-1) ?? "");
    };
    const byCustomerId = new Map(plan.map((c) => [customerIdFor(c.callId), c.callId]));
    const timeoutsOf = new Map<string, number>();
    for (const e of seen.failures) {
      const id = e instanceof TimeoutError ? callOfFailure(e) : undefined;
      if (id) timeoutsOf.set(id, (timeoutsOf.get(id) ?? 0) + 1);
    }
    const plannedTimeouts = (call: PlannedCall, attempts: number) =>
      call.fault === "stall" || call.fault === "drip" ? (call.persistent ? attempts : Math.min(1, attempts)) : 0;
    const slowedByLoad: string[] = [];

    const problems: string[] = [];
    const arrivalsOf = (callId: string, origin: "main" | "other") => server.arrivals.filter((a) => a.callId === callId && a.origin === origin);
    let duplicated = 0;
    let idempotentRepeats = 0;
    let maxOverrun = 0;
    for (const r of records) {
      const { call } = r;
      const tag = `${call.callId} ${call.operation} ${call.fault}${call.persistent ? " (persistent)" : ""}`;
      const attempts = seen.attempts.get(call.callId) ?? 0;
      if (!r.settled) {
        problems.push(`${tag}: still pending ${Math.round(r.durationMs)} ms after it started (bound ${r.boundMs} ms)`);
        continue;
      }
      if (r.outcome !== "ok" && !(r.error instanceof ActivationKitError)) problems.push(`${tag}: untyped rejection ${inspect(r.error)}`);
      const budgetRanOut = r.error instanceof TimeoutError && r.error.scope === "call" && !((call.fault === "stall" || call.fault === "drip") && call.persistent);
      const slowed = (timeoutsOf.get(call.callId) ?? 0) > plannedTimeouts(call, attempts) || budgetRanOut;
      if (slowed) slowedByLoad.push(`${tag} after ${attempts} attempts: ${r.outcome} in ${Math.round(r.durationMs)} ms`);
      const want = slowed ? { outcome: r.outcome, attempts } : expected(call, limitsOf(call));
      if (r.outcome !== want.outcome) problems.push(`${tag}: ended in ${r.outcome}, expected ${want.outcome}${r.error ? ` (${(r.error as Error).message})` : ""}`);
      const [low, high] = typeof want.attempts === "number" ? [want.attempts, want.attempts] : want.attempts;
      if (attempts < low || attempts > high) problems.push(`${tag}: ${attempts} attempts, expected ${low === high ? low : `${low}–${high}`}`);
      if (r.reportedAttempts !== attempts) problems.push(`${tag}: reports ${r.reportedAttempts} attempts, the hooks saw ${attempts}`);
      const reached = arrivalsOf(call.callId, "main").length;
      const sentToServer = call.fault === "refused" ? 0 : attempts;
      // (An attempt timed out by load may end before the server even read it.)
      if (slowed ? reached > sentToServer : reached !== sentToServer) problems.push(`${tag}: the server got ${reached} requests for ${attempts} attempts`);
      const overrun = r.durationMs - r.boundMs;
      maxOverrun = Math.max(maxOverrun, overrun);
      if (overrun > SLACK_MS) problems.push(`${tag}: took ${Math.round(r.durationMs)} ms, bound ${r.boundMs} ms (+${SLACK_MS} ms slack)`);

      switch (call.operation) {
        case "contacthub.createCustomer": {
          const acted = server.acted.get(call.callId) ?? 0;
          if (acted > 1) {
            duplicated += 1;
            problems.push(`${tag}: the server created the customer ${acted} times`);
          }
          if (r.outcome === "ok") {
            if (acted !== 1) problems.push(`${tag}: resolved, but the server acted ${acted} times`);
            if ((r.data as { id?: string }).id !== customerIdFor(call.callId)) problems.push(`${tag}: resolved to another customer ${inspect(r.data)}`);
          }
          break;
        }
        case "releva.upsertProfiles": {
          const acted = server.acted.get(`${call.callId}@example.com`) ?? 0;
          if (acted > 1) idempotentRepeats += 1;
          const stored = server.profiles.get(`${call.callId}@example.com`);
          // Repeats are allowed; the state they leave must be the one asked for.
          if (r.outcome === "ok" && acted < 1) problems.push(`${tag}: resolved, but the profile was never stored`);
          if (stored !== undefined && JSON.stringify(stored) !== JSON.stringify(profileOf(call.callId))) problems.push(`${tag}: stored ${inspect(stored)}`);
          break;
        }
        case "contacthub.getCustomer":
          if (r.outcome === "ok" && (r.data as { id?: string }).id !== customerIdFor(call.callId)) problems.push(`${tag}: got another customer ${inspect(r.data)}`);
          break;
      }
    }

    // Retry-After is read and capped: every retry after a 429 waited the cap (the ladder alone never reaches it),
    // and the server saw the second attempt no sooner than that.
    const ladderMax = LIMITS.initialDelayMs * 2 ** (LIMITS.maxRetries - 1);
    for (const retryEvent of seen.retries) {
      if (retryEvent.reason === "status 429" && retryEvent.delayMs !== LIMITS.maxDelayMs) problems.push(`a 429 retry waited ${retryEvent.delayMs} ms, not the Retry-After capped at ${LIMITS.maxDelayMs} ms`);
      if (retryEvent.reason !== "status 429" && retryEvent.delayMs > ladderMax) problems.push(`a ${retryEvent.reason} retry waited ${retryEvent.delayMs} ms, more than the ladder's ${ladderMax} ms`);
    }
    for (const call of plan.filter((c) => c.fault.startsWith("429"))) {
      const [first, second] = arrivalsOf(call.callId, "main");
      if (second && second.at - first.at < LIMITS.maxDelayMs - 2) problems.push(`${call.callId}: retried ${Math.round(second.at - first.at)} ms after a 429 with Retry-After`);
    }

    // No credential in any error, log line or hook argument; none carried to another origin.
    const errors = records.filter((r) => r.error !== undefined).map((r) => r.error);
    problems.push(...leaks("an error", errors.flatMap(views)));
    problems.push(...leaks("a log line", seen.logLines));
    problems.push(...leaks("a hook argument", seen.hookArgs.map((a) => inspect(a, { depth: 10 }))));
    const elsewhere = server.arrivals.filter((a) => a.origin === "other");
    for (const a of elsewhere) if (a.authorization !== undefined) problems.push(`${a.callId}: the credential went to another origin`);

    if (slowedByLoad.length > CALLS * 0.1) problems.push(`${slowedByLoad.length} calls timed out on attempts the server answered promptly`);

    // The checks above had something to check.
    expect(elsewhere.length).toBeGreaterThan(0);
    expect(seen.logLines.length).toBeGreaterThan(CALLS);
    expect(seen.hookArgs.some((a) => inspect(a).includes("authorization: '[REDACTED]'"))).toBe(true);
    expect(errors.some((e) => /\[REDACTED\]/.test(JSON.stringify(e)))).toBe(true); // the server's echo was redacted
    expect(server.arrivals.filter((a) => a.origin === "main").every((a) => a.authorization?.startsWith("Bearer "))).toBe(true);

    // One line per fault class, then the summary.
    const totalAttempts = [...seen.attempts.values()].reduce((a, b) => a + b, 0);
    const lost = records.filter((r) => !r.settled).length + (CALLS - records.length);
    const untyped = records.filter((r) => r.settled && r.outcome !== "ok" && !(r.error instanceof ActivationKitError)).length;
    const lines: string[] = [];
    for (const fault of [...FAULT_CLASSES, "none"] as const) {
      const rows = records.filter((r) => r.call.fault === fault);
      const outcomes = new Map<string, number>();
      for (const r of rows) outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
      const attempts = rows.reduce((n, r) => n + (seen.attempts.get(r.call.callId) ?? 0), 0);
      const longest = Math.max(...rows.map((r) => r.durationMs));
      lines.push(
        `  ${fault.padEnd(12)} ${String(rows.length).padStart(3)} calls, ${String(attempts).padStart(3)} attempts: ` +
          `${[...outcomes].map(([k, v]) => `${v} ${k}`).join(", ")}; longest ${Math.round(longest)} ms`,
      );
    }
    lines.push(
      `faults (${transport}): ${records.length} calls, ${totalAttempts} attempts, ${lost} lost, ${duplicated} duplicated, ${untyped} untyped, ` +
        `max overrun ${Math.max(0, Math.round(maxOverrun))} ms (seed ${SEED}, ${Math.round(batchMs)} ms, ${idempotentRepeats} idempotent upserts applied twice ` +
        `with the right final state, ${slowedByLoad.length} calls slowed past a timeout by machine load)`,
    );
    if (slowedByLoad.length) lines.push(`  slowed by machine load (exact outcome not checked):\n    ${slowedByLoad.join("\n    ")}`);
    console.log(lines.join("\n"));

    expect(problems).toEqual([]);
    expect(records).toHaveLength(CALLS);
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    expect(untyped).toBe(0);
  });

  it.each(["reset-before", "reset-after", "stall", "drip", "cut", "malformed"] as const)(
    "a non-idempotent createCustomer is not repeated once the server may have acted (%s), by name or path-style",
    async (fault) => {
      server.plan = () => fault;
      // A policy that retries everything it can: only the request's safety may stop the repeat.
      const ch = contacthubClient({ retry: { ...retry, maxRetries: 5, retryStatuses: [408, 429, 500, 502, 503, 504] } });
      const byName = ch.customers.createCustomer({ body: customerOf(`${fault}-by-name`) }, { headers: { "x-call-id": `${fault}-by-name` } });
      const pathStyle = ch.raw.POST("/workspaces/{workspaceId}/customers", {
        params: { path: { workspaceId: WORKSPACE } },
        body: customerOf(`${fault}-path-style`),
        headers: { "x-call-id": `${fault}-path-style` },
      });
      const errors = await Promise.all([byName, pathStyle].map((p) => (p as Promise<unknown>).then(() => undefined, (e: unknown) => e)));
      const expectedClass = { "reset-before": ConnectionError, "reset-after": ConnectionError, cut: ConnectionError, stall: TimeoutError, drip: TimeoutError, malformed: ResponseParseError }[fault];
      for (const [i, style] of ["by-name", "path-style"].entries()) {
        const id = `${fault}-${style}`;
        expect(errors[i], style).toBeInstanceOf(expectedClass);
        expect((errors[i] as { attempts: number }).attempts, style).toBe(1);
        expect(server.arrivals.filter((a) => a.callId === id), style).toHaveLength(1);
        expect(server.acted.get(id) ?? 0, style).toBe(fault === "reset-before" ? 0 : 1);
      }
    },
  );

  it("a refused connection never reached the server, so even createCustomer is tried again", async () => {
    const ch = contacthubClient({}, refused);
    const error = await ch.customers.createCustomer({ body: customerOf("refused") }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).attempts).toBe(LIMITS.maxRetries + 1);
    expect((error as Error).message).toContain("ECONNREFUSED");
  });

  it.each([
    [401, AuthenticationError],
    [403, PermissionDeniedError],
  ] as const)("a %i is never retried, whatever the policy lists, even when the server sends x-should-retry: true", async (status, ErrorClass) => {
    // Every answer asks for a retry; the control call gets a 503 under the same policy and is retried.
    server.plan = (callId) => (callId === "control" ? "status 503" : `status ${status}`);
    const policy = { ...retry, retryStatuses: [401, 403, 503] };
    const releva = relevaClient({ retry: policy });
    const ch = contacthubClient({ retry: policy });
    const calls: [string, Promise<unknown>][] = [
      ["releva", releva.profiles.upsertProfiles({ body: { profiles: [{ profile: profileOf("auth-1") }] } }, { headers: { "x-call-id": "releva" } })],
      [
        "releva, per-call policy",
        releva.profiles.upsertProfiles(
          { body: { profiles: [{ profile: profileOf("auth-2") }] } },
          { headers: { "x-call-id": "releva, per-call policy" }, retry: { retryStatuses: [401, 403], maxRetries: 5 } },
        ),
      ],
      ["contacthub get", ch.customers.getCustomer({ path: { customerId: customerIdFor("auth-3") } }, { headers: { "x-call-id": "contacthub get" } })],
      ["contacthub create", ch.customers.createCustomer({ body: customerOf("auth-4") }, { headers: { "x-call-id": "contacthub create" } })],
      ["control", releva.profiles.upsertProfiles({ body: { profiles: [{ profile: profileOf("auth-5") }] } }, { headers: { "x-call-id": "control" } })],
    ];
    const settled = await Promise.all(calls.map(([, p]) => p.then(() => undefined, (e: unknown) => e)));
    for (const [i, [name]] of calls.entries()) {
      const sent = server.arrivals.filter((a) => a.callId === name).length;
      if (name === "control") {
        expect(sent, name).toBe(LIMITS.maxRetries + 1);
        continue;
      }
      expect(settled[i], name).toBeInstanceOf(ErrorClass);
      expect((settled[i] as { attempts: number }).attempts, name).toBe(1);
      expect(sent, name).toBe(1);
    }
  });

  it("Retry-After is honoured below the cap: seconds and HTTP date", async () => {
    const plans: Record<string, Fault> = { seconds: "429-seconds", date: "429-date" };
    server.plan = (callId, attempt) => (attempt === 1 && callId ? (plans[callId] ?? "ok") : "ok");
    const seen = observation();
    const releva = relevaClient({ retry: { ...retry, maxDelayMs: 5000 }, hooks: seen.hooks });
    await Promise.all(
      Object.keys(plans).map((id) =>
        releva.profiles.upsertProfiles({ body: { profiles: [{ profile: profileOf(id) }] } }, { headers: { "x-call-id": id } }),
      ),
    );
    const [secondsFirst, secondsRetry] = server.arrivals.filter((a) => a.callId === "seconds");
    const [dateFirst, dateRetry] = server.arrivals.filter((a) => a.callId === "date");
    expect(seen.retries.map((r) => r.reason)).toEqual(["status 429", "status 429"]);
    const delays = seen.retries.map((r) => r.delayMs);
    // "1" is exactly 1000 ms; the date (2 s ahead, in whole seconds) is at most 2 s away when read.
    expect(delays).toContain(1000);
    const dateDelay = delays[0] === 1000 ? delays[1] : delays[0];
    expect(dateDelay).toBeGreaterThan(0);
    expect(dateDelay).toBeLessThanOrEqual(2000);
    // Lower bounds only (a loaded machine makes waits longer, never shorter): no retry before it was allowed.
    expect(secondsRetry.at - secondsFirst.at).toBeGreaterThanOrEqual(995);
    expect(dateRetry.wall).toBeGreaterThanOrEqual(Date.parse(dateFirst.retryAfter!) - 2);
  });

  it.each([
    [401, AuthenticationError],
    [403, PermissionDeniedError],
  ] as const)("Relay42: a %i opens the circuit and no call slips through it, in flight, retrying, queued or after", async (status, ErrorClass) => {
    // The limiter's burst lets four requests go at once: two succeed, one opens the circuit 20 ms later, and one
    // gets a 503 only after that, so its retry (100 ms on) meets an open circuit. Every other call is queued in
    // the limiter (a token per 50 ms) or starts after the circuit opened.
    let n = 0;
    let opened!: () => void;
    const circuitAnswered = new Promise<void>((resolve) => (opened = resolve));
    server.scripted = async (_request, res) => {
      const k = ++n;
      if (k === 3) {
        await delay(20);
        send(res, status, { errorCode: status, message: "invalid credentials" });
        opened();
        return;
      }
      if (k === 4) {
        await circuitAnswered;
        await delay(5);
        return send(res, 503, { errorCode: 503, message: "busy" });
      }
      send(res, 200, []);
    };
    const sends: { open: boolean; callId: string | undefined }[] = [];
    const seen = observation();
    let client: ReturnType<typeof createRelay42Client> | undefined;
    client = createRelay42Client({
      transport,
      baseUrl: `${server.origin}/relay42`,
      siteNumber: 1234,
      auth: { apiIdentifier: RELAY42_ID, accessToken: RELAY42_TOKEN },
      timeoutMs: 2000,
      retry: { maxRetries: 3, initialDelayMs: 100, maxDelayMs: 100, jitter: false },
      rateLimit: { perSecond: 20, burst: 4 },
      logger: seen.logger,
      logLevel: "debug",
      hooks: {
        ...seen.hooks,
        onRequest: (info) => {
          seen.hooks.onRequest!(info);
          sends.push({ open: client!.runtime.circuitOpenedBy !== undefined, callId: info.headers["x-call-id"] });
        },
      },
    });
    const c = client;
    const ids = Array.from({ length: 64 }, (_, i) => `r42-${i}`);
    const outcomes = new Map<string, unknown>();
    await pool(ids, CONCURRENCY, async (id) => {
      outcomes.set(
        id,
        await c.profiles.getProfileFacts(RELAY42_PROFILE, { headers: { "x-call-id": id } }).then(
          () => "ok",
          (e: unknown) => e,
        ),
      );
    });
    const arrivedDuringBatch = server.arrivals.filter((a) => a.path.startsWith("/relay42/")).length;

    // After: every call fails fast, concurrently, and nothing reaches the server.
    const after = await Promise.all(
      Array.from({ length: CONCURRENCY }, (_, i) => c.profiles.getProfileFacts(RELAY42_PROFILE, { headers: { "x-call-id": `after-${i}` } }).then(() => "ok", (e: unknown) => e)),
    );

    const slipped = sends.filter((s) => s.open);
    const values = [...outcomes.values()];
    const opening = values.filter((v) => v instanceof ErrorClass);
    const blocked = values.filter((v) => v instanceof CircuitOpenError);
    const blockedMidCall = blocked.filter((e) => ((e as { attempts?: number }).attempts ?? 0) > 0).length;
    const resolved = values.filter((v) => v === "ok").length;
    console.log(
      `circuit (${transport}, ${status}): ${ids.length} calls, ${sends.length} attempts sent, ${resolved} resolved, 1 ${ErrorClass.name}, ` +
        `${blocked.length} stopped by CircuitOpenError (${blockedMidCall} of them between attempts), ` +
        `${after.length} after: all CircuitOpenError; ${slipped.length} slipped through`,
    );

    expect(slipped).toEqual([]);
    expect(opening).toHaveLength(1);
    expect((opening[0] as { attempts: number }).attempts).toBe(1);
    expect(resolved).toBeGreaterThanOrEqual(2);
    expect(blockedMidCall).toBeGreaterThanOrEqual(1); // the 503'd call, stopped before its retry
    expect(blocked.length + resolved + opening.length).toBe(ids.length);
    expect(values.every((v) => v === "ok" || v instanceof ActivationKitError)).toBe(true);
    expect(arrivedDuringBatch).toBe(sends.length); // client and server agree on what was sent
    expect(after.every((v) => v instanceof CircuitOpenError)).toBe(true);
    expect(server.arrivals.filter((a) => a.path.startsWith("/relay42/"))).toHaveLength(arrivedDuringBatch);
    const problems = [
      ...leaks("an error", [...values, ...after].filter((v) => v !== "ok").flatMap(views)),
      ...leaks("a log line", seen.logLines),
      ...leaks("a hook argument", seen.hookArgs.map((a) => inspect(a, { depth: 10 }))),
    ];
    expect(problems).toEqual([]);

    c.resetCircuit();
    server.scripted = (_request, res) => send(res, 200, []);
    await expect(c.profiles.getProfileFacts(RELAY42_PROFILE)).resolves.toEqual([]);
  });

  it("a RateLimiter shared by three clients holds its rate under concurrency, counting each call's cost", async () => {
    const perSecond = 40;
    const burst = 4;
    const limiter = new RateLimiter({ perSecond, burst });
    server.scripted = (request, res) => (request.method === "POST" ? send(res, 201, {}) : send(res, 200, []));
    // Relay42 counts a POST of N facts as N + 1 (x-rate-limit-cost); every other call here costs 1.
    const facts = [
      { factName: "tier", factTtl: 3600, properties: { tier: "gold" } },
      { factName: "optIn", factTtl: 3600, properties: { optIn: "true" } },
    ];
    const costOf = (operationId: string | undefined) => (operationId === "addProfileFacts" ? facts.length + 1 : 1);
    const sends: { at: number; cost: number }[] = [];
    const hooks: Hooks = { onRequest: (info) => void sends.push({ at: performance.now(), cost: costOf(info.operationId) }) };
    const releva = relevaClient({ rateLimit: limiter, hooks });
    const ch = contacthubClient({ rateLimit: limiter, hooks });
    const r42 = createRelay42Client({
      transport,
      baseUrl: `${server.origin}/relay42`,
      siteNumber: 1234,
      auth: { apiIdentifier: RELAY42_ID, accessToken: RELAY42_TOKEN },
      rateLimit: limiter,
      hooks,
    });
    const jobs = Array.from({ length: 48 }, (_, i) => i);
    const started = performance.now();
    await pool(jobs, CONCURRENCY, async (i) => {
      const id = `limit-${i}`;
      if (i % 4 === 0) await releva.profiles.upsertProfiles({ body: { profiles: [{ profile: profileOf(id) }] } });
      else if (i % 4 === 1) await ch.customers.getCustomer({ path: { customerId: customerIdFor(id) } });
      else if (i % 4 === 2) await r42.profiles.getProfileFacts(RELAY42_PROFILE);
      else await r42.profiles.addProfileFacts({ ...RELAY42_PROFILE, body: facts });
    });
    const elapsed = performance.now() - started;
    const totalCost = sends.reduce((n, s) => n + s.cost, 0);
    expect(sends).toHaveLength(jobs.length);
    expect(limiter.spent).toBe(totalCost);
    sends.sort((a, b) => a.at - b.at);
    // A token bucket lets at most burst + perSecond × w cost through in any window of w seconds (1 unit of slack
    // for millisecond rounding).
    let worst = 0;
    for (let i = 0; i < sends.length; i++) {
      let cost = 0;
      for (let j = i; j < sends.length; j++) {
        cost += sends[j].cost;
        worst = Math.max(worst, cost - (burst + (perSecond * (sends[j].at - sends[i].at)) / 1000));
      }
    }
    // After the first burst, cost is spent no faster than perSecond (the last call's own cost was earned before it went).
    const achieved = (totalCost - burst) / ((sends.at(-1)!.at - sends[0].at) / 1000);
    console.log(
      `limiter (${transport}): ${jobs.length} calls costing ${totalCost} over 3 clients in ${Math.round(elapsed)} ms: ${achieved.toFixed(1)} cost/s ` +
        `after the burst (perSecond ${perSecond}, burst ${burst}); the densest window exceeds the bucket by ${Math.max(0, worst).toFixed(2)} units`,
    );
    expect(worst).toBeLessThanOrEqual(1);
    expect(achieved).toBeLessThanOrEqual(perSecond * 1.05);
  });
});
