/**
 * The consumer matrix: fresh projects install the published packages from the local registry with npm (the facade
 * alone; a vendor package alone) and run the smoke plan (scripts/release/consumer.mjs: one call per vendor
 * against its Prism mock, one request refused before sending and caught by class) on every runtime users have:
 * Node 20, 22 and 24 as ESM and through require(), TypeScript (nodenext ESM and CommonJS, bundler), Bun, Deno and
 * a browser (an esbuild bundle in headless Chromium). attw and publint check every published tarball.
 */
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { installConsumer, smokePlan, writeSmokeSources, type SmokeTarget } from "../../scripts/release/consumer.mjs";
import { registryGet } from "../../scripts/release/publish.mjs";
import { writeNpmrc } from "../../scripts/release/registry.mjs";
import { repoRoot, vendorPackages, workspacePackages } from "../../scripts/release/workspace.mjs";

const exec = promisify(execFile);
const release = inject("release");
const packages = workspacePackages(release.scratch);
const publishable = packages.filter((p) => !p.private);
const vendors = vendorPackages(release.scratch);
const plan = smokePlan(release.scratch, vendors);
const versionOf = (name: string) => packages.find((p) => p.name === name)!.version;
// The facade: the published package that has a subpath export for every vendor.
const facade = publishable.find((p) => vendors.every((v) => p.manifest.exports?.[`./${v.slug}`]))!;
// A vendor package installed alone. Every vendor package works alone (issue 9 §5): each one is checked
// end to end, each alone, including catching the validation error by the class the vendor package itself exports.
const SINGLE_VENDORS = ["relay42", "rudderstack", "contacthub", "releva", "marigold-engage"];
const registry = { url: release.registryUrl, writeNpmrc: (dir: string) => writeNpmrc(dir, release.registryUrl, release.registryToken) };
const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");

type Outcome = { consumer: string; runtime: string; ok: boolean; seconds: number; detail: string };
const outcomes: Outcome[] = [];

/** Runs one matrix cell and records it for the summary. */
async function cell(consumer: string, runtime: string, job: () => Promise<string>) {
  const started = performance.now();
  let detail = "";
  let ok = false;
  try {
    detail = await job();
    ok = true;
    return detail;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message?: string };
    detail = [err.message, err.stdout, err.stderr].filter(Boolean).join("\n").slice(0, 4000);
    throw new Error(`${consumer} / ${runtime} failed:\n${detail}`);
  } finally {
    outcomes.push({ consumer, runtime, ok, seconds: Math.round((performance.now() - started) / 100) / 10, detail: detail.split("\n").at(-1) ?? "" });
  }
}

const run = async (file: string, args: string[], cwd: string) => (await exec(file, args, { cwd, maxBuffer: 16 << 20, env: { ...process.env, NO_COLOR: "1" } })).stdout.trim();

const dirs = { facade: join(release.work, "consumer-facade"), vendors: {} as Record<string, string> };
const facadeTarget: SmokeTarget = { kind: "facade", facade: facade.name, calls: plan, baseUrls: release.mockUrls };
const vendorTargets = Object.fromEntries(
  SINGLE_VENDORS.map((slug) => [slug, { kind: "vendor", facade: facade.name, calls: plan.filter((c) => c.slug === slug), baseUrls: release.mockUrls } as SmokeTarget]),
);
let mistakes: { line: number; code: number | number[] }[] = [];

beforeAll(async () => {
  // Every @activation-kit package pinned to what global-setup published, so a later publish (lifecycle test)
  // cannot change what this matrix runs.
  const pins = Object.fromEntries(publishable.map((p) => [p.name, p.version]));
  const installs = [
    installConsumer({ dir: dirs.facade, dependencies: { [facade.name]: facade.version }, registry, npmCache: release.npmCache, overrides: pins }),
    ...SINGLE_VENDORS.map((slug) => {
      const pkg = vendors.find((v) => v.slug === slug)!.pkg;
      dirs.vendors[slug] = join(release.work, `consumer-${slug}`);
      return installConsumer({ dir: dirs.vendors[slug], dependencies: { [pkg.name]: pkg.version }, registry, npmCache: release.npmCache, overrides: pins });
    }),
  ];
  await Promise.all(installs);
  mistakes = writeSmokeSources(dirs.facade, facadeTarget).mistakes;
  for (const slug of SINGLE_VENDORS) writeSmokeSources(dirs.vendors[slug], vendorTargets[slug]);
  writeTsConfigs(dirs.facade);
  for (const slug of SINGLE_VENDORS) writeTsConfigs(dirs.vendors[slug]);
}, 300_000);

