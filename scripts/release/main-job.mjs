#!/usr/bin/env node
// @ts-check
/**
 * README command 1 (`npm start` → scripts/main.sh → here): the maintainer's main job on embedded defaults, each
 * step summarised in a few lines:
 *   1. regenerate the clients from specs/            4. run the contract tests (real Prism mocks)
 *   2. build                                         5. version and publish a scratch copy to an embedded Verdaccio
 *   3. classify API changes against the last release 6. install from it into a scratch consumer and run the README
 *                                                       example (scripts/demo.mjs) there, against embedded mocks
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { analyze } from "../api-diff.mjs";
import { installConsumer } from "./consumer.mjs";
import { publishToLocalRegistry, versionPackages } from "./publish.mjs";
import { startLocalRegistry } from "./registry.mjs";
import { createScratchCopy } from "./scratch.mjs";
import { publishablePackages, repoRoot, workspacePackages } from "./workspace.mjs";

const exec = promisify(execFile);
const total = 6;
let stepStarted = performance.now();
/** @param {number} n @param {string} title */
function step(n, title) {
  stepStarted = performance.now();
  console.log(`\n[${n}/${total}] ${title}`);
}
/** @param {string} line */
const say = (line) => console.log(`      ${line}`);
const took = () => `${((performance.now() - stepStarted) / 1000).toFixed(1)} s`;

/** @param {string} cmd @param {string[]} args @param {object} [o] */
async function sh(cmd, args, o = {}) {
  try {
    const { stdout, stderr } = await exec(cmd, args, { cwd: repoRoot, maxBuffer: 256 << 20, env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" }, ...o });
    return `${stdout}\n${stderr}`;
  } catch (e) {
    const err = /** @type {{stdout?: string, stderr?: string}} */ (e);
    console.error(`${cmd} ${args.join(" ")} failed:\n${err.stdout ?? ""}\n${err.stderr ?? ""}`);
    throw e;
  }
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), "ak-main-"));
  /** @type {(() => Promise<void>)[]} */
  const cleanup = [async () => rmSync(work, { recursive: true, force: true })];
  try {
    step(1, "Regenerate the clients from specs/");
    const generated = await sh(process.execPath, ["generators/src/cli.mjs"]);
    for (const line of generated.split("\n").filter((l) => l.startsWith("generate"))) say(line);

    step(2, "Build every package");
    const built = await sh("pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only"]);
    const tasks = /Tasks:\s+(.*)/.exec(built)?.[1] ?? "";
    const cached = /Cached:\s+(.*)/.exec(built)?.[1] ?? "";
    say(`turbo build: ${tasks.trim()} (${cached.trim()}) in ${took()}`);

    step(3, "Classify API changes against each package's last release (pnpm api:diff)");
    const { vendors, demands } = await analyze({});
    for (const r of vendors) {
      if (!r.base) say(`${r.name}: no release yet: ${r.changes.length} operation(s), all new`);
      else if (r.impact === "none") say(`${r.name}: no API change since ${r.base}`);
      else {
        say(`${r.name}: ${r.impact} since ${r.base} → ${r.bump} bump to ${r.nextVersion}; ${r.changes.length} change(s), e.g.`);
        for (const c of r.changes.slice(0, 3)) say(`  ${c.impact} ${c.operation} ${c.field} ${c.what}`.slice(0, 160));
      }
    }
    if (vendors.every((r) => !r.base)) say("(a release is the `<package>@<version>` tag `changeset publish` creates; step 5 creates them in a scratch copy)");
    if (demands.length > 0) say(`packages to bump: ${demands.map((d) => `${d.name} ${d.bump}`).join(", ")} (pnpm api:changeset writes the changesets)`);

    step(4, "Contract tests: every operation of every spec against a real Prism mock");
    const contract = await sh("pnpm", ["--filter", "@activation-kit/contract-tests", "exec", "vitest", "run", "--reporter=dot"]);
    for (const line of contract.split("\n").filter((l) => /contract coverage|Test Files|Tests\s/.test(l))) say(line.replace(/\x1b\[[0-9;]*m/g, "").trim());

    step(5, "Version and publish a scratch copy to an embedded local registry (Verdaccio on 127.0.0.1)");
    const registry = await startLocalRegistry();
    cleanup.push(() => registry.stop());
    say(`registry ${registry.url} (proxies everything else to ${registry.upstream})`);
    const scratch = await createScratchCopy({ from: repoRoot, dir: join(work, "repo") });
    const bumped = await versionPackages(scratch);
    say(`changeset version: ${bumped.map((b) => `${b.name} ${b.from} → ${b.to}`).join(", ") || "no pending changesets"}`);
    const { published } = await publishToLocalRegistry({ dir: scratch, registryUrl: registry.url, npmrc: registry.writeNpmrc(registry.dir) });
    say(`changeset publish: ${published.length} package(s): ${published.join(", ")} in ${took()}`);
    const skipped = publishablePackages(scratch).length - published.length;
    if (skipped > 0) say(`${skipped} package(s) already at their published version`);

    step(6, "Install from the local registry into a scratch consumer and run the README example there");
    const example = join(repoRoot, "scripts", "demo.mjs");
    const source = readFileSync(example, "utf8");
    const specifiers = [...source.matchAll(/^\s*import\s[^"']*["']([^"']+)["']/gm)].map((m) => m[1]);
    const packages = workspacePackages(scratch);
    /** @type {Record<string, string>} */
    const dependencies = {};
    for (const s of specifiers.filter((x) => !x.startsWith(".") && !x.startsWith("node:"))) {
      const name = s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0];
      const local = packages.find((p) => p.name === name && !p.private);
      if (local) dependencies[name] = local.version;
    }
    const consumer = await installConsumer({ dir: join(work, "consumer"), dependencies, registry, npmCache: join(work, "npm-cache") });
    // Relative imports of the example (its mock launcher) stay the repository's own files.
    for (const s of specifiers.filter((x) => x.startsWith("."))) {
      writeFileSync(join(consumer, s), `export * from ${JSON.stringify(pathToFileURL(resolve(repoRoot, "scripts", s)).href)};\n`);
    }
    writeFileSync(join(consumer, "example.mjs"), source);
    say(`npm install ${Object.entries(dependencies).map(([n, v]) => `${n}@${v}`).join(" ")} (from ${registry.url})`);
    const output = await sh(process.execPath, ["example.mjs"], { cwd: consumer });
    // The example prints each exchange's JSON body indented by four spaces: keep the headline of every step.
    for (const line of output.split("\n").filter((l) => l.trim() && (!/^ {4}/.test(l) || l.trim().startsWith("- ")))) say(line);
    console.log(`\nDone: regenerated, classified, contract-tested, published to ${registry.url} and run from an installed copy.`);
  } finally {
    for (const c of cleanup.reverse()) await c().catch(() => {});
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
