import {
  AbortError,
  ConfigurationError,
  InternalServerError,
  RequestValidationError,
  ResultCodeError,
  TimeoutError,
} from "@activation-kit/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createMarigoldEngageClient,
  sendTransactional,
  waitForDelivery,
  waitForTransactionalStatus,
  type TransactionalSendItem,
  type TransactionalWaitProgress,
} from "../src/index.js";
import { echoSend, mockEngage, rejection } from "./helpers.js";

/** A deterministic UUID per number. */
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const messageIdOf = (recipient: string) => uuid(1_000_000 + Number(recipient.replace(/\D/g, "")));

function recipients(n: number, bad: number[] = []): TransactionalSendItem[] {
  return Array.from({ length: n }, (_, i) => ({ recipient: `${bad.includes(i) ? "bad" : "user"}${i}@example.com`, language: "en-US" }));
}

function counter() {
  let n = 0;
  return () => uuid(++n);
}

describe("sendTransactional: chunking and merging", () => {
  it.each([
    { n: 250, size: 100, sizes: [100, 100, 50] },
    { n: 7, size: 3, sizes: [3, 3, 1] },
    { n: 5, size: 5, sizes: [5] },
    { n: 1, size: 100, sizes: [1] },
  ])("splits $n recipients into ceil($n / $size) requests and merges them in input order", async ({ n, size, sizes }) => {
    // Later chunks answer sooner, so completion order differs from input order.
    const mock = await mockEngage((r, k) => ({ body: echoSend(r.body.items, messageIdOf), delayMs: Math.max(0, 30 - k * 10) }));
    const items = recipients(n);
    const report = await sendTransactional(mock.client(), { journey: "welcome", items, chunkSize: size, concurrency: 3, assignExternalIds: counter() });
    expect(mock.received.map((r) => r.body.items.length)).toEqual(sizes);
    expect(mock.received.length).toBe(Math.ceil(n / size));
    expect(new Set(mock.received.map((r) => r.path))).toEqual(new Set(["/Portal/Api/organizations/marigold_1/journeys/transactional/welcome/send"]));
    // Every request carries a contiguous slice of the input.
    const sentRecipients = mock.received
      .flatMap((r) => r.body.items.map((it: TransactionalSendItem) => it.recipient))
      .sort((a: string, b: string) => Number(a.replace(/\D/g, "")) - Number(b.replace(/\D/g, "")));
    expect(sentRecipients).toEqual(items.map((i) => i.recipient));
    expect(report.recipients).toHaveLength(n);
    report.recipients.forEach((r, i) => {
      expect(r.index).toBe(i);
      expect(r.item.recipient).toBe(items[i].recipient);
      expect(r).toMatchObject({ status: "sent", messageId: messageIdOf(items[i].recipient), sgExternalId: uuid(i + 1) });
    });
    expect(report.chunks.map((c) => [c.start, c.end])).toEqual(sizes.map((_, k) => [k * size, Math.min(n, (k + 1) * size)]));
    expect(report.counts).toEqual({ sent: n, failed: 0, unknown: 0, skipped: 0 });
  });

  it("keeps at most `concurrency` requests in flight", async () => {
    const mock = await mockEngage((r) => ({ body: echoSend(r.body.items, messageIdOf), delayMs: 20 }));
    await sendTransactional(mock.client(), { journey: "welcome", items: recipients(12), chunkSize: 1, concurrency: 3 });
    expect(mock.received).toHaveLength(12);
    expect(mock.maxInFlight).toBeLessThanOrEqual(3);
    expect(mock.maxInFlight).toBeGreaterThan(1);
  });

  it("PartiallySucceeded chunks keep each recipient's own errors; nothing is dropped", async () => {
    const mock = await mockEngage((r) => ({ body: echoSend(r.body.items, messageIdOf) }));
    const items = recipients(10, [2, 3, 9]);
    const report = await sendTransactional(mock.client(), { journey: "welcome", items, chunkSize: 4 });
    expect(report.chunks.map((c) => c.resultCode)).toEqual(["PartiallySucceeded", "Succeeded", "PartiallySucceeded"]);
    expect(report.recipients.map((r) => r.status)).toEqual(["sent", "sent", "failed", "failed", "sent", "sent", "sent", "sent", "sent", "failed"]);
    const failed = report.recipients[9];
    expect(failed.status === "failed" && failed.errors).toEqual([{ error_code: "NotFound", description: "No user found for recipient 'bad9@example.com'" }]);
    const sent = report.recipients[8];
    expect(sent.status === "sent" && sent.messageId).toBe(messageIdOf("user8@example.com"));
    expect(report.counts).toEqual({ sent: 7, failed: 3, unknown: 0, skipped: 0 });
  });

  it("a chunk that throws marks each of its recipients failed with the typed error; other chunks are unaffected", async () => {
    const mock = await mockEngage((r, k) => {
      if (r.body.items[0].recipient === "user3@example.com") return { body: { result_code: "Failed", message: "journey paused", errors: [{ error_code: "Failed", description: "paused" }] } };
      if (r.body.items[0].recipient === "user6@example.com") return { status: 500, body: { result_code: "InternalServerError", message: "boom", errors: [] } };
      return { body: echoSend(r.body.items, messageIdOf) };
    });
    const report = await sendTransactional(mock.client(), { journey: "welcome", items: recipients(8), chunkSize: 3, concurrency: 1 });
    expect(mock.received).toHaveLength(3);
    expect(report.recipients.map((r) => r.status)).toEqual(["sent", "sent", "sent", "failed", "failed", "failed", "failed", "failed"]);
    for (const i of [3, 4, 5]) {
      const r = report.recipients[i];
      if (r.status !== "failed") throw new Error("expected failed");
      expect(r.error).toBeInstanceOf(ResultCodeError);
      expect((r.error as ResultCodeError).resultCode).toBe("Failed");
      expect(r.errors).toEqual([{ error_code: "Failed", description: "paused" }]);
    }
    for (const i of [6, 7]) {
      const r = report.recipients[i];
      expect(r.status === "failed" && r.error).toBeInstanceOf(InternalServerError);
    }
    expect(report.chunks[1].error).toBeInstanceOf(ResultCodeError);
    expect(report.counts).toEqual({ sent: 3, failed: 5, unknown: 0, skipped: 0 });
  });

  it("a timed-out chunk leaves its recipients unknown with a TimeoutError (not retried: a send is not idempotent)", async () => {
    // Wide margins (answer after 2 s, give up after 0.5 s): the prompt chunk must not time out on a busy machine.
    const mock = await mockEngage((r) => ({ body: echoSend(r.body.items, messageIdOf), delayMs: r.body.items[0].recipient === "user0@example.com" ? 2000 : 0 }));
    const report = await sendTransactional(mock.client({ maxRetries: 3 }), {
      journey: "welcome",
      items: recipients(2),
      chunkSize: 1,
      requestOptions: { timeoutMs: 500 },
    });
    // No answer: the message may have gone out, so the recipient is `unknown`, not `failed`.
    expect(report.recipients[0]).toMatchObject({ status: "unknown", reason: "no answer: TimeoutError" });
    expect(report.recipients[0].status === "unknown" && report.recipients[0].error).toBeInstanceOf(TimeoutError);
    expect(report.recipients[1].status).toBe("sent");
    expect(mock.received).toHaveLength(2);
  });

  it("an answer without a matching response_data entry leaves the recipient `unknown`, never dropped", async () => {
    const mock = await mockEngage(() => ({ body: { result_code: "PartiallySucceeded", errors: [{ error_code: "Failed", description: "some failed" }] } }));
    const report = await sendTransactional(mock.client(), { journey: "welcome", items: recipients(3), chunkSize: 10 });
    expect(report.recipients.map((r) => r.status)).toEqual(["unknown", "unknown", "unknown"]);
    expect(report.counts.unknown).toBe(3);
  });

  it("matches answers by sg_external_id when response_data does not line up with the request", async () => {
    const items = recipients(3).map((it, i) => ({ ...it, sg_external_id: uuid(i + 1) }));
    const mock = await mockEngage(() => ({
      body: {
        result_code: "PartiallySucceeded",
        response_data: [
          { ...items[2], errors: [] },
          { recipient: "other@example.com", sg_external_id: uuid(99), errors: [] },
          { ...items[0], errors: [{ error_code: "NotFound", description: "no user" }] },
        ],
      },
    }));
    const report = await sendTransactional(mock.client(), { journey: "welcome", items });
    expect(report.recipients.map((r) => r.status)).toEqual(["failed", "unknown", "sent"]);
    expect(report.recipients.map((r) => r.sgExternalId)).toEqual([uuid(1), uuid(2), uuid(3)]);
  });

  it("assigns a UUID sg_external_id to items without one, keeps given ones, and can be turned off", async () => {
    const mock = await mockEngage((r) => ({ body: echoSend(r.body.items, messageIdOf) }));
    const items = [{ recipient: "user0@example.com", language: "en", sg_external_id: uuid(7) }, { recipient: "user1@example.com", language: "en" }];
    const report = await sendTransactional(mock.client(), { journey: "welcome", items });
    expect(mock.received[0].body.items[0].sg_external_id).toBe(uuid(7));
    expect(mock.received[0].body.items[1].sg_external_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(report.recipients[1].sgExternalId).toBe(mock.received[0].body.items[1].sg_external_id);
    expect(items[1]).not.toHaveProperty("sg_external_id"); // the caller's objects are not mutated
    await sendTransactional(mock.client(), { journey: "welcome", items, assignExternalIds: false });
    expect(mock.received[1].body.items[1]).not.toHaveProperty("sg_external_id");
  });

  it("uses updateUserAndTriggerTransactionalJourney for operation updateProfileAndSend", async () => {
    const mock = await mockEngage((r) => ({ body: echoSend(r.body.items, messageIdOf) }));
    const items = [{ recipient: "user0@example.com", language: "en", profile: [{ scope: "MASTER", fields: { FIRSTNAME: "Ana" } }] }];
    const report = await sendTransactional(mock.client(), { journey: "welcome", items, operation: "updateProfileAndSend" });
    expect(mock.received[0].path).toBe("/Portal/Api/organizations/marigold_1/journeys/transactional/shortcut/welcome/updateProfileAndSend");
    expect(report.recipients[0].status).toBe("sent");
  });

  it("an empty list sends nothing", async () => {
    const mock = await mockEngage(() => ({ body: {} }));
    const report = await sendTransactional(mock.client(), { journey: "welcome", items: [] });
    expect(report).toEqual({ recipients: [], chunks: [], counts: { sent: 0, failed: 0, unknown: 0, skipped: 0 } });
    expect(mock.received).toHaveLength(0);
  });

  it("an abort stops new requests (skipped) and the one in flight (unknown, with an AbortError)", async () => {
    const controller = new AbortController();
    const mock = await mockEngage((r, n) => {
      if (n === 2) controller.abort(new Error("shutting down"));
      return { body: echoSend(r.body.items, messageIdOf), delayMs: n === 2 ? 50 : 0 };
    });
    const report = await sendTransactional(mock.client(), { journey: "welcome", items: recipients(6), chunkSize: 2, concurrency: 1, signal: controller.signal });
    expect(mock.received).toHaveLength(2);
    expect(report.recipients.map((r) => r.status)).toEqual(["sent", "sent", "unknown", "unknown", "skipped", "skipped"]);
    expect(report.recipients[2].status === "unknown" && report.recipients[2].error).toBeInstanceOf(AbortError);
    expect(report.chunks.map((c) => c.skipped ?? false)).toEqual([false, false, true]);
    expect(report.counts).toEqual({ sent: 2, failed: 0, unknown: 2, skipped: 2 });
  });

  it("an already aborted signal sends nothing: every recipient is skipped", async () => {
    const mock = await mockEngage(() => ({ body: {} }));
    const report = await sendTransactional(mock.client(), { journey: "welcome", items: recipients(3), chunkSize: 2, signal: AbortSignal.abort() });
    expect(mock.received).toHaveLength(0);
    expect(report.counts).toEqual({ sent: 0, failed: 0, unknown: 0, skipped: 3 });
  });

  it("rejects bad options before sending", async () => {
    const mock = await mockEngage(() => ({ body: {} }));
    await expect(sendTransactional(mock.client(), { journey: "w", items: recipients(1), chunkSize: 0 })).rejects.toBeInstanceOf(ConfigurationError);
    await expect(sendTransactional(mock.client(), { journey: "w", items: recipients(1), concurrency: 1.5 })).rejects.toThrow("concurrency must be a positive integer");
    expect(mock.received).toHaveLength(0);
  });
});

describe("sendTransactional: bad input is rejected before the first request", () => {
  it("a recipient missing anywhere in the list: RequestValidationError names its input index; zero requests", async () => {
    const mock = await mockEngage((r) => ({ body: echoSend(r.body.items, messageIdOf) }));
    const items = recipients(250);
    delete (items[173] as Partial<TransactionalSendItem>).recipient;
    const err = await rejection(sendTransactional(mock.client(), { journey: "welcome", items, chunkSize: 100 }));
    expect(err).toBeInstanceOf(RequestValidationError);
    expect(err.operationId).toBe("triggerTransactionalJourney");
    expect(err.issues).toEqual([{ field: "body.items[173].recipient", rule: "required", message: "is required" }]);
    expect(mock.received).toHaveLength(0);
  });

  it("a malformed sg_external_id is rejected with its format rule", async () => {
    const mock = await mockEngage(() => ({ body: {} }));
    const items = [{ recipient: "a@example.com", language: "en", sg_external_id: "not-a-uuid" }];
    const err = await rejection(sendTransactional(mock.client(), { journey: "welcome", items }));
    expect(err.issues).toEqual([expect.objectContaining({ field: "body.items[0].sg_external_id", rule: "format uuid" })]);
    expect(mock.received).toHaveLength(0);
  });
});

describe("waitForTransactionalStatus (fake timers)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A fetch double for the status endpoints: each message reaches `final` after `after` polls. */
  function statusFetch(plan: Record<string, { after: number; sg?: string }>) {
    const calls: { method: string; url: string; body: any }[] = [];
    const polls = new Map<string, number>();
    const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(input, init);
      const text = await request.text();
      const body = text ? JSON.parse(text) : undefined;
      calls.push({ method: request.method, url: request.url, body });
      const statusOf = (id: string) => {
        const n = (polls.get(id) ?? 0) + 1;
        polls.set(id, n);
        const done = n >= plan[id].after;
        return { id, sg_external_id: plan[id].sg, status: done ? 30 : 10, status_message: done ? "Mail was sent" : "Queued" };
      };
      if (request.method === "GET") {
        const id = request.url.split("/").pop()!;
        if (!plan[id]) return new Response(JSON.stringify({ result_code: "NotFound", errors: [] }), { status: 404, headers: { "content-type": "application/json" } });
        return Response.json(statusOf(id));
      }
      const wanted = Object.keys(plan).filter((id) => body.ids.includes(id) || (plan[id].sg && body.sg_external_ids.includes(plan[id].sg)));
      return Response.json(wanted.map(statusOf));
    }) as typeof fetch;
    const client = createMarigoldEngageClient({ apiKey: "k-0001", apiSecret: "s-0002", organization: "marigold_1", baseUrl: "http://127.0.0.1:9/Portal/Api", fetch: fetchFn });
    return { client, calls };
  }

  it("polls with exponential back-off until every message is final", async () => {
    vi.useFakeTimers();
    const { client, calls } = statusFetch({ [uuid(1)]: { after: 1 }, [uuid(2)]: { after: 3, sg: uuid(12) } });
    const p = waitForTransactionalStatus(client, {
      ids: [uuid(1)],
      sgExternalIds: [uuid(12)],
      backoff: { initialDelayMs: 1000, maxDelayMs: 10_000, jitter: false },
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: "POST", body: { ids: [uuid(1)], sg_external_ids: [uuid(12)] } });
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    // uuid(1) is final: only the pending one is asked for.
    expect(calls[1].body).toEqual({ ids: [], sg_external_ids: [uuid(12)] });
    await vi.advanceTimersByTimeAsync(1999);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(3);
    const result = await p;
    expect(result).toMatchObject({ done: true, stoppedBecause: "final", attempts: 3, elapsedMs: 3000, pending: { ids: [], sgExternalIds: [] } });
    expect(result.statuses.map((s) => [s.id, s.status])).toEqual([
      [uuid(1), 30],
      [uuid(2), 30],
    ]);
  });

  it("uses the single-status endpoint for one id and treats 404 as not yet known", async () => {
    vi.useFakeTimers();
    const { client, calls } = statusFetch({ [uuid(5)]: { after: 2 } });
    const p = waitForTransactionalStatus(client, { ids: [uuid(5)], backoff: { initialDelayMs: 500, jitter: false } });
    await vi.advanceTimersByTimeAsync(500);
    const result = await p;
    expect(calls.map((c) => `${c.method} ${new URL(c.url).pathname}`)).toEqual(Array(2).fill(`GET /Portal/Api/organizations/marigold_1/journeys/transactional/status/${uuid(5)}`));
    expect(result.done).toBe(true);

    const missing = statusFetch({});
    const q = waitForTransactionalStatus(missing.client, { ids: [uuid(6)], backoff: { initialDelayMs: 100, jitter: false, maxAttempts: 3 } });
    await vi.advanceTimersByTimeAsync(100 + 200);
    await expect(q).resolves.toEqual({
      statuses: [],
      pending: { ids: [uuid(6)], sgExternalIds: [] },
      done: false,
      stoppedBecause: "maxAttempts",
      attempts: 3,
      elapsedMs: 300,
    });
    expect(missing.calls).toHaveLength(3);
  });

  it("stops after maxAttempts with what is still pending, capping each delay at maxDelayMs", async () => {
    vi.useFakeTimers();
    const { client, calls } = statusFetch({ [uuid(1)]: { after: 100 }, [uuid(2)]: { after: 100 } });
    const p = waitForTransactionalStatus(client, { ids: [uuid(1), uuid(2)], backoff: { initialDelayMs: 1000, maxDelayMs: 1500, jitter: false, maxAttempts: 4 } });
    await vi.advanceTimersByTimeAsync(1000 + 1500 + 1499);
    expect(calls).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    const result = await p;
    expect(calls).toHaveLength(4);
    expect(result).toMatchObject({ done: false, attempts: 4, pending: { ids: [uuid(1), uuid(2)], sgExternalIds: [] } });
    expect(result.statuses.map((s) => s.status)).toEqual([10, 10]);
  });

  it("jitter draws each wait between 50 % and 100 % of the step", async () => {
    vi.useFakeTimers();
    const { client, calls } = statusFetch({ [uuid(1)]: { after: 2 }, [uuid(2)]: { after: 2 } });
    const p = waitForTransactionalStatus(client, { ids: [uuid(1), uuid(2)], backoff: { initialDelayMs: 1000 }, random: () => 0 });
    await vi.advanceTimersByTimeAsync(499);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(p).resolves.toMatchObject({ done: true, attempts: 2 });
  });

  it("an AbortSignal ends the wait with its reason", async () => {
    vi.useFakeTimers();
    const { client, calls } = statusFetch({ [uuid(1)]: { after: 10 }, [uuid(2)]: { after: 10 } });
    const controller = new AbortController();
    const p = waitForTransactionalStatus(client, { ids: [uuid(1), uuid(2)], signal: controller.signal, backoff: { initialDelayMs: 60_000 } });
    const settled = p.then(
      () => "resolved",
      (e: Error) => e.message,
    );
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error("user cancelled"));
    await expect(settled).resolves.toBe("user cancelled");
    expect(calls).toHaveLength(1);
  });

  it("an isFinal predicate decides when to stop (e.g. failure codes of your account)", async () => {
    vi.useFakeTimers();
    const { client, calls } = statusFetch({ [uuid(1)]: { after: 5 }, [uuid(2)]: { after: 5 } });
    const result = await waitForTransactionalStatus(client, { ids: [uuid(1), uuid(2)], isFinal: (s) => s.status !== undefined && s.status >= 10 });
    expect(result).toMatchObject({ done: true, attempts: 1 });
    expect(calls).toHaveLength(1);
  });

  it("reports every poll to onProgress: attempt, final and pending counts, latest statuses, the next wait", async () => {
    vi.useFakeTimers();
    const { client } = statusFetch({ [uuid(1)]: { after: 1 }, [uuid(2)]: { after: 3 } });
    const progress: TransactionalWaitProgress[] = [];
    const p = waitForTransactionalStatus(client, {
      ids: [uuid(1), uuid(2)],
      backoff: { initialDelayMs: 1000, jitter: false },
      onProgress: (e) => progress.push(e),
    });
    await vi.advanceTimersByTimeAsync(3000);
    await expect(p).resolves.toMatchObject({ done: true, stoppedBecause: "final", attempts: 3 });
    expect(progress.map(({ attempt, total, final, pending, elapsedMs, nextPollInMs }) => ({ attempt, total, final, pending, elapsedMs, nextPollInMs }))).toEqual([
      { attempt: 1, total: 2, final: 1, pending: 1, elapsedMs: 0, nextPollInMs: 1000 },
      { attempt: 2, total: 2, final: 1, pending: 1, elapsedMs: 1000, nextPollInMs: 2000 },
      { attempt: 3, total: 2, final: 2, pending: 0, elapsedMs: 3000, nextPollInMs: undefined },
    ]);
    expect(progress[0].statuses.map((s) => [s.id, s.status])).toEqual([
      [uuid(1), 30],
      [uuid(2), 10],
    ]);
    expect(progress[2].statuses.map((s) => s.status)).toEqual([30, 30]);
  });

  it("stops at the timeoutMs deadline: the last wait is cut to the deadline, one last poll, then `timeout`", async () => {
    vi.useFakeTimers();
    const { client, calls } = statusFetch({ [uuid(1)]: { after: 100 }, [uuid(2)]: { after: 100 } });
    const waits: (number | undefined)[] = [];
    const p = waitForTransactionalStatus(client, {
      ids: [uuid(1), uuid(2)],
      timeoutMs: 2500,
      backoff: { initialDelayMs: 1000, jitter: false, maxAttempts: 50 },
      onProgress: (e) => waits.push(e.nextPollInMs),
    });
    await vi.advanceTimersByTimeAsync(2499);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    const result = await p;
    expect(calls).toHaveLength(3);
    expect(waits).toEqual([1000, 1500, undefined]);
    expect(result).toMatchObject({ done: false, stoppedBecause: "timeout", attempts: 3, elapsedMs: 2500, pending: { ids: [uuid(1), uuid(2)] } });
    expect(result.statuses.map((s) => s.status)).toEqual([10, 10]);
  });

  it("timeoutMs 0 polls once and stops; a negative timeout is a ConfigurationError", async () => {
    const { client, calls } = statusFetch({ [uuid(1)]: { after: 5 }, [uuid(2)]: { after: 5 } });
    await expect(waitForTransactionalStatus(client, { ids: [uuid(1), uuid(2)], timeoutMs: 0 })).resolves.toMatchObject({ stoppedBecause: "timeout", attempts: 1 });
    expect(calls).toHaveLength(1);
    await expect(waitForTransactionalStatus(client, { ids: [uuid(1)], timeoutMs: -1 })).rejects.toBeInstanceOf(ConfigurationError);
  });

  it("the single-status answer is the status of the id asked for, whatever id its body carries", async () => {
    // What a mock replaying the documented example does: every GET …/status/{id} answers with the example's id.
    const example = { id: uuid(900), sg_external_id: uuid(901), status: 30, status_message: "Mail was sent" };
    const fetchFn = (async () => Response.json(example)) as typeof fetch;
    const client = createMarigoldEngageClient({ apiKey: "k-0001", apiSecret: "s-0002", organization: "marigold_1", baseUrl: "http://127.0.0.1:9/Portal/Api", fetch: fetchFn });
    const result = await waitForTransactionalStatus(client, { ids: [uuid(7)] });
    expect(result).toMatchObject({ done: true, stoppedBecause: "final", attempts: 1, statuses: [example] });
  });

  it("statuses of messages not asked about are ignored: they neither end the wait nor show up in the result", async () => {
    vi.useFakeTimers();
    const other = { id: uuid(900), sg_external_id: uuid(901), status: 30, status_message: "Mail was sent" };
    const fetchFn = (async () => Response.json([other])) as typeof fetch;
    const client = createMarigoldEngageClient({ apiKey: "k-0001", apiSecret: "s-0002", organization: "marigold_1", baseUrl: "http://127.0.0.1:9/Portal/Api", fetch: fetchFn });
    const p = waitForTransactionalStatus(client, { sgExternalIds: [uuid(11), uuid(12)], backoff: { initialDelayMs: 100, jitter: false, maxAttempts: 2 } });
    await vi.advanceTimersByTimeAsync(100);
    await expect(p).resolves.toMatchObject({ done: false, stoppedBecause: "maxAttempts", statuses: [], pending: { sgExternalIds: [uuid(11), uuid(12)] } });
  });

  it("an exception thrown by onProgress ends the wait with that exception", async () => {
    const { client, calls } = statusFetch({ [uuid(1)]: { after: 5 }, [uuid(2)]: { after: 5 } });
    const boom = new Error("progress bar broke");
    await expect(
      waitForTransactionalStatus(client, {
        ids: [uuid(1), uuid(2)],
        onProgress: () => {
          throw boom;
        },
      }),
    ).rejects.toBe(boom);
    expect(calls).toHaveLength(1);
  });
});

