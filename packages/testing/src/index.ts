/**
 * @activation-kit/testing: Prism mocks of the activation-kit vendor APIs, for your own tests.
 *
 * `startMock(vendor)` serves the API description the vendor package ships (`@activation-kit/<vendor>/openapi.json`)
 * with Prism on a free loopback port, request validation on, and returns the `baseUrl` to hand to the client
 * factory. The mock is a child process that ends with its parent, however the parent ends (SIGKILL included).
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";
import type { HostConfig } from "./host.js";
import { startForcingProxy, type MockRequest } from "./proxy.js";
import { hostScript, loadSpecModel, prismVersion, resolveVendorSpec, type SpecModel } from "./spec.js";
import { isVendor, vendorNames, VENDORS, type Vendor } from "./vendors.js";

export { clientExample, vendorNames, VENDORS, type Vendor } from "./vendors.js";
export { VendorPackageNotFoundError } from "./spec.js";
export type { MockRequest } from "./proxy.js";

export type MockLogLevel = "silent" | "fatal" | "error" | "warn" | "info" | "debug" | "trace";

export interface StartMockOptions {
  /** Port of `baseUrl` on 127.0.0.1. Default: a free port chosen by the system. */
  port?: number;
  /**
   * Generate responses from the schemas instead of answering with the spec's examples (Prism's `--dynamic`).
   * Default: `false`, or `true` when `repeatable` is given.
   */
  dynamic?: boolean;
  /**
   * Makes dynamic responses repeatable: any string or number fixes Prism's random generator, so the same
   * request gets the same generated answer, run after run and in every process. Implies `dynamic: true`.
   */
  repeatable?: string | number;
  /**
   * Violations are errors (Prism's `--errors`, default `true`): an answer that breaks the spec becomes a 500
   * problem response instead of a warning. Invalid requests are always refused (422/400) either way.
   */
  errors?: boolean;
  /** Which of Prism's log lines to keep in `mock.logs` and pass to `onLog`. Default `"warn"` (violations and errors). */
  logLevel?: MockLogLevel;
  /** Called with each of Prism's log lines at `logLevel` or above. */
  onLog?: (line: MockLogLine) => void;
  /** Give up starting after this long. Default 60 000 ms. */
  startupTimeoutMs?: number;
  /** Keep every request in `mock.requests` (default `true`; a mock that runs for days may turn it off). */
  recordRequests?: boolean;
  /** Called with each request once it is answered. */
  onRequest?: (request: MockRequest) => void;
}

export interface MockLogLine {
  level: Exclude<MockLogLevel, "silent">;
  message: string;
}

export interface ForceStatusOptions {
  /** How many requests get the status (default 1); `Infinity` until `clearForcedStatuses()`. */
  times?: number;
  /** Only requests to this operation (its `operationId`, the method name on the client, e.g. `"upsertProfiles"`). */
  operation?: string;
}

export interface MockServer {
  readonly vendor: Vendor;
  /** What the client factory takes as `baseUrl`: the bare mock root, e.g. `http://127.0.0.1:43817`. */
  readonly baseUrl: string;
  /** The port of `baseUrl`. */
  readonly port: number;
  /** Process id of the Prism mock process. */
  readonly pid: number;
  /** The OpenAPI document served. */
  readonly specPath: string;
  /** Every request that went through the mock, oldest first, with its status and operation. */
  readonly requests: readonly MockRequest[];
  /** Prism's recent log lines at `logLevel` or above (at most 500). */
  readonly logs: readonly string[];
  /**
   * Answers the next request(s) with a status the spec documents, using the operation's documented response
   * (Prism's `Prefer: code=NNN`). Throws when no operation (or not `options.operation`) documents `status`.
   * Several calls queue up in order. Only requests to an operation of the API take a forced status; those
   * Prism must refuse first (invalid input: 422/400; missing credentials: 401) are still refused, and count.
   */
  forceStatus(status: number, options?: ForceStatusOptions): void;
  /** Drops every forced status not yet used. */
  clearForcedStatuses(): void;
  /** Stops the mock (idempotent). */
  close(): Promise<void>;
}

