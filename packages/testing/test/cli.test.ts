/**
 * The mock command as users run it: `activation-kit-mock <vendor>` (this package's bin) and
 * `activation-kit mock <vendor>` (the facade's bin, which loads this package on demand and explains how to
 * install it when it is missing). Real processes, real Prism, stopped with Ctrl-C (SIGINT).
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRelevaClient } from "@activation-kit/releva";
import { afterAll, describe, expect, it } from "vitest";

const testingBin = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const facadeBin = fileURLToPath(new URL("../../activation-kit/dist/cli.js", import.meta.url));
const started: ChildProcessWithoutNullStreams[] = [];
afterAll(() => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

/** Child processes of `pid` (Linux process table). */
function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

function run(args: string[], cwd?: string) {
  // As a user's shell runs it: pnpm puts the workspace's node_modules on NODE_PATH for scripts, which would let
  // the facade's CLI find @activation-kit/testing where a user's project would not.
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: "0" };
  delete env.NODE_PATH;
  const child = spawn(process.execPath, args, { cwd, env });
  started.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const check = () => {
      const url = /^ {2}(http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout)?.[1];
      if (url && stdout.includes("Ctrl-C")) resolve(url);
    };
    child.stdout.on("data", check);
    void exited.then((code) => reject(new Error(`exited ${code} before it was ready:\n${stdout}\n${stderr}`)));
  });
  ready.catch(() => undefined); // awaited only by the tests that expect a running mock
  return { child, ready, exited, output: () => ({ stdout, stderr }) };
}

async function serveThenCtrlC(args: string[]) {
  const cli = run(args);
  const baseUrl = await cli.ready;
  const [host] = childrenOf(cli.child.pid!);
  expect(host).toBeGreaterThan(0);
  const releva = createRelevaClient({ secretKey: "test-secret", baseUrl });
  await expect(releva.profiles.upsertProfiles({ body: { profiles: [{ profile: { email: "ana@example.com" } }] } })).resolves.toEqual({});
  cli.child.kill("SIGINT");
  expect(await cli.exited).toBe(0);
  expect(() => process.kill(host, 0)).toThrow();
  return { baseUrl, ...cli.output() };
}

describe("activation-kit-mock", () => {
  it("prints the base URL and a one-line client example, serves, and stops on Ctrl-C", async () => {
    const { baseUrl, stdout } = await serveThenCtrlC([testingBin, "releva"]);
    expect(stdout).toContain("Releva Profile Upsert mock (Prism 5.14.2, request validation on, documented examples):");
    expect(stdout).toContain(
      `import { createRelevaClient } from "@activation-kit/releva"; const client = createRelevaClient({ baseUrl: "${baseUrl}", secretKey: "test-secret" });`,
    );
    expect(stdout).toContain("POST /profiles → 202 (upsertProfiles)\n");
    expect(stdout).toMatch(/Mock stopped \(SIGINT\)\.\n$/);
  });

  it("usage errors exit 2 and say what is wrong", async () => {
    for (const [args, message] of [
      [["acme"], 'unknown vendor "acme"'],
      [[], "which vendor?"],
      [["releva", "--port", "http"], '--port must be a port number (0-65535), got "http"'],
      [["releva", "--verbose"], "Unknown option '--verbose'"],
    ] as const) {
      const cli = run([testingBin, ...args]);
      expect(await cli.exited).toBe(2);
      expect(cli.output().stderr).toContain(message);
      expect(cli.output().stderr).toContain("Usage: activation-kit-mock <vendor> [--port N]");
    }
  });
});

describe("activation-kit mock (the facade's command)", () => {
  it("dispatches to @activation-kit/testing: same mock, fixed port", async () => {
    const port = 40_000 + Math.floor(Math.random() * 20_000);
    const { baseUrl, stdout } = await serveThenCtrlC([facadeBin, "mock", "releva", "--port", String(port)]);
    expect(baseUrl).toBe(`http://127.0.0.1:${port}`);
    expect(stdout).toContain("createRelevaClient");
  });

  it("without @activation-kit/testing installed: exit 1 with the exact install command", async () => {
    const dir = mkdtempSync(join(tmpdir(), "activation-kit-cli-"));
    try {
      // The facade's bin alone, where neither it nor the current directory can resolve @activation-kit/testing.
      copyFileSync(facadeBin, join(dir, "cli.js"));
      const cli = run([join(dir, "cli.js"), "mock", "releva"], dir);
      expect(await cli.exited).toBe(1);
      const { stderr } = cli.output();
      expect(stderr).toContain("activation-kit mock needs the @activation-kit/testing package");
      expect(stderr).toContain("  npm install --save-dev @activation-kit/testing\n");
      expect(stderr).toContain("  npx -p activation-kit -p @activation-kit/testing activation-kit mock releva\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
