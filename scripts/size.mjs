#!/usr/bin/env node
// @ts-check
/**
 * `pnpm size`: what activation-kit costs the people who install it, against the budgets of the performance issue.
 *
 *   bundles   esbuild (pinned in the root package.json) `--bundle --minify --format=esm --platform=browser`, with
 *             `--splitting` so a dynamic `import()` (response schemas, loaded only for `validateResponses`) lands in
 *             its own chunk the way Vite, Rollup or webpack put it: "initial" is what a page loads up front, the
 *             entry chunk plus everything it imports statically; "lazy" is what loads on demand. min+gzip is the
 *             sum of each initial chunk gzipped (level 9). 1 kB = 1000 bytes.
 *             Rows: each vendor's whole client (`create<Vendor>Client` + one call), the facade, the runtime alone
 *             (core with a one-operation hand-written API, the floor every vendor pays), and, once the vendor
 *             packages export standalone operation functions, one operation per vendor (see ONE_OPERATION).
 *   floor     the one-operation rows and the budgeted whole clients again, with parts of core replaced by stand-ins
 *             that do nothing (STAND_INS; never shipped): how much of each budget the rest of the runtime already
 *             takes. Not budgeted.
 *   tarballs  `pnpm pack` of every published package, unpacked size (sum of file sizes), with and without
 *             source maps, split by kind (openapi.json, .d.ts, .js, maps).
 *   import    time of `await import("<package>")` in a fresh Node process (performance.now() around it, after the
 *             ESM loader was warmed on an empty module): cold = the package's files evicted from the OS page cache
 *             first (`dd iflag=nocache`, where available), warm = median of SIZE_IMPORT_RUNS (21) fresh processes
 *             after that, and best = the fastest of them (machine load only ever adds time); importing another
 *             empty module is the floor. The warm runs go round-robin over the packages, so a slow spell on a shared
 *             machine lands on all of them rather than on whichever package was being measured.
 *
 * Usage: node scripts/size.mjs [bundles] [floor] [tarballs] [import] [--json] [--no-budgets]
 *   (no section named = all four). Exits 1 when a measured row exceeds its budget (unless --no-budgets),
 *   after printing every row with its budget. Needs built packages (`pnpm build`).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const KB = 1000;
const IMPORT_RUNS = Number(process.env.SIZE_IMPORT_RUNS ?? 21);

/** Budgets (issue "Faster than a hand-written fetch call, and pay only for the operations you use"). */
export const BUDGETS = {
  wholeClientGzip: { releva: 8 * KB, contacthub: 25 * KB },
  oneOperationGzip: 10 * KB,
  unpacked: { contacthub: 1.5 * 1000 * KB },
  importWarmMs: 10,
};

/** How each vendor's whole client is created and called in the bundle entry. */
export const VENDORS = [
  {
    slug: "releva",
    factory: "createRelevaClient",
    options: `{ secretKey: "k" }`,
    call: `c.profiles.upsertProfiles({ body: { profiles: [{ profile: { email: "a@example.com" } }] } })`,
  },
  {
    slug: "rudderstack",
    factory: "createRudderStackClient",
    options: `{ accessToken: "t" }`,
    call: `c.profiles.getUserProfiles({ body: { profileIdentifier: { type: "user_id", value: "u1" } } })`,
  },
  {
    slug: "relay42",
    factory: "createRelay42Client",
    options: `{ siteNumber: 1, auth: { apiIdentifier: "i", accessToken: "t" } }`,
    call: `c.profiles.getProfileFacts({ path: { partnerType: 1 }, query: { partnerId: "p" } })`,
  },
  {
    slug: "contacthub",
    factory: "createContacthubClient",
    options: `{ token: "t", workspaceId: "w" }`,
    call: `c.customers.getCustomer({ path: { customerId: "c" } })`,
  },
  {
    slug: "marigold-engage",
    factory: "createMarigoldEngageClient",
    options: `{ apiKey: "k", apiSecret: "s", organization: "o" }`,
    call: `c.content.getContent({ path: { api_name: "a" } })`,
  },
];

