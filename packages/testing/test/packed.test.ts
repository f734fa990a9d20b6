/**
 * What a user gets from the registry: the packages are packed (`pnpm pack`, as they are published), installed
 * with npm into a scratch project outside the workspace, and used from there, with no file of this repository:
 * - a vitest run: a test that starts a mock, calls the client, forces a status and closes, plus the
 *   "Testing your integration" example of every installed README, verbatim;
 * - a `node --test` run: the same through Node's test runner, and a test process killed with SIGKILL while its
 *   mock runs, after which the process table holds no Prism;
 * - the `activation-kit mock` command of the installed facade, stopped with Ctrl-C.
 */
import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importsOf, nodeTestExample, testingSectionExample } from "./readme-examples.js";

const run = promisify(execFile);
const packagesDir = fileURLToPath(new URL("../..", import.meta.url));
/** Installed from tarballs, in this order; the directory under packages/ and the published name. */
const PACKAGES = [
  ["core", "@activation-kit/core"],
  ["relay42", "@activation-kit/relay42"],
  ["rudderstack", "@activation-kit/rudderstack"],
  ["contacthub", "@activation-kit/contacthub"],
  ["releva", "@activation-kit/releva"],
  ["marigold-engage", "@activation-kit/marigold-engage"],
  ["activation-kit", "activation-kit"],
  ["testing", "@activation-kit/testing"],
] as const;
/** READMEs with a "Testing your integration" example to run. */
const EXAMPLES = ["@activation-kit/relay42", "@activation-kit/rudderstack", "@activation-kit/contacthub", "@activation-kit/releva", "@activation-kit/marigold-engage", "activation-kit", "@activation-kit/testing"];

/** The environment of a user's shell: none of this test runner's variables. */
const userEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST") && k !== "NODE_ENV" && k !== "TEST"));

let scratch: string;
let project: string;

const MOCK_TEST = `
import { createRelevaClient } from "@activation-kit/releva";
import { startMock } from "@activation-kit/testing";
import { expect, test } from "vitest";

test("start a mock, call the client, force a status, close", async () => {
  const mock = await startMock("releva");
  const releva = createRelevaClient({ secretKey: "test-secret", baseUrl: mock.baseUrl, maxRetries: 0 });
  const body = { profiles: [{ profile: { email: "ana@example.com" } }] };
  await expect(releva.profiles.upsertProfiles({ body })).resolves.toEqual({});
  mock.forceStatus(503);
  await expect(releva.profiles.upsertProfiles({ body })).rejects.toMatchObject({ name: "InternalServerError", status: 503 });
  await expect(releva.profiles.upsertProfiles({ body })).resolves.toEqual({});
  await mock.close();
  expect(() => process.kill(mock.pid, 0)).toThrow();
}, 60_000);
`;

