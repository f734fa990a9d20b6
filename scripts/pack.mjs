#!/usr/bin/env node
// @ts-check
/**
 * `pnpm pack:all [dest]`: packs every publishable workspace package (never a `"private": true` one; `pnpm -r pack`
 * would pack the private test package too) into `dest` (default: ./packed), after a build.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { publishablePackages, repoRoot } from "./release/workspace.mjs";

const dest = resolve(process.argv[2] ?? resolve(repoRoot, "packed"));
mkdirSync(dest, { recursive: true });
for (const p of publishablePackages()) {
  const out = execFileSync("pnpm", ["pack", "--pack-destination", dest], { cwd: p.dir, encoding: "utf8" }).trim().split("\n").at(-1);
  console.log(`${p.name}@${p.version} → ${out}`);
}