afterAll(() => {
  const width = Math.max(...outcomes.map((o) => o.runtime.length));
  console.log(
    ["consumer matrix (installed from the local registry):"]
      .concat(outcomes.map((o) => `  ${o.ok ? "pass" : "FAIL"}  ${o.consumer.padEnd(28)} ${o.runtime.padEnd(width)}  ${String(o.seconds).padStart(5)}s  ${o.ok ? o.detail : ""}`))
      .join("\n"),
  );
});

function writeTsConfigs(dir: string) {
  const strict = { strict: true, target: "ES2022", lib: ["ES2022", "DOM"], types: [], skipLibCheck: false, noEmit: true };
  const write = (name: string, compilerOptions: object, files: string[]) => writeFileSync(join(dir, name), JSON.stringify({ compilerOptions, files }, null, 2));
  write("tsconfig.nodenext.json", { ...strict, module: "nodenext", moduleResolution: "nodenext" }, ["smoke.ts"]);
  write("tsconfig.bundler.json", { ...strict, module: "preserve", moduleResolution: "bundler" }, ["smoke.ts"]);
  write("tsconfig.mistake.json", { ...strict, module: "nodenext", moduleResolution: "nodenext" }, ["mistake.ts"]);
  // CommonJS TypeScript: a .cts file compiled with module nodenext must type-check AND run.
  const ts = readFileSync(join(dir, "smoke.ts"), "utf8");
  const calls = [...ts.matchAll(/export async function (call\d+)/g)].map((m) => m[1]);
  writeFileSync(join(dir, "smoke-cjs.cts"), `${ts}\nPromise.all([${calls.map((c) => `${c}()`).join(", ")}]).then((r) => console.log("typescript commonjs: " + r.length + " call(s) ok on node " + process.version), (e) => { console.error(e); process.exit(1); });\ndeclare const process: { version: string; exit(code: number): never };\n`);
  write("tsconfig.cjs.json", { ...strict, types: [], module: "nodenext", moduleResolution: "nodenext", noEmit: false, outDir: "out" }, ["smoke-cjs.cts"]);
}

