/**
 * `activation-kit-mock <vendor> [--port N]` (also `activation-kit mock …` through the `activation-kit`
 * package): starts a mock, prints its base URL and a one-line client example, and runs until Ctrl-C.
 */
import { parseArgs } from "node:util";
import { startMock, type MockServer } from "./index.js";
import { prismVersion } from "./spec.js";
import { clientExample, isVendor, vendorNames, VENDORS } from "./vendors.js";

export interface MockCliOptions {
  /** How the command is called, for the usage text. Default `activation-kit-mock`. */
  programName?: string;
  stdout?: (line: string) => void;
  stderr?: (line: string) => void;
}

function usage(program: string): string {
  return [
    `Usage: ${program} <vendor> [--port N] [--repeatable S] [--dynamic]`,
    "",
    "Starts a Prism mock of the vendor's API (request validation on) on 127.0.0.1 and prints its base URL.",
    "",
    `  <vendor>      ${vendorNames.join(", ")}`,
    "  --port N      listen on port N (default: a free port)",
    "  --dynamic     generate answers from the schemas instead of the documented examples",
    "  --repeatable S  generated answers that repeat run after run (implies --dynamic)",
    "  --help        this text",
    "",
    "Stop it with Ctrl-C.",
  ].join("\n");
}

/**
 * Runs the command. Resolves with the exit code once the mock has stopped (SIGINT/SIGTERM), or at once on a
 * usage error (2) or a failed start (1).
 */
export async function runMockCli(argv: readonly string[], cli: MockCliOptions = {}): Promise<number> {
  const program = cli.programName ?? "activation-kit-mock";
  const out = cli.stdout ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = cli.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));

  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        port: { type: "string", short: "p" },
        repeatable: { type: "string" },
        dynamic: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    err(`${program}: ${e instanceof Error ? e.message : String(e)}\n\n${usage(program)}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out(usage(program));
    return 0;
  }
  const [vendor, ...extra] = positionals;
  if (!vendor || extra.length > 0 || !isVendor(vendor)) {
    err(`${program}: ${!vendor ? "which vendor?" : extra.length > 0 ? `one vendor at a time (got ${positionals.join(", ")})` : `unknown vendor "${vendor}"`}\n\n${usage(program)}`);
    return 2;
  }
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) {
      err(`${program}: --port must be a port number (0-65535), got "${values.port}"\n\n${usage(program)}`);
      return 2;
    }
  }

  let mock: MockServer;
  try {
    mock = await startMock(vendor, {
      port,
      repeatable: values.repeatable,
      dynamic: values.dynamic,
      recordRequests: false,
      // What a developer pointing an app at the mock wants to see: each exchange, and Prism's violations.
      onRequest: (r) => out(`${r.method} ${r.url} → ${r.status}${r.operation ? ` (${r.operation})` : ""}`),
      onLog: (line) => err(`prism ${line.level}: ${line.message}`),
    });
  } catch (e) {
    err(`${program}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  const mode = values.repeatable !== undefined ? `repeatable dynamic answers (${JSON.stringify(values.repeatable)})` : values.dynamic ? "dynamic answers" : "documented examples";
  out(`${VENDORS[vendor].title} mock (Prism ${prismVersion()}, request validation on, ${mode}):`);
  out(`  ${mock.baseUrl}`);
  out("");
  out(`  ${clientExample(vendor, mock.baseUrl)}`);
  out("");
  out("Press Ctrl-C to stop.");

  // The mock itself never keeps a process alive (see startMock); this command does, until a signal.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
  clearInterval(keepAlive);
  await mock.close();
  out(`Mock stopped (${signal}).`);
  return 0;
}
