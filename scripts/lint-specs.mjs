#!/usr/bin/env node
// @ts-check
/**
 * `pnpm lint:specs`: every spec listed under `apis:` in redocly.yaml is checked by two independent linters, and
 * both must report 0 errors and 0 warnings:
 *   1. Redocly, with the rules in redocly.yaml (on the source files);
 *   2. Stoplight Spectral, with the `spectral:oas` ruleset in .spectral.yaml, on each spec's Redocly bundle.
 *      Spectral reads the bundle because it cannot resolve the multi-file Contacthub spec's path-item files
 *      (their names contain `{` `}`) on its own; the bundle is what the generator and Prism consume anyway.
 * Usage: node scripts/lint-specs.mjs
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleSpec, listApis } from "../generators/src/bundle.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function run(command, args) {
  console.log(`$ ${[command, ...args].join(" ")}`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

const redocly = run("pnpm", ["exec", "redocly", "lint", "--max-problems", "1000"]);

const apis = await listApis(root);
const dir = mkdtempSync(join(tmpdir(), "activation-kit-spectral-"));
let spectral;
try {
  const files = [];
  for (const api of apis) {
    const file = join(dir, `${api.slug}.openapi.json`);
    writeFileSync(file, `${JSON.stringify(await bundleSpec(root, api), null, 2)}\n`);
    files.push(file);
  }
  // `--fail-severity warn`: a warning fails the run like an error (the target is 0/0).
  spectral = run("pnpm", ["exec", "spectral", "lint", ...files, "--ruleset", join(root, ".spectral.yaml"), "--fail-severity", "warn", "--format", "stylish"]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`lint:specs: Redocly ${redocly === 0 ? "passed" : "failed"}, Spectral ${spectral === 0 ? "passed" : "failed"} (${apis.length} specs)`);
process.exitCode = redocly === 0 && spectral === 0 ? 0 : 1;