const LEVELS: Record<number, MockLogLine["level"]> = { 10: "trace", 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "fatal" };
const MAX_LOG_LINES = 500;

/** Mock processes still running, stopped when this process exits normally (a crash or kill ends them too: see host.ts). */
const running = new Set<ChildProcessByStdio<Writable, Readable, Readable>>();
let exitHookInstalled = false;
function stopAllOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const stopAll = () => {
    for (const child of running) child.kill("SIGKILL");
  };
  process.on("exit", stopAll);
  // A worker of a test runner (vitest's default pool, anything started with fork()) is tied to the runner by an
  // IPC channel. When the runner dies, the channel closes but the worker may run on; its mocks stop at once.
  if (typeof process.send === "function") process.once("disconnect", stopAll);
}

/**
 * Starts a Prism mock of `vendor`'s API description (request validation on, `--errors` unless turned off) on
 * 127.0.0.1 and resolves once it answers. The package `@activation-kit/<vendor>` must be installed.
 *
 * ```ts
 * const mock = await startMock("releva");
 * const releva = createRelevaClient({ secretKey: "test-secret", baseUrl: mock.baseUrl });
 * // …
 * await mock.close();
 * ```
 *
 * The mock does not keep the process alive on its own: a test runner that is done exits, and the mock with it.
 */
export async function startMock(vendor: Vendor, options: StartMockOptions = {}): Promise<MockServer> {
  if (typeof vendor !== "string" || !isVendor(vendor)) {
    throw new TypeError(`startMock: unknown vendor ${JSON.stringify(vendor)}; one of ${vendorNames.map((v) => `"${v}"`).join(", ")}`);
  }
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65535)) {
    throw new RangeError(`startMock: port must be an integer from 0 to 65535, got ${String(options.port)}`);
  }
  const specPath = resolveVendorSpec(vendor);
  const spec = loadSpecModel(specPath);
  const logLevel = options.logLevel ?? "warn";
  const config: HostConfig = {
    spec: specPath,
    errors: options.errors ?? true,
    dynamic: options.dynamic ?? options.repeatable !== undefined,
    repeatable: options.repeatable === undefined ? null : String(options.repeatable),
    ignoreExamples: false,
    logLevel,
  };

  const logs: string[] = [];
  let prismPort = 0;
  // First the port users asked for: a busy one fails before Prism is started at all.
  const proxy = await startForcingProxy({
    port: options.port ?? 0,
    upstreamPort: () => prismPort,
    spec,
    record: options.recordRequests ?? true,
    onRequest: options.onRequest,
    onUpstreamError: () => `the ${VENDORS[vendor].title} mock process ${child.exitCode === null && child.signalCode === null ? "is not answering" : "has exited"}${logTail(logs)}`,
  });

  const child = spawn(process.execPath, [hostScript, JSON.stringify(config)], {
    stdio: ["pipe", "pipe", "pipe"],
    // NODE_ENV=production: Prism's dependencies skip development checks. NODE_OPTIONS of the test process
    // (an --inspect port, a loader) are not for the mock. Node >= 22.1 reuses compiled code across starts.
    env: { ...process.env, NODE_ENV: "production", NODE_OPTIONS: "", FORCE_COLOR: "0", NODE_COMPILE_CACHE: join(tmpdir(), `activation-kit-testing-compile-cache-${process.getuid?.() ?? "user"}`) },
    windowsHide: true,
  });
  running.add(child);
  stopAllOnExit();
  child.once("exit", () => running.delete(child));

  let stderrRest = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    const lines = (stderrRest + chunk).split("\n");
    stderrRest = lines.pop() ?? "";
    for (const raw of lines) {
      if (!raw.trim()) continue;
      let line: MockLogLine;
      try {
        const parsed = JSON.parse(raw) as { level?: number; msg?: string };
        line = { level: LEVELS[parsed.level ?? 30] ?? "info", message: parsed.msg ?? raw };
      } catch {
        line = { level: "error", message: raw };
      }
      logs.push(`${line.level}: ${line.message}`);
      if (logs.length > MAX_LOG_LINES) logs.shift();
      options.onLog?.(line);
    }
  });

  try {
    prismPort = await waitForPort(child, options.startupTimeoutMs ?? 60_000, vendor, logs);
  } catch (e) {
    child.kill("SIGKILL");
    await proxy.close();
    throw e;
  }
  // From here on the mock never holds the process open: a finished test run exits, and the mock with it.
  child.unref();
  child.stdin.on("error", () => undefined);
  for (const stream of [child.stdin, child.stdout, child.stderr] as unknown as { unref?: () => void }[]) stream.unref?.();

  const baseUrl = `http://127.0.0.1:${proxy.port}`;
  let closing: Promise<void> | undefined;
  return {
    vendor,
    baseUrl,
    port: proxy.port,
    pid: child.pid ?? -1,
    specPath,
    get requests() {
      return proxy.requests;
    },
    logs,
    forceStatus(status, forceOptions = {}) {
      checkForcedStatus(spec, vendor, status, forceOptions);
      const times = forceOptions.times ?? 1;
      if (!(times === Infinity || (Number.isInteger(times) && times >= 1))) {
        throw new RangeError(`forceStatus: times must be a positive integer or Infinity, got ${String(times)}`);
      }
      proxy.forced.push({ status, remaining: times, operation: forceOptions.operation });
    },
    clearForcedStatuses() {
      proxy.forced.length = 0;
    },
    close() {
      closing ??= (async () => {
        await proxy.close();
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.ref();
        const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        // Closing stdin is the stop signal (the same one a parent that dies sends).
        child.stdin.end();
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      })();
      return closing;
    },
  };
}