/**
 * One operation per vendor, for the "one operation ≤ 10 kB including the runtime" budget: the standalone
 * function of the same call as the whole-client row, over `create<Vendor>Core` (`@activation-kit/<slug>/standalone`).
 * @type {Record<string, { import: string, call: string } | undefined>}
 */
export const ONE_OPERATION = Object.fromEntries(
  VENDORS.map((v) => {
    const [, , operation, args] = /^c\.(\w+)\.(\w+)\((.*)\)$/.exec(v.call) ?? [];
    const core = v.factory.replace(/Client$/, "Core");
    return [
      v.slug,
      {
        import: `import { ${core}, ${operation} } from "@activation-kit/${v.slug}/standalone";\nconst core = ${core}(${v.options})`,
        call: `${operation}(core, ${args})`,
      },
    ];
  }),
);

/** The bundle entry of a vendor's whole client, imported from its package (or the facade): create it, make its call. */
const wholeClientEntry = (/** @type {(typeof VENDORS)[number]} */ v, from = `@activation-kit/${v.slug}`) =>
  `import { ${v.factory} } from "${from}";\nconst c = ${v.factory}(${v.options});\n${v.call}.then(console.log);\n`;

/** The bundle entry of one standalone operation. */
const oneOperationEntry = (/** @type {{ import: string, call: string }} */ one) => `${one.import};\n${one.call}.then(console.log);\n`;

/** Published packages whose tarballs are measured. */
const PACKAGES = ["core", "releva", "rudderstack", "relay42", "contacthub", "marigold-engage", "activation-kit"];

// ---------------------------------------------------------------------------------------------------------------

/**
 * Resolves `@activation-kit/*` and `activation-kit` imports to the TypeScript source of the entry their exports map
 * names (`./dist/x.js` → `src/x.ts`), so the breakdown below can tell runtime, validation and generated code
 * apart. The published build is the same code, one ES module per entry (scripts/build-package.mjs); bundlers
 * tree-shake it alike (checked by `sourceAndDistAgree` in tests/unit/size-budgets.test.ts).
 * @type {import("esbuild").Plugin}
 */
