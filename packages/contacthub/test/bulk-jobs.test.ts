/**
 * Bulk jobs: the multipart upload for every input kind (asserted at a loopback node:http server), polling
 * with back-off (fake timers over an in-memory fetch), the results CSV, and input rejected before sending.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { AbortError, NotFoundError, RequestValidationError } from "@activation-kit/core";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { BulkJobTimeoutError, type BulkJob, type BulkJobProgress, type CsvSource } from "../src/index.js";
import { client, JOB, json, localServer, NODE, rejectionOf, scriptedFetch, sendJson, WS, type LocalServer, type Received } from "./helpers.js";

const CSV = "externalId,base.firstName,base.contacts.email\n100,John,john@example.com\n101,Ann,ann@example.com\n";
const job = (status: BulkJob["status"], extra: Partial<BulkJob> = {}): BulkJob => ({ id: JOB, nodeId: NODE, operation: "UPSERT", entity: "CUSTOMER", status, ...extra });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "contacthub-bulk-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  vi.useRealTimers();
});

/** Parses what reached the server with the platform's own multipart parser. */
async function parseForm(r: Received): Promise<FormData> {
  return new Request("http://127.0.0.1/", { method: "POST", headers: { "content-type": String(r.headers["content-type"]) }, body: new Uint8Array(r.body) }).formData();
}

describe("upload: valid multipart for each input kind", () => {
  const inputs: [string, () => Promise<{ file: CsvSource; filename: string }>][] = [
    ["a CSV string", async () => ({ file: CSV, filename: "upload.csv" })],
    ["a Blob", async () => ({ file: new Blob([CSV]), filename: "upload.csv" })],
    ["a File (keeps its name)", async () => ({ file: new File([CSV], "spring.csv", { type: "text/csv" }), filename: "spring.csv" })],
    [
      "a file path",
      async () => {
        const path = join(dir, "customers.csv");
        await writeFile(path, CSV);
        return { file: { path }, filename: "customers.csv" };
      },
    ],
    ["a Node stream", async () => ({ file: Readable.from([Buffer.from(CSV.slice(0, 20)), Buffer.from(CSV.slice(20))]), filename: "upload.csv" })],
    [
      "a web ReadableStream",
      async () => ({
        file: new ReadableStream<Uint8Array>({
          start(c) {
            c.enqueue(new TextEncoder().encode(CSV));
            c.close();
          },
        }),
        filename: "upload.csv",
      }),
    ],
  ];

  it.each(inputs)("%s", async (_name, make) => {
    server = await localServer((_req, res) => sendJson(res, 201, job("LOADED")));
    const { file, filename } = await make();
    const ch = client(server.baseUrl);
    const created = await ch.bulkJobs.upload({ nodeId: NODE, file, operation: "UPSERT", entity: "CUSTOMER" });
    expect(created.status).toBe("LOADED");

    expect(server.received).toHaveLength(1);
    const [r] = server.received;
    expect(r.method).toBe("POST");
    expect(r.url.pathname).toBe(`/workspaces/${WS}/nodes/${NODE}/bulk-jobs`);
    const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(String(r.headers["content-type"]))?.[1];
    expect(boundary).toBeTruthy();
    const raw = r.body.toString("utf8");
    expect(raw).toContain(`--${boundary}`);
    expect(raw).toContain(`Content-Disposition: form-data; name="file"; filename="${filename}"`);
    expect(raw).toMatch(/name="file"; filename="[^"]+"\r\nContent-Type: text\/csv\r\n/);

    const form = await parseForm(r);
    const part = form.get("file") as File;
    expect(part.name).toBe(filename);
    expect(part.type).toBe("text/csv");
    expect(await part.text()).toBe(CSV);
    expect(form.get("operation")).toBe("UPSERT");
    expect(form.get("entity")).toBe("CUSTOMER");
    expect(form.has("eventType")).toBe(false);
    expect(r.headers.authorization).toBe("Bearer ch-test-token");
  });

  it("sends eventType for an EVENT job and honours an explicit filename", async () => {
    server = await localServer((_req, res) => sendJson(res, 201, job("LOADED", { entity: "EVENT", eventType: "viewedPage" })));
    const ch = client(server.baseUrl);
    await ch.bulkJobs.upload({ nodeId: NODE, file: CSV, filename: "events-2024.csv", operation: "INSERT", entity: "EVENT", eventType: "viewedPage" });
    const form = await parseForm(server.received[0]);
    expect((form.get("file") as File).name).toBe("events-2024.csv");
    expect(form.get("eventType")).toBe("viewedPage");
    expect(form.get("operation")).toBe("INSERT");
  });

  it("rejects an unknown operation or event type before anything is sent", async () => {
    server = await localServer((_req, res) => sendJson(res, 201, job("LOADED")));
    const ch = client(server.baseUrl);
    const e1 = await rejectionOf(ch.bulkJobs.upload({ nodeId: NODE, file: CSV, operation: "MERGE" as never }));
    expect(e1).toBeInstanceOf(RequestValidationError);
    expect((e1 as RequestValidationError).issues[0].field).toBe("body.operation");
    expect((e1 as RequestValidationError).issues[0].rule).toMatch(/^enum /);
    const e2 = await rejectionOf(ch.bulkJobs.upload({ nodeId: NODE, file: CSV, operation: "INSERT", entity: "EVENT", eventType: "teleported" as never }));
    expect(e2).toBeInstanceOf(RequestValidationError);
    expect((e2 as RequestValidationError).issues[0].field).toBe("body.eventType");
    const e3 = await rejectionOf(ch.bulkJobs.upload({ nodeId: "not-a-uuid", file: CSV, operation: "INSERT" }));
    expect(e3).toBeInstanceOf(RequestValidationError);
    expect((e3 as RequestValidationError).issues[0].field).toBe("path.nodeId");
    expect(server.received).toHaveLength(0);
  });
});