const NODE_TEST = `
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRelevaClient } from "@activation-kit/releva";
import { startMock } from "@activation-kit/testing";

test("start a mock, call the client, force a status, close", async () => {
  const mock = await startMock("releva");
  const releva = createRelevaClient({ secretKey: "test-secret", baseUrl: mock.baseUrl, maxRetries: 0 });
  const body = { profiles: [{ profile: { email: "ana@example.com" } }] };
  assert.deepEqual(await releva.profiles.upsertProfiles({ body }), {});
  mock.forceStatus(429);
  await assert.rejects(releva.profiles.upsertProfiles({ body }), { name: "RateLimitError", status: 429 });
  await mock.close();
  assert.throws(() => process.kill(mock.pid, 0));
});

const alive = (pid) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (exited, not yet reaped by its new parent) is not running.
  try {
    return !/^\\S+ \\(.*\\) Z/.test(readFileSync(\`/proc/\${pid}/stat\`, "utf8"));
  } catch {
    return false;
  }
};

test("a test process killed with SIGKILL leaves no Prism behind", async () => {
  // A test process whose mock is running, killed the hard way: no exit handler, no close().
  const victim = spawn(process.execPath, ["--input-type=module", "-e", \`
    import { startMock } from "@activation-kit/testing";
    const mock = await startMock("releva");
    console.log(JSON.stringify({ prism: mock.pid }));
    setInterval(() => {}, 1000);
  \`], { stdio: ["ignore", "pipe", "inherit"] });
  const prism = await new Promise((resolve, reject) => {
    let out = "";
    victim.stdout.on("data", (d) => {
      out += d;
      const line = out.split("\\n").find((l) => l.startsWith("{"));
      if (line) resolve(JSON.parse(line).prism);
    });
    victim.on("exit", (code) => reject(new Error("the test process exited on its own: " + code)));
  });
  assert.ok(alive(prism), "Prism runs while its test process does");
  assert.match(readFileSync(\`/proc/\${prism}/cmdline\`, "utf8"), /@activation-kit\\/testing\\/dist\\/host\\.js/);
  victim.removeAllListeners("exit");
  const killed = new Promise((resolve) => victim.on("exit", (_code, signal) => resolve(signal)));
  victim.kill("SIGKILL");
  assert.equal(await killed, "SIGKILL");
  const deadline = Date.now() + 10_000;
  while (alive(prism) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(alive(prism), false, "Prism outlived its killed test process");
});
`;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "activation-kit-testing-packed-"));
  const tarballs = join(scratch, "tarballs");
  project = join(scratch, "project");
  mkdirSync(tarballs);
  mkdirSync(project);
  const t0 = Date.now();
  await Promise.all(PACKAGES.map(([dir]) => run("pnpm", ["pack", "--pack-destination", tarballs], { cwd: join(packagesDir, dir) })));
  const t1 = Date.now();
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }, null, 2));
  const files = readdirSync(tarballs).map((f) => join(tarballs, f));
  // Offline where the npm cache already has Prism's dependencies; the registry otherwise.
  await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", ...files], { cwd: project, env: userEnv });
  console.log(`packed ${files.length} packages in ${((t1 - t0) / 1000).toFixed(1)} s, installed them with npm in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  // vitest is not what is under test here: this workspace's copy, as if installed.
  symlinkSync(realpathSync(fileURLToPath(new URL("../node_modules/vitest", import.meta.url))), join(project, "node_modules", "vitest"), "dir");
}, 600_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Whether `pid` is a running process (not gone, not a zombie awaiting its parent). */
function running(pid: number): boolean {
  try {
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** Running mock processes of the scratch project's @activation-kit/testing (from the process table). */
function mockProcesses(): number[] {
  const host = realpathSync(join(installed("@activation-kit/testing"), "dist", "host.js"));
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d) && running(Number(d)))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0").includes(host);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const installed = (name: string) => join(project, "node_modules", ...name.split("/"));
const manifest = (name: string) => JSON.parse(readFileSync(join(installed(name), "package.json"), "utf8")) as Record<string, any>;

describe("installed from the packed tarballs", () => {
  it("Prism is a dependency of @activation-kit/testing only; the facade has the bin and no mock server", () => {
    expect(manifest("@activation-kit/testing").dependencies).toEqual({ "@stoplight/prism-cli": "5.14.2" });
    for (const [, name] of PACKAGES.filter(([, n]) => n !== "@activation-kit/testing")) {
      const m = manifest(name);
      const deps = { ...m.dependencies, ...m.peerDependencies, ...m.optionalDependencies };
      expect(Object.keys(deps).filter((d) => d.includes("prism") || d === "@activation-kit/testing")).toEqual([]);
    }
    expect(manifest("activation-kit").bin).toEqual({ "activation-kit": "./bin/activation-kit.js" });
    expect(readdirSync(join(installed("@activation-kit/testing"), "dist"))).toContain("host.js");
  });

  it("vitest: a mock test and every README's 'Testing your integration' example pass", async () => {
    writeFileSync(join(project, "mock.test.ts"), MOCK_TEST);
    for (const name of EXAMPLES) {
      const readme = readFileSync(join(installed(name), "README.md"), "utf8");
      const code = testingSectionExample(readme);
      expect(code, `${name}'s README has a "Testing your integration" example`).toBeDefined();
      // Only what that README tells users to install, plus the mock and the test runner.
      const installs = [...readme.matchAll(/^npm install (?:--save-dev )?(.+)$/gm)].flatMap((m) => m[1].split(" "));
      for (const spec of importsOf(code!)) expect([...installs, "@activation-kit/testing", "vitest"], `${name}: import "${spec}"`).toContain(spec);
      writeFileSync(join(project, `${name.replace(/^@/, "").replace(/\W+/g, "-")}.readme.test.ts`), code!);
    }
    writeFileSync(join(project, "vitest.config.mjs"), 'export default { test: { include: ["*.test.ts"] } };\n');
    const { stdout } = await run(process.execPath, [join(project, "node_modules", "vitest", "vitest.mjs"), "run"], { cwd: project, env: { ...userEnv, CI: "true", NO_COLOR: "1" } }).catch(
      (e: { stdout?: string; stderr?: string }) => {
        throw new Error(`vitest failed in the scratch project:\n${e.stdout}\n${e.stderr}`);
      },
    );
    expect(stdout.replace(/\u001b\[[0-9;]*m/g, "")).toMatch(new RegExp(`Test Files\\s+${EXAMPLES.length + 1} passed`));
  }, 300_000);

  it("node --test: a mock test, this package's README example, and SIGKILL leaving no Prism behind", async () => {
    writeFileSync(join(project, "mock.node.test.mjs"), NODE_TEST);
    const example = nodeTestExample(readFileSync(join(installed("@activation-kit/testing"), "README.md"), "utf8"));
    expect(example).toBeDefined();
    writeFileSync(join(project, "readme.node.test.mjs"), example!);
    const { stdout } = await run(process.execPath, ["--test", "mock.node.test.mjs", "readme.node.test.mjs"], { cwd: project, env: userEnv }).catch(
      (e: { stdout?: string; stderr?: string }) => {
        throw new Error(`node --test failed in the scratch project:\n${e.stdout}\n${e.stderr}`);
      },
    );
    expect(stdout).toMatch(/^# pass 3$/m);
    expect(stdout).toMatch(/^# fail 0$/m);
  }, 120_000);

  it("vitest killed with SIGKILL mid-test leaves no Prism behind", async () => {
    writeFileSync(
      join(project, "hang.vitest.ts"),
      `import { test } from "vitest";
import { startMock } from "@activation-kit/testing";
test("hangs with a mock running", async () => {
  const mock = await startMock("releva");
  console.log(JSON.stringify({ prism: mock.pid, worker: process.pid }));
  await new Promise((r) => setTimeout(r, 120_000));
}, 180_000);
`,
    );
    writeFileSync(join(project, "hang.config.mjs"), 'export default { test: { include: ["hang.vitest.ts"] } };\n');
    const runner = spawn(process.execPath, [join(project, "node_modules", "vitest", "vitest.mjs"), "run", "--config", "hang.config.mjs"], {
      cwd: project,
      env: { ...userEnv, NO_COLOR: "1" },
    });
    let out = "";
    const pids = await new Promise<{ prism: number; worker: number }>((resolve, reject) => {
      runner.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        const line = /^\{"prism":\d+,"worker":\d+\}$/m.exec(out)?.[0];
        if (line) resolve(JSON.parse(line) as { prism: number; worker: number });
      });
      runner.on("exit", (code) => reject(new Error(`vitest exited ${code}: ${out}`)));
    });
    expect(mockProcesses()).toContain(pids.prism);
    runner.removeAllListeners("exit");
    const killed = new Promise((resolve) => runner.on("exit", (_code, signal) => resolve(signal)));
    runner.kill("SIGKILL");
    expect(await killed).toBe("SIGKILL");
    try {
      const deadline = Date.now() + 10_000;
      while (running(pids.prism) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(running(pids.prism), "Prism outlived the killed vitest").toBe(false);
    } finally {
      // vitest's own worker may outlive its killed runner for a while (not ours to fix): end it here.
      if (running(pids.worker)) process.kill(pids.worker, "SIGKILL");
    }
  }, 120_000);

  it("`activation-kit mock releva` (the installed bin) serves until Ctrl-C", async () => {
    const cli = spawn(join(project, "node_modules", ".bin", "activation-kit"), ["mock", "releva"], { cwd: project, env: userEnv });
    let out = "";
    cli.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const baseUrl = await new Promise<string>((resolve, reject) => {
      cli.stdout.on("data", () => {
        const url = /^ {2}(http:\/\/127\.0\.0\.1:\d+)$/m.exec(out)?.[1];
        if (url && out.includes("Ctrl-C")) resolve(url);
      });
      cli.on("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    expect(out).toContain(`createRelevaClient({ baseUrl: "${baseUrl}", secretKey: "test-secret" })`);
    const answer = await fetch(`${baseUrl}/profiles`, {
      method: "POST",
      headers: { authorization: "Bearer test-secret", "content-type": "application/json" },
      body: JSON.stringify({ profiles: [{ profile: { email: "ana@example.com" } }] }),
    });
    expect(answer.status).toBe(202);
    cli.removeAllListeners("exit");
    const exited = new Promise<number | null>((resolve) => cli.on("exit", (code) => resolve(code)));
    cli.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(out).toContain("Mock stopped (SIGINT).");
  }, 60_000);

  it("afterwards, the process table holds no mock process started from the scratch project", async () => {
    const deadline = Date.now() + 5_000;
    while (mockProcesses().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(mockProcesses()).toEqual([]);
  });
});