const fromSources = {
  name: "activation-kit-sources",
  setup(build) {
    const packages = new Map(
      readdirSync(join(root, "packages"))
        .map((d) => join(root, "packages", d))
        .map((dir) => {
          try {
            return [JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name, dir];
          } catch {
            return undefined;
          }
        })
        .filter((x) => x !== undefined),
    );
    build.onResolve({ filter: /^(@activation-kit\/[^/]+|activation-kit)(\/.*)?$/ }, (args) => {
      const [, name, sub = ""] = /^(@activation-kit\/[^/]+|activation-kit)(\/.*)?$/.exec(args.path) ?? [];
      const dir = packages.get(name);
      if (!dir) return undefined;
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      const target = manifest.exports?.[`.${sub}`];
      const js = typeof target === "string" ? target : target?.default;
      if (typeof js !== "string" || !js.endsWith(".js")) return undefined;
      return { path: join(dir, js.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts")) };
    });
  },
};

/** Bundles `contents` as a browser ESM entry; returns initial/lazy sizes and per-input minified bytes. */
export async function bundle(contents, { sources = true, without = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "ak-size-"));
  try {
    const entry = join(dir, "entry.js");
    writeFileSync(entry, contents);
    const result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      splitting: true,
      outdir: join(dir, "out"),
      write: false,
      metafile: true,
      logLevel: "silent",
      absWorkingDir: dir,
      // Resolve workspace packages the way an app depending on the facade would.
      nodePaths: [join(root, "node_modules"), join(root, "packages/activation-kit/node_modules")],
      plugins: sources ? [fromSources, ...(without.length ? [leaveOut(without)] : [])] : [],
    });
    const files = new Map(result.outputFiles.map((f) => [relative(dir, f.path), f.contents]));
    const outputs = result.metafile.outputs;
    // Dynamic imports are entry points of their own chunks too: the page loads the one built from entry.js.
    const entryOut = Object.keys(outputs).find((o) => outputs[o].entryPoint?.endsWith("entry.js"));
    if (!entryOut) throw new Error("esbuild produced no entry chunk");
    const initial = new Set();
    const visit = (o) => {
      if (initial.has(o)) return;
      initial.add(o);
      for (const imp of outputs[o].imports) if (imp.kind === "import-statement" && outputs[imp.path]) visit(imp.path);
    };
    visit(entryOut);
    const sizeOf = (names) => {
      let min = 0;
      let gzip = 0;
      for (const n of names) {
        const bytes = files.get(n);
        if (!bytes) continue;
        min += bytes.byteLength;
        gzip += gzipSync(bytes, { level: 9 }).byteLength;
      }
      return { min, gzip };
    };
    const chunks = Object.keys(outputs).filter((o) => o.endsWith(".js"));
    const inputs = {};
    for (const o of initial) {
      for (const [path, info] of Object.entries(outputs[o].inputs)) inputs[path] = (inputs[path] ?? 0) + info.bytesInOutput;
    }
    return {
      initial: sizeOf([...initial]),
      lazy: sizeOf(chunks.filter((c) => !initial.has(c))),
      inputs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Which part of the code a bundled input file belongs to. */
function partOf(path) {
  const p = path.replace(/\\/g, "/");
  if (/openapi-fetch/.test(p)) return "openapi-fetch";
  if (/\/core\/src\/(validation|validator|schema)/.test(p)) return "core: validation";
  if (/\/core\/src\//.test(p)) return "core: runtime";
  if (/\/src\/generated\/(schemas|validators)\./.test(p)) return "generated: schemas";
  if (/\/src\/generated\/response-schemas\./.test(p)) return "generated: response schemas";
  if (/\/src\/generated\/operations\./.test(p)) return "generated: operations";
  if (/\/src\/generated\/(client|functions)\./.test(p)) return "generated: client";
  if (/\/src\/generated\//.test(p)) return "generated: other";
  if (/entry\.js$/.test(p)) return "entry";
  return "vendor: hand-written";
}

function breakdown(inputs) {
  const parts = {};
  for (const [path, bytes] of Object.entries(inputs)) parts[partOf(path)] = (parts[partOf(path)] ?? 0) + bytes;
  return parts;
}

const RUNTIME_ONLY_ENTRY = `
import { createRuntime } from "@activation-kit/core";
const rt = createRuntime({
  spec: { slug: "x", title: "X", version: "1", servers: [{ url: "https://api.example.test" }], securitySchemes: {},
    policy: { retry: { maxRetries: 2, initialDelayMs: 500, maxDelayMs: 8000, retryStatuses: [429, 503] }, neverRetryStatuses: [401, 403] } },
  operations: { ping: { operationId: "ping", method: "get", path: "/ping", tag: "x", summary: "", deprecated: false,
    provenance: "documented", idempotent: true, parseAs: "json", successStatuses: [200], errorStatuses: [], security: [],
    pathParams: [], queryParams: [], headerParams: [], extensions: {} } },
});
rt.call("ping").then(console.log);
`;

export async function measureBundles() {
  const rows = [];
  const runtime = await bundle(RUNTIME_ONLY_ENTRY);
  rows.push({ name: "runtime only (@activation-kit/core, one hand-written operation)", ...runtime, parts: breakdown(runtime.inputs) });
  for (const v of VENDORS) {
    const b = await bundle(wholeClientEntry(v));
    rows.push({ name: `${v.slug}: whole client`, slug: v.slug, kind: "whole", ...b, parts: breakdown(b.inputs), budget: BUDGETS.wholeClientGzip[v.slug] });
    const one = ONE_OPERATION[v.slug];
    if (one) {
      const o = await bundle(oneOperationEntry(one));
      rows.push({ name: `${v.slug}: one operation`, slug: v.slug, kind: "one", ...o, parts: breakdown(o.inputs), budget: BUDGETS.oneOperationGzip });
    } else {
      rows.push({ name: `${v.slug}: one operation`, slug: v.slug, kind: "one", pending: "no standalone operation functions yet", budget: BUDGETS.oneOperationGzip });
    }
  }
  const releva = VENDORS[0];
  const facadeOne = await bundle(wholeClientEntry(releva, "activation-kit"));
  rows.push({ name: "facade: activation-kit, Releva only", kind: "facade", ...facadeOne, parts: breakdown(facadeOne.inputs) });
  const facadeAll = await bundle(`import * as ak from "activation-kit";\nglobalThis.ak = ak;\n`);
  rows.push({ name: "facade: activation-kit, everything", kind: "facade", ...facadeAll, parts: breakdown(facadeAll.inputs) });
  for (const r of rows) delete r.inputs;
  return rows;
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Stand-ins for core's modules, for the floor rows: each keeps the exports the rest of core imports and does
 * nothing (an object whose every method returns its first argument, a function that accepts everything). They are
 * never shipped or run; they only tell what a one-operation bundle would weigh if that part of the runtime were gone.
 */
const NOTHING = "new Proxy({}, { get: () => (x) => x })";
const STAND_INS = {
  "observe.ts": `export class Observer { constructor() { return ${NOTHING}; } }`,
  "rate-limit.ts": `export class RateLimiter { constructor() { return ${NOTHING}; } } export const costOf = () => 1; export const jsonPointer = () => undefined;`,
  "redact.ts": `export const REDACTED = "[REDACTED]"; export class Redactor { constructor() { return ${NOTHING}; } }`,
  "query.ts": `export const serializeQuery = () => "";`,
  "envelope.ts": `import { ActivationApiError } from "./errors.js"; export class ResultCodeError extends ActivationApiError {} export const checkEnvelope = () => {};`,
  "response-check.ts": `export const checkResponse = async () => {};`,
  "validation.ts": `export const lazySchema = () => () => true; export const schemaErrors = () => []; export const validateRequest = () => {}; export const validateResponse = () => {}; export const responseSchemasFor = async () => undefined; export const fieldName = (p) => p;`,
};

/** @param {string[]} files core source files (`observe.ts` …) replaced by their stand-ins */
function leaveOut(files) {
  return {
    name: "activation-kit-leave-out",
    setup(build) {
      build.onLoad({ filter: /[\\/]core[\\/]src[\\/][\w-]+\.ts$/ }, (args) => {
        const file = args.path.split(/[\\/]/).pop();
        return file && files.includes(file) ? { contents: STAND_INS[file], loader: "ts" } : undefined;
      });
    },
  };
}

const OPTIONAL_PARTS = ["observe.ts", "rate-limit.ts", "redact.ts", "query.ts", "envelope.ts", "response-check.ts"];

/** What each floor row leaves out of the runtime, cumulatively. */
export const FLOOR_LEVELS = [
  { name: "as shipped", without: [] },
  { name: "without the parts (1)", without: OPTIONAL_PARTS },
  { name: "without the parts (1) and request validation (2)", without: [...OPTIONAL_PARTS, "validation.ts"] },
];
const FLOOR_NOTES = [
  "(1) logging and hooks, rate limiting, credential redaction, query strings, result envelopes, response checks",
  "(2) the schema validator and its formats (the generated schemas stay)",
];

/**
 * The one-operation rows and the budgeted whole clients at each of FLOOR_LEVELS: how much of each budget the parts
 * of the runtime that remain (request building, the attempt loop with retries and timeouts, typed errors, auth)
 * already take.
 */
export async function measureFloor(shipped = []) {
  const rows = [];
  // The "as shipped" level is the bundles section's rows; reused when that section ran in the same call.
  const measure = async (level, slug, kind, entry) =>
    (level.without.length === 0 ? shipped.find((r) => r.slug === slug && r.kind === kind && !r.pending)?.initial : undefined) ??
    (await bundle(entry, { without: level.without })).initial;
  for (const level of FLOOR_LEVELS) {
    for (const v of VENDORS) {
      const one = ONE_OPERATION[v.slug];
      if (one) {
        rows.push({ level: level.name, slug: v.slug, kind: "one", initial: await measure(level, v.slug, "one", oneOperationEntry(one)), budget: BUDGETS.oneOperationGzip });
      }
      const wholeBudget = BUDGETS.wholeClientGzip[v.slug];
      if (wholeBudget !== undefined) {
        rows.push({ level: level.name, slug: v.slug, kind: "whole", initial: await measure(level, v.slug, "whole", wholeClientEntry(v)), budget: wholeBudget });
      }
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------------------

/** Regular files in a .tgz and their sizes (ustar headers; pnpm pack writes no long-name extensions we need). */
function tarEntries(tgz) {
  const tar = gunzipSync(tgz);
  const out = [];
  for (let off = 0; off + 512 <= tar.length; ) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const str = (a, b) => header.subarray(a, b).toString("utf8").replace(/\0.*$/s, "");
    const name = (str(345, 500) ? `${str(345, 500)}/` : "") + str(0, 100);
    const size = parseInt(str(124, 136).trim() || "0", 8);
    const type = String.fromCharCode(header[156] || 48);
    if (type === "0" || type === "\0") out.push({ name, size });
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

function kindOf(name) {
  if (name.endsWith(".map")) return "maps";
  if (name.endsWith(".d.ts")) return ".d.ts";
  if (name.endsWith("openapi.json")) return "openapi.json";
  if (name.endsWith(".js")) return ".js";
  return "other";
}

export function measureTarballs() {
  const dir = mkdtempSync(join(tmpdir(), "ak-pack-"));
  try {
    const rows = [];
    for (const pkg of PACKAGES) {
      const cwd = join(root, "packages", pkg);
      execFileSync("pnpm", ["pack", "--pack-destination", dir], { cwd, stdio: ["ignore", "pipe", "pipe"] });
      const tgz = readdirSync(dir).find((f) => f.endsWith(".tgz"));
      if (!tgz) throw new Error(`pnpm pack wrote no tarball for ${pkg}`);
      const bytes = readFileSync(join(dir, tgz));
      rmSync(join(dir, tgz));
      const entries = tarEntries(bytes);
      const byKind = {};
      for (const e of entries) byKind[kindOf(e.name)] = (byKind[kindOf(e.name)] ?? 0) + e.size;
      const unpacked = entries.reduce((n, e) => n + e.size, 0);
      const largest = [...entries].sort((a, b) => b.size - a.size).slice(0, 4).map((e) => ({ name: e.name.replace(/^package\//, ""), size: e.size }));
      rows.push({
        name: pkg === "activation-kit" ? "activation-kit" : `@activation-kit/${pkg}`,
        slug: pkg,
        packed: bytes.byteLength,
        unpacked,
        unpackedWithoutMaps: unpacked - (byKind.maps ?? 0),
        byKind,
        largest,
        budget: BUDGETS.unpacked[pkg],
      });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------

function filesUnder(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) filesUnder(p, out);
    else if (p.endsWith(".js") || p.endsWith(".json")) out.push(p);
  }
  return out;
}

/** Drops a package's files from the OS page cache (GNU dd; a per-file advice, no privileges needed). */
function evict(dirs) {
  let ok = true;
  for (const d of dirs) {
    for (const f of filesUnder(d)) {
      const r = spawnSync("dd", [`if=${f}`, "iflag=nocache", "count=0", "status=none"], { stdio: "ignore" });
      if (r.status !== 0) ok = false;
    }
  }
  return ok;
}

/** One fresh process: the ESM loader is warmed on an empty module first, then only the package import is timed. */
function importOnce(specifier, empty) {
  const code =
    `await import(${JSON.stringify(empty)});` +
    `const t = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - t));`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], { cwd: join(root, "packages/activation-kit"), encoding: "utf8" });
  if (r.status !== 0) throw new Error(`import ${specifier} failed: ${r.stderr}`);
  return Number(r.stdout);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export function measureImports() {
  const emptyDir = mkdtempSync(join(tmpdir(), "ak-empty-"));
  const empty = join(emptyDir, "empty.mjs");
  const other = join(emptyDir, "other.mjs");
  writeFileSync(empty, "export {};\n");
  writeFileSync(other, "export {};\n");
  const emptyUrl = pathToFileURL(empty).href;
  const rows = [];
  try {
    const targets = [
      { name: "(floor) another empty ES module", specifier: pathToFileURL(other).href, dirs: [] },
      { name: "@activation-kit/core", specifier: "@activation-kit/core", dirs: ["core"] },
      ...VENDORS.map((v) => ({ name: `@activation-kit/${v.slug}`, specifier: `@activation-kit/${v.slug}`, dirs: ["core", v.slug], slug: v.slug })),
      { name: "activation-kit (facade)", specifier: "activation-kit", dirs: ["core", "activation-kit", ...VENDORS.map((v) => v.slug)] },
    ];
    const cold = targets.map((t) => {
      const dirs = t.dirs.map((d) => join(root, "packages", d, "dist"));
      if (t.dirs.length) dirs.push(join(root, "node_modules/.pnpm/node_modules/openapi-fetch/dist"));
      const evicted = evict(dirs.filter((d) => { try { return statSync(d).isDirectory(); } catch { return false; } }));
      return { ms: importOnce(t.specifier, emptyUrl), evicted };
    });
    const warm = targets.map(() => /** @type {number[]} */ ([]));
    for (let run = 0; run < IMPORT_RUNS; run++) targets.forEach((t, i) => warm[i].push(importOnce(t.specifier, emptyUrl)));
    targets.forEach((t, i) => {
      rows.push({
        name: t.name,
        slug: t.slug,
        coldMs: cold[i].ms,
        warmMs: median(warm[i]),
        bestMs: Math.min(...warm[i]),
        coldEvicted: cold[i].evicted,
        budget: t.slug ? BUDGETS.importWarmMs : undefined,
      });
    });
  } finally {
    rmSync(emptyDir, { recursive: true, force: true });
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------------------

const kb = (n) => `${(n / KB).toFixed(1)} kB`;
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

export function failuresOf(report) {
  const fails = [];
  for (const r of report.bundles ?? []) {
    if (r.budget !== undefined && !r.pending && r.initial.gzip > r.budget) fails.push(`${r.name}: ${kb(r.initial.gzip)} min+gzip > budget ${kb(r.budget)}`);
  }
  for (const r of report.tarballs ?? []) {
    if (r.budget !== undefined && r.unpacked > r.budget) fails.push(`${r.name}: unpacked ${kb(r.unpacked)} > budget ${kb(r.budget)}`);
  }
  for (const r of report.imports ?? []) {
    if (r.budget !== undefined && r.warmMs > r.budget) fails.push(`${r.name}: import ${r.warmMs.toFixed(1)} ms warm > budget ${r.budget} ms`);
  }
  return fails;
}

function print(report) {
  if (report.bundles) {
    console.log("\nBundles (esbuild --bundle --minify --format=esm --platform=browser --splitting; initial load)");
    console.log(`${pad("", 58)}${lpad("min", 10)}${lpad("min+gzip", 11)}${lpad("budget", 10)}${lpad("lazy min", 11)}`);
    for (const r of report.bundles) {
      if (r.pending) {
        console.log(`${pad(r.name, 58)}${lpad("—", 10)}${lpad("—", 11)}${lpad(kb(r.budget), 10)}  (${r.pending})`);
        continue;
      }
      const over = r.budget !== undefined && r.initial.gzip > r.budget ? "  OVER" : "";
      console.log(
        `${pad(r.name, 58)}${lpad(kb(r.initial.min), 10)}${lpad(kb(r.initial.gzip), 11)}${lpad(r.budget ? kb(r.budget) : "", 10)}${lpad(r.lazy.min ? kb(r.lazy.min) : "", 11)}${over}`,
      );
      const parts = Object.entries(r.parts).sort((a, b) => b[1] - a[1]);
      console.log(`${pad("", 4)}${parts.map(([k, v]) => `${k} ${kb(v)} (${((100 * v) / r.initial.min).toFixed(0)} %)`).join(", ")}`);
    }
  }
  if (report.floor) {
    console.log(`\nFloor: one operation and whole clients with parts of the runtime left out (min+gzip of the initial load; the parts are replaced by stand-ins that do nothing, never shipped)`);
    const columns = report.floor
      .filter((r) => r.level === FLOOR_LEVELS[0].name)
      .map((r) => ({ slug: r.slug, kind: r.kind, head: `${r.slug}${r.kind === "whole" ? " whole" : ""}`, budget: r.budget }));
    console.log(`${pad("", 50)}${columns.map((c) => lpad(c.head, 18)).join("")}`);
    console.log(`${pad("budget", 50)}${columns.map((c) => lpad(kb(c.budget), 18)).join("")}`);
    for (const level of FLOOR_LEVELS) {
      const cells = columns.map((c) => report.floor.find((r) => r.level === level.name && r.slug === c.slug && r.kind === c.kind)).map((r) => lpad(r ? kb(r.initial.gzip) : "—", 18));
      console.log(`${pad(level.name, 50)}${cells.join("")}`);
    }
    for (const note of FLOOR_NOTES) console.log(`  ${note}`);
  }
  if (report.tarballs) {
    console.log("\nTarballs (pnpm pack; unpacked = sum of file sizes)");
    console.log(`${pad("", 32)}${lpad("packed", 10)}${lpad("unpacked", 11)}${lpad("no maps", 10)}${lpad("budget", 10)}  by kind`);
    for (const r of report.tarballs) {
      const over = r.budget !== undefined && r.unpacked > r.budget ? "  OVER" : "";
      const kinds = Object.entries(r.byKind).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${kb(v)}`).join(", ");
      console.log(`${pad(r.name, 32)}${lpad(kb(r.packed), 10)}${lpad(kb(r.unpacked), 11)}${lpad(kb(r.unpackedWithoutMaps), 10)}${lpad(r.budget ? kb(r.budget) : "", 10)}  ${kinds}${over}`);
    }
  }
  if (report.imports) {
    console.log(`\nImport time in Node ${process.version} (await import() in a fresh process; warm = median of ${IMPORT_RUNS}, best = fastest of them)`);
    console.log(`${pad("", 34)}${lpad("cold", 10)}${lpad("warm", 10)}${lpad("best", 10)}${lpad("budget", 10)}`);
    for (const r of report.imports) {
      const over = r.budget !== undefined && r.warmMs > r.budget ? "  OVER" : "";
      console.log(`${pad(r.name, 34)}${lpad(`${r.coldMs.toFixed(1)} ms`, 10)}${lpad(`${r.warmMs.toFixed(1)} ms`, 10)}${lpad(`${r.bestMs.toFixed(1)} ms`, 10)}${lpad(r.budget ? `${r.budget} ms` : "", 10)}${r.coldEvicted ? "" : "  (cold: page cache not evicted)"}${over}`);
    }
  }
}

async function main() {
  const args = process.argv.slice(2);
  const sections = args.filter((a) => !a.startsWith("--"));
  const want = (s) => sections.length === 0 || sections.includes(s);
  const report = {};
  if (want("bundles")) report.bundles = await measureBundles();
  if (want("floor")) report.floor = await measureFloor(report.bundles);
  if (want("tarballs")) report.tarballs = measureTarballs();
  if (want("import")) report.imports = measureImports();
  const fails = failuresOf(report);
  if (args.includes("--json")) console.log(JSON.stringify({ ...report, failures: fails }, null, 2));
  else {
    print(report);
    console.log(fails.length ? `\nOver budget:\n${fails.map((f) => `  - ${f}`).join("\n")}` : "\nAll measured rows within budget.");
  }
  if (fails.length && !args.includes("--no-budgets")) process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