function checkForcedStatus(spec: SpecModel, vendor: Vendor, status: number, options: ForceStatusOptions): void {
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    throw new RangeError(`forceStatus: status must be an HTTP status code (100-599), got ${String(status)}`);
  }
  const candidates = options.operation === undefined ? spec.operations : spec.operations.filter((o) => o.operationId === options.operation);
  if (candidates.length === 0) {
    throw new Error(`forceStatus: the ${VENDORS[vendor].title} API has no operation "${options.operation}"`);
  }
  if (!candidates.some((o) => o.statuses.has(status))) {
    const documented = [...new Set(candidates.flatMap((o) => [...o.statuses]))].sort((a, b) => a - b).join(", ");
    const where = options.operation === undefined ? `no operation of the ${VENDORS[vendor].title} API` : `operation "${options.operation}"`;
    throw new Error(`forceStatus: ${where} documents status ${status}, so the mock has no answer for it (documented: ${documented})`);
  }
}

function logTail(logs: readonly string[]): string {
  const tail = logs.slice(-20);
  return tail.length > 0 ? `\nPrism's last log lines:\n${tail.join("\n")}` : "";
}

function waitForPort(child: ChildProcessByStdio<Writable, Readable, Readable>, timeoutMs: number, vendor: Vendor, logs: string[]): Promise<number> {
  const what = `the ${VENDORS[vendor].title} mock (Prism ${prismVersion()})`;
  return new Promise((resolve, reject) => {
    let out = "";
    const done = (fn: () => void) => {
      clearTimeout(timer);
      child.stdout.off("data", onData);
      child.off("exit", onExit);
      child.off("error", onError);
      fn();
    };
    const timer = setTimeout(() => done(() => reject(new Error(`${what} did not start within ${timeoutMs} ms${logTail(logs)}`))), timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const newline = out.indexOf("\n");
      if (newline < 0) return;
      let message: { port?: number; error?: string };
      try {
        message = JSON.parse(out.slice(0, newline)) as typeof message;
      } catch {
        message = { error: out.slice(0, newline) };
      }
      if (typeof message.port === "number") done(() => resolve(message.port as number));
      else done(() => reject(new Error(`${what} could not start: ${message.error}${logTail(logs)}`)));
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      done(() => reject(new Error(`${what} exited during start-up (${signal ?? `code ${code}`})${logTail(logs)}`)));
    const onError = (e: Error) => done(() => reject(new Error(`${what} could not be started: ${e.message}`)));
    child.stdout.on("data", onData);
    child.once("exit", onExit);
    child.once("error", onError);
  });
}
