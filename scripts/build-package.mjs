#!/usr/bin/env node
// @ts-check
/**
 * `build` of a published package (run from the package directory): type declarations from `tsc`, JavaScript from
 * esbuild, one ES module per entry point.
 *
 * Why not tsc's one-file-per-source output: Node loads every module file separately, and a package of twenty
 * small modules took ~20 ms to import (measured with `pnpm size import`), most of it per-file overhead; the same
 * code as one module per entry imports in a fraction of that. The code is not minified (readable stack traces
 * without source maps) and stays tree-shakable: each entry is an ES module with its exports intact, and code two
 * entries share, or that an entry loads with a dynamic `import()` (response schemas, the Node transport,
 * openapi-fetch), lands in its own chunk file, so bundlers and Node load it only when it is used.
 *
 * Entries: every JavaScript target of the package's `exports` map (`./dist/x.js` is built from `./src/x.ts`),
 * plus the extra sources listed in package.json `x-build-entries` (for example the CLI a `bin` wrapper imports).
 * Dependencies and peer dependencies stay imports (never bundled in), so every package shares one copy of
 * @activation-kit/core and `instanceof` works across packages.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import * as esbuild from "esbuild";

const dir = process.cwd();
const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));

/** `./dist/a/b.js` → `src/a/b.ts` */
const sourceOf = (/** @type {string} */ target) => target.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts");

/** @param {unknown} value @returns {string[]} */
function jsTargets(value) {
  if (typeof value === "string") return value.startsWith("./dist/") && value.endsWith(".js") ? [value] : [];
  if (value && typeof value === "object") return Object.values(value).flatMap(jsTargets);
  return [];
}

const entries = [...new Set([...jsTargets(manifest.exports ?? {}).map(sourceOf), ...(manifest["x-build-entries"] ?? [])])];
if (entries.length === 0) throw new Error(`${manifest.name}: no entry points (exports map or x-build-entries)`);

rmSync(join(dir, "dist"), { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [createRequire(import.meta.url).resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json", "--emitDeclarationOnly"], {
  cwd: dir,
  stdio: "inherit",
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const external = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies });
await esbuild.build({
  absWorkingDir: dir,
  entryPoints: entries,
  outdir: "dist",
  outbase: "src",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  // Node built-ins (the CLI, the Node transport's fallbacks) and the package's own dependencies stay imports.
  external: [...external, ...external.map((name) => `${name}/*`), "node:*"],
  chunkNames: "chunks/[name]-[hash]",
  legalComments: "inline",
  // Not minified: readable stack traces without source maps, and the hints bundlers read in comments (such as
  // `webpackIgnore` / `@vite-ignore` on Contacthub's lazy `node:fs/promises` import) survive.
  logLevel: "warning",
});
console.log(`${manifest.name}: ${entries.length} entr${entries.length === 1 ? "y" : "ies"} bundled (${entries.join(", ")})`);