describe("waitFor / run: polling with back-off (fake timers)", () => {
  /** getBulkJob walks through `statuses`; results answer CSV. */
  function jobFetch(statuses: BulkJob["status"][], resultsStatus = 200) {
    let i = 0;
    return scriptedFetch((req) => {
      const path = new URL(req.url).pathname;
      if (req.method === "POST") return json(201, job("LOADED"));
      if (path.endsWith("/results")) {
        return resultsStatus === 200
          ? new Response("externalId,result\n100,OK\n101,OK\n", { status: 200, headers: { "content-type": "text/csv" } })
          : json(resultsStatus, { message: "No results" });
      }
      return json(200, job(statuses[Math.min(i++, statuses.length - 1)]));
    });
  }

  it("polls with growing delays (interval × multiplier, capped) until PROCESSED", async () => {
    vi.useFakeTimers();
    const f = jobFetch(["LOADED", "SCHEDULED", "PROCESSING", "PROCESSING", "PROCESSED"]);
    const ch = client("http://127.0.0.1:1", { fetch: f.fetch });
    const seen: unknown[] = [];
    const p = ch.bulkJobs.waitFor({ nodeId: NODE, jobId: JOB }, { intervalMs: 1000, multiplier: 2, maxIntervalMs: 3000, onPoll: (j) => seen.push(j.status) });
    await vi.runAllTimersAsync();
    const done = await p;
    expect(done.status).toBe("PROCESSED");
    expect(seen).toEqual(["LOADED", "SCHEDULED", "PROCESSING", "PROCESSING", "PROCESSED"]);
    const gaps = f.requests.slice(1).map((r, k) => r.at - f.requests[k].at);
    expect(gaps).toEqual([1000, 2000, 3000, 3000]);
    expect(f.requests.every((r) => r.url.pathname === `/workspaces/${WS}/nodes/${NODE}/bulk-jobs/${JOB}`)).toBe(true);
  });

  it("run(): upload, wait, then fetch the results CSV", async () => {
    vi.useFakeTimers();
    const f = jobFetch(["PROCESSING", "PROCESSED"]);
    const ch = client("http://127.0.0.1:1", { fetch: f.fetch });
    const p = ch.bulkJobs.run({ nodeId: NODE, file: CSV, operation: "UPSERT", entity: "CUSTOMER" }, { intervalMs: 500 });
    await vi.runAllTimersAsync();
    const { job: final, results } = await p;
    expect(final.status).toBe("PROCESSED");
    expect(results).toBe("externalId,result\n100,OK\n101,OK\n");
    expect(f.requests.map((r) => `${r.method} ${r.url.pathname.split("/bulk-jobs")[1]}`)).toEqual([
      "POST ",
      `GET /${JOB}`,
      `GET /${JOB}`,
      `GET /${JOB}/results`,
    ]);
  });

  it("onProgress reports each polled state with its poll number, elapsed time and the next wait", async () => {
    vi.useFakeTimers();
    const f = jobFetch(["LOADED", "PROCESSING", "PROCESSED"]);
    const ch = client("http://127.0.0.1:1", { fetch: f.fetch });
    const seen: BulkJobProgress[] = [];
    const p = ch.bulkJobs.waitFor({ nodeId: NODE, jobId: JOB }, { intervalMs: 1000, multiplier: 2, onProgress: (e) => seen.push(e) });
    await vi.runAllTimersAsync();
    await expect(p).resolves.toMatchObject({ status: "PROCESSED" });
    expect(seen.map((e) => [e.phase, e.job.status, e.polls, e.elapsedMs, e.nextPollInMs])).toEqual([
      ["polled", "LOADED", 1, 0, 1000],
      ["polled", "PROCESSING", 2, 1000, 2000],
      ["polled", "PROCESSED", 3, 3000, undefined],
    ]);
  });

  it("run(): onProgress starts with the upload's answer, then each poll; the last wait is cut to the deadline", async () => {
    vi.useFakeTimers();
    const f = jobFetch(["PROCESSING"]);
    const ch = client("http://127.0.0.1:1", { fetch: f.fetch });
    const seen: BulkJobProgress[] = [];
    const p = rejectionOf(
      ch.bulkJobs.run({ nodeId: NODE, file: CSV, operation: "UPSERT" }, { intervalMs: 1000, multiplier: 2, timeoutMs: 2500, onProgress: (e) => seen.push(e) }),
    );
    await vi.runAllTimersAsync();
    expect(await p).toBeInstanceOf(BulkJobTimeoutError);
    expect(seen.map((e) => [e.phase, e.job.status, e.polls, e.elapsedMs, e.nextPollInMs])).toEqual([
      ["uploaded", "LOADED", 0, 0, 0],
      ["polled", "PROCESSING", 1, 0, 1000],
      ["polled", "PROCESSING", 2, 1000, 1500],
      ["polled", "PROCESSING", 3, 2500, undefined],
    ]);
  });

  it("run(): a job that FAILED with no results resolves with results undefined", async () => {
    vi.useFakeTimers();
    const f = jobFetch(["FAILED"], 404);
    const ch = client("http://127.0.0.1:1", { fetch: f.fetch });
    const p = ch.bulkJobs.run({ nodeId: NODE, file: CSV, operation: "UPSERT" });
    await vi.runAllTimersAsync();
    expect(await p).toEqual({ job: job("FAILED"), results: undefined });
  });

  it("results() of an unknown job is a NotFoundError", async () => {
    const f = jobFetch(["PROCESSED"], 404);
    const ch = client("http://127.0.0.1:1", { fetch: f.fetch });
    expect(await rejectionOf(ch.bulkJobs.results({ nodeId: NODE, jobId: JOB }))).toBeInstanceOf(NotFoundError);
  });

  it("times out with BulkJobTimeoutError carrying the last state", async () => {
    vi.useFakeTimers();
    const f = jobFetch(["PROCESSING"]);
    const ch = client("http://127.0.0.1:1", { fetch: f.fetch });
    const p = rejectionOf(ch.bulkJobs.waitFor({ nodeId: NODE, jobId: JOB }, { intervalMs: 1000, multiplier: 1, timeoutMs: 5000 }));
    await vi.runAllTimersAsync();
    const e = await p;
    expect(e).toBeInstanceOf(BulkJobTimeoutError);
    expect((e as BulkJobTimeoutError).job.status).toBe("PROCESSING");
    expect(f.requests).toHaveLength(6); // t = 0, 1, 2, 3, 4, 5 s
  });

  it("an AbortSignal stops the wait with AbortError", async () => {
    vi.useFakeTimers();
    const f = jobFetch(["PROCESSING"]);
    const ch = client("http://127.0.0.1:1", { fetch: f.fetch });
    const ctrl = new AbortController();
    const p = rejectionOf(ch.bulkJobs.waitFor({ nodeId: NODE, jobId: JOB }, { intervalMs: 1000, signal: ctrl.signal }));
    await vi.advanceTimersByTimeAsync(2500);
    ctrl.abort(new Error("shutting down"));
    const e = await p;
    expect(e).toBeInstanceOf(AbortError);
    const polls = f.requests.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(f.requests).toHaveLength(polls);
  });
});