describe("waitForDelivery", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("attaches each sent recipient's delivery status, by message id or sg_external_id", async () => {
    const mock = await mockEngage((r) => {
      if (r.path.endsWith("/send")) {
        // No message ids in the answer: only the sg_external_ids can find the messages.
        const { messages: _drop, ...rest } = echoSend(r.body.items, messageIdOf);
        return { body: rest };
      }
      const sg: string[] = r.body.sg_external_ids;
      return { body: sg.map((s, k) => ({ id: uuid(500 + k), sg_external_id: s, status: 30, status_message: "Mail was sent" })) };
    });
    const client = mock.client();
    const report = await sendTransactional(client, { journey: "welcome", items: recipients(3, [1]), assignExternalIds: counter() });
    expect(report.recipients.map((r) => r.status === "sent" && r.messageId)).toEqual([undefined, false, undefined]);
    const delivered = await waitForDelivery(client, report, { backoff: { jitter: false } });
    expect(delivered.done).toBe(true);
    expect(mock.received[1].body).toEqual({ ids: [], sg_external_ids: [uuid(1), uuid(3)] });
    expect(delivered.recipients.map((r) => r.status)).toEqual(["sent", "failed", "sent"]);
    const first = delivered.recipients[0];
    expect(first).toMatchObject({ status: "sent", messageId: uuid(500), delivery: { status: 30, sg_external_id: uuid(1) } });
  });
});