describe.concurrent(`consumer: ${facade?.name} alone`, () => {
  for (const runtime of ["node 20", "node 22", "node 24"]) {
    it(`${runtime} ESM`, () => cell("facade", `${runtime} ESM`, async () => {
      const out = await run(release.runtimes[runtime], ["smoke.mjs"], dirs.facade);
      expect(out).toMatch(new RegExp(`smoke passed on node v${runtime.split(" ")[1]}\\.\\d+\\.\\d+: ${plan.length} call\\(s\\), 1 validation error caught by class`));
      return out;
    }));
    it(`${runtime} require()`, () => cell("facade", `${runtime} require()`, async () => {
      const out = await run(release.runtimes[runtime], ["smoke.cjs"], dirs.facade);
      expect(out).toMatch(/smoke passed \(require\) on node v\d+/);
      expect(out).not.toMatch(/ExperimentalWarning/);
      return out;
    }));
  }

  it("bun", () => cell("facade", "bun", async () => {
    const out = await run(release.runtimes.bun, ["smoke.mjs"], dirs.facade);
    expect(out).toMatch(/smoke passed on bun \d/);
    return out;
  }));

  it("deno", () => cell("facade", "deno", async () => {
    const out = await run(release.runtimes.deno, ["run", "-A", "--no-lock", "--node-modules-dir=manual", "smoke.mjs"], dirs.facade);
    expect(out).toMatch(/smoke passed on deno \d/);
    return out;
  }));

  it("typescript strict, module nodenext (ESM)", () => cell("facade", "typescript nodenext ESM", async () => {
    await run(process.execPath, [tsc, "-p", "tsconfig.nodenext.json"], dirs.facade);
    return "type-checks";
  }));

  it("typescript strict, moduleResolution bundler", () => cell("facade", "typescript bundler", async () => {
    await run(process.execPath, [tsc, "-p", "tsconfig.bundler.json"], dirs.facade);
    return "type-checks";
  }));

  it("typescript strict, module nodenext (CommonJS .cts): compiles and runs", () => cell("facade", "typescript nodenext CommonJS", async () => {
    await run(process.execPath, [tsc, "-p", "tsconfig.cjs.json"], dirs.facade);
    const out = await run(process.execPath, ["out/smoke-cjs.cjs"], dirs.facade);
    expect(out).toMatch(new RegExp(`typescript commonjs: ${plan.length} call\\(s\\) ok`));
    return out;
  }));

  it("typescript: a file with known mistakes does not compile", () => cell("facade", "typescript known mistakes", async () => {
    const failed = await exec(process.execPath, [tsc, "-p", "tsconfig.mistake.json"], { cwd: dirs.facade }).then(
      () => undefined,
      (e: { stdout: string }) => e.stdout,
    );
    expect(failed, "mistake.ts compiled").toBeDefined();
    for (const m of mistakes) {
      const codes = Array.isArray(m.code) ? m.code : [m.code];
      expect(failed).toMatch(new RegExp(`mistake\\.ts\\(${m.line},\\d+\\): error TS(${codes.join("|")})`));
    }
    return `rejected: ${failed!.split("\n").filter((l) => l.includes("error TS")).length} error(s)`;
  }));

  it("browser: esbuild bundle in headless Chromium", () => cell("facade", "browser (chromium, esbuild)", async () => {
    const outfile = join(dirs.facade, "public", "bundle.js");
    const result = await build({
      entryPoints: [join(dirs.facade, "browser-entry.mjs")],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      outfile,
      logLevel: "silent",
      metafile: true,
    });
    const nodeBuiltins = Object.keys(result.metafile.inputs).filter((f) => f.startsWith("node:"));
    expect(nodeBuiltins).toEqual([]);
    writeFileSync(join(dirs.facade, "public", "index.html"), `<!doctype html><meta charset="utf-8"><script type="module" src="./bundle.js"></script>`);
    const server = createServer((req, res) => {
      const file = req.url === "/bundle.js" ? "bundle.js" : "index.html";
      res.writeHead(200, { "content-type": file.endsWith(".js") ? "text/javascript" : "text/html" });
      res.end(readFileSync(join(dirs.facade, "public", file)));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    const profile = join(release.work, `chromium-profile-${Date.now()}`);
    mkdirSync(profile);
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: release.chromium,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForFunction(() => (window as any).smoke !== undefined, undefined, { timeout: 30_000 });
      const outcome = await page.evaluate(async () => {
        try {
          return { ok: true, ...(await (window as any).smoke) };
        } catch (e) {
          return { ok: false, error: String(e) };
        }
      });
      expect(errors).toEqual([]);
      expect(outcome).toMatchObject({ ok: true });
      expect(outcome.summary).toMatch(new RegExp(`smoke passed on browser Chrom\\w+/[\\d.]+: ${plan.length} call\\(s\\), 1 validation error caught by class`));
      return `${outcome.summary} (bundle ${Math.round(Object.values(result.metafile.outputs)[0].bytes / 1024)} KiB)`;
    } finally {
      await browser.close();
      server.close();
    }
  }));
});

describe.concurrent("consumer: a vendor package alone", () => {
  for (const slug of SINGLE_VENDORS) {
    it(`@activation-kit/${slug}: node 20 ESM`, () => cell(`@activation-kit/${slug}`, "node 20 ESM", async () => {
      const out = await run(release.runtimes["node 20"], ["smoke.mjs"], dirs.vendors[slug]);
      expect(out).toMatch(/smoke passed on node v20\.\d+\.\d+: 1 call\(s\)/);
      expect(out).toMatch(/1 validation error caught by class/);
      return out;
    }));
    it(`@activation-kit/${slug}: node 20 require()`, () => cell(`@activation-kit/${slug}`, "node 20 require()", async () => {
      const out = await run(release.runtimes["node 20"], ["smoke.cjs"], dirs.vendors[slug]);
      expect(out).toMatch(/smoke passed \(require\) on node v20/);
      return out;
    }));
    it(`@activation-kit/${slug}: typescript nodenext`, () => cell(`@activation-kit/${slug}`, "typescript nodenext ESM", async () => {
      await run(process.execPath, [tsc, "-p", "tsconfig.nodenext.json"], dirs.vendors[slug]);
      return "type-checks";
    }));
  }
});

describe.concurrent("published tarballs: attw and publint", () => {
  for (const p of publishable) {
    it(`${p.name}: attw (node16, bundler) and publint --strict`, () => cell(p.name, "attw + publint", async () => {
      const doc = (await (await registryGet(`${release.registryUrl}${p.name.replace("/", "%2f")}`)).json()) as Record<string, any>;
      const tarball = Buffer.from(await (await registryGet(doc.versions[versionOf(p.name)].dist.tarball)).arrayBuffer());
      const file = join(release.work, `${p.name.replace(/[@/]/g, "_")}.tgz`);
      writeFileSync(file, tarball);
      const attw = join(repoRoot, "node_modules", ".bin", "attw");
      const publint = join(repoRoot, "node_modules", ".bin", "publint");
      // cjs-resolves-to-esm: the packages are ESM-only and Node >= 20.19 require()s them (checked above on 20, 22
      // and 24, and by TypeScript 5.9 with module nodenext); attw bundles TypeScript 5.6, which predates that.
      const attwOut = await run(attw, [file, "--profile", "node16", "--ignore-rules", "cjs-resolves-to-esm", "--no-definitely-typed", "--format", "ascii", "--no-color"], release.work);
      const publintOut = await run(publint, ["run", file, "--strict"], release.work);
      expect(publintOut).toMatch(/All good!/);
      const ignored = attwOut.includes("(ignored") ? " (node10 resolution not checked)" : "";
      return `attw --profile node16: no problems${ignored}; publint --strict: all good`;
    }));
  }
});
