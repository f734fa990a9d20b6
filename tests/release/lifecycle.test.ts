/**
 * "The vendor changed its API", end to end. Starting from the release global-setup.ts published (its tags are the
 * last releases), a scratch copy gets three fixture edits to one vendor's spec, one release each:
 *   1. a description fixed ......................................... API patch → package patch
 *   2. an optional response field added ............................ API minor → package patch (0.x)
 *   3. a required request field added and an operation removed .... API major → package minor (0.x)
 * Each time: regenerate, `api:diff` (Redocly + policy + compile check of the released README/tests), the gate
 * failing before `api:changeset` and passing after, build, `changeset version`, `changeset publish` to the local
 * registry, install the new version in a fresh consumer and look at what changed. The facade follows each bump.
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse, stringify } from "yaml";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { analyze, formatReport } from "../../scripts/api-diff.mjs";
import { checkChangesets, writeApiChangesets } from "../../scripts/api-changeset.mjs";
import { installConsumer } from "../../scripts/release/consumer.mjs";
import { publishToLocalRegistry, versionPackages } from "../../scripts/release/publish.mjs";
import { writeNpmrc } from "../../scripts/release/registry.mjs";
import { createScratchCopy, git } from "../../scripts/release/scratch.mjs";
import { bumpVersion, parseVersion } from "../../scripts/release/versions.mjs";
import { vendorPackages, workspacePackages } from "../../scripts/release/workspace.mjs";

const exec = promisify(execFile);
const release = inject("release");
const dir = join(release.work, "lifecycle");
const registry = { url: release.registryUrl, writeNpmrc: (d: string) => writeNpmrc(d, release.registryUrl, release.registryToken) };
const METHODS = ["get", "post", "put", "patch", "delete"];
type Json = Record<string, any>;

/**
 * The vendor the scenario edits: the smallest single-file spec with two operations or more, one of which takes a
 * JSON object body and answers a JSON object.
 */
function pickVendor() {
  const candidates = vendorPackages(release.scratch)
    .map((v) => ({ ...v, spec: parse(readFileSync(v.specRoot, "utf8")) as Json, size: readFileSync(v.specRoot).length }))
    .filter((v) => !JSON.stringify(v.spec).includes('"$ref":"./') && !JSON.stringify(v.spec).includes('"$ref":"../'))
    .sort((a, b) => a.size - b.size);
  for (const v of candidates) {
    const ops = Object.entries<Json>(v.spec.paths).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((m) => ({ path, method: m, op: item[m] as Json })));
    const target = ops.find((o) => o.op.requestBody?.content?.["application/json"] && Object.entries<Json>(o.op.responses).some(([s, r]) => s.startsWith("2") && r.content?.["application/json"]));
    const other = ops.find((o) => o !== target);
    if (target && other) return { ...v, target, other };
  }
  throw new Error("no vendor spec fits the lifecycle scenario");
}
const vendor = pickVendor();
const facade = workspacePackages(release.scratch).find((p) => !p.private && p.manifest.dependencies?.[vendor.pkg.name] && p.manifest.exports?.[`./${vendor.slug}`])!;

/** Follows a local `$ref` to the schema object that holds the properties. */
function schemaAt(doc: Json, schema: Json): Json {
  let cur = schema;
  while (cur?.$ref) cur = cur.$ref.slice(2).split("/").reduce((o: Json, k: string) => o[k], doc);
  return cur;
}

function editSpec(edit: (doc: Json) => void) {
  const file = join(dir, vendor.specRoot.slice(vendor.specRoot.indexOf("/specs/") + 1));
  const doc = parse(readFileSync(file, "utf8")) as Json;
  edit(doc);
  writeFileSync(file, stringify(doc, { lineWidth: 0 }));
}

const versionIn = (name: string) => workspacePackages(dir).find((p) => p.name === name)!.version;

async function releaseCycle(label: string, edit: (doc: Json) => void) {
  editSpec(edit);
  await exec(process.execPath, ["generators/src/cli.mjs", vendor.slug], { cwd: dir });
  const analysis = await analyze({ root: dir, only: [vendor.slug] });
  const report = analysis.vendors[0];
  const text = formatReport(analysis);
  const gateBefore = await checkChangesets({ root: dir, analysis });
  await writeApiChangesets({ root: dir, only: [vendor.slug], analysis, log: () => {} });
  const changeset = readFileSync(join(dir, ".changeset", `api-${vendor.slug}.md`), "utf8");
  const gateAfter = await checkChangesets({ root: dir, analysis });
  for (const p of [vendor.pkg, facade]) await exec("pnpm", ["run", "build"], { cwd: join(dir, p.relDir) });
  git(dir, "add", "-A");
  git(dir, "commit", "--quiet", "-m", `${vendor.slug}: ${label}`);
  const before = { vendor: versionIn(vendor.pkg.name), facade: versionIn(facade.name) };
  const bumped = await versionPackages(dir);
  const npmrc = registry.writeNpmrc(join(release.work));
  const { published } = await publishToLocalRegistry({ dir, registryUrl: release.registryUrl, npmrc });
  const after = { vendor: versionIn(vendor.pkg.name), facade: versionIn(facade.name) };
  const consumer = await installConsumer({
    dir: join(release.work, `lifecycle-consumer-${after.vendor}`),
    dependencies: { [facade.name]: after.facade },
    registry,
    npmCache: release.npmCache,
  });
  const installed = (file: string) => readFileSync(join(consumer, "node_modules", vendor.pkg.name, file), "utf8");
  const changelog = readFileSync(join(dir, vendor.pkg.relDir, "CHANGELOG.md"), "utf8");
  console.log(`lifecycle ${label}:\n${text}\n  published: ${published.join(", ")}`);
  return { report, text, gateBefore, gateAfter, changeset, before, after, bumped, published, installed, changelog, consumer };
}

describe(`the vendor changed its API (${vendor.slug}, then ${facade?.name})`, () => {
  beforeAll(async () => {
    await createScratchCopy({ from: release.scratch, dir });
  }, 300_000);

  it("starts from the release global-setup published: its tags are the last releases", () => {
    const tags = git(dir, "tag", "--list").split("\n");
    expect(tags).toContain(`${vendor.pkg.name}@${versionIn(vendor.pkg.name)}`);
    expect(tags).toContain(`${facade.name}@${versionIn(facade.name)}`);
  });

  it("1. a description fixed: patch, released as a patch", async () => {
    const r = await releaseCycle("description fixed", (doc) => {
      doc.paths[vendor.target.path][vendor.target.method].description += " Fixed wording (lifecycle test).";
    });
    expect(r.report.impact).toBe("patch");
    expect(r.report.changes).toEqual([expect.objectContaining({ impact: "patch", what: "description changed", operation: expect.stringContaining(vendor.target.op.operationId) })]);
    expect(r.text).toContain(`verdict: patch → patch bump (0.x: breaking → minor, everything else → patch): ${r.before.vendor} → ${bumpVersion(r.before.vendor, "patch")}`);
    expect(r.gateBefore.failures).toEqual([expect.stringContaining(`${vendor.pkg.name}: the API changes since ${vendor.pkg.name}@${r.before.vendor} need a patch bump, but no changeset bumps it`), expect.stringContaining(`${facade.name}:`)]);
    expect(r.gateAfter.failures).toEqual([]);
    expect(r.changeset).toMatch(new RegExp(`"${vendor.pkg.name}": patch\\n"${facade.name}": patch`));
    expect(r.after).toEqual({ vendor: bumpVersion(r.before.vendor, "patch"), facade: bumpVersion(r.before.facade, "patch") });
    expect(r.published.sort()).toEqual([`${facade.name}@${r.after.facade}`, `${vendor.pkg.name}@${r.after.vendor}`].sort());
    expect(r.installed("openapi.json")).toContain("Fixed wording (lifecycle test).");
    expect(r.changelog).toContain(`## ${r.after.vendor}`);
    expect(r.changelog).toMatch(/- patch: `\w+ \((GET|POST|PUT|PATCH|DELETE) [^)]+\)`: description changed/);
  });

  it("2. an optional response field added: minor, released as a patch while 0.x", async () => {
    const r = await releaseCycle("optional response field added", (doc) => {
      const response = Object.entries<Json>(doc.paths[vendor.target.path][vendor.target.method].responses).find(([s]) => s.startsWith("2"))![1];
      const schema = schemaAt(doc, response.content["application/json"].schema);
      schema.properties = { ...schema.properties, lifecycleNote: { type: "string", description: "A note the vendor started returning." } };
    });
    expect(r.report.impact).toBe("minor");
    expect(r.report.changes.some((c) => c.impact === "minor" && /response 2\d\d lifecycleNote/.test(c.field))).toBe(true);
    expect(parseVersion(r.before.vendor).major).toBe(0);
    expect(r.report.bump).toBe("patch");
    expect(r.gateBefore.failures[0]).toMatch(/need a patch bump/);
    expect(r.gateAfter.failures).toEqual([]);
    expect(r.after.vendor).toBe(bumpVersion(r.before.vendor, "patch"));
    expect(r.installed("dist/generated/types.d.ts")).toMatch(/lifecycleNote\?: string/);
    expect(r.changelog).toMatch(/- minor: `[^`]+` response 2\d\d lifecycleNote: added/);
  });

  it("3. a required request field added and an operation removed: major, released as a minor while 0.x", async () => {
    const removed = vendor.other.op.operationId as string;
    const r = await releaseCycle("required request field added, operation removed", (doc) => {
      const body = schemaAt(doc, doc.paths[vendor.target.path][vendor.target.method].requestBody.content["application/json"].schema);
      body.properties = { ...body.properties, traceId: { type: "string", description: "Now required by the vendor." } };
      body.required = [...(body.required ?? []), "traceId"];
      delete doc.paths[vendor.other.path][vendor.other.method];
      if (Object.keys(doc.paths[vendor.other.path]).every((k) => !METHODS.includes(k))) delete doc.paths[vendor.other.path];
    });
    expect(r.report.impact).toBe("major");
    const reasons = r.report.changes.filter((c) => c.impact === "major").map((c) => c.reason);
    expect(reasons).toEqual(expect.arrayContaining(["required-properties-added"]));
    expect(reasons.some((x) => x === "operation-removed" || x === "path-removed")).toBe(true);
    // The compile check: the README/tests of the release no longer type-check if they call what was removed.
    expect(r.report.compile?.usageFiles).toBeGreaterThan(0);
    const readme = readFileSync(join(dir, vendor.pkg.relDir, "README.md"), "utf8");
    if (readme.includes(`.${removed}(`)) expect(r.report.compile?.newErrors.join("\n")).toContain(removed);
    expect(r.report.bump).toBe("minor");
    const v = parseVersion(r.before.vendor);
    expect(r.after.vendor).toBe(`0.${v.minor + 1}.0`);
    expect(r.text).toContain(`verdict: major → minor bump (0.x: breaking → minor, everything else → patch): ${r.before.vendor} → ${r.after.vendor}`);
    expect(r.changeset).toMatch(/\(a breaking change: while the package is 0\.x it is released as a minor version\)/);
    expect(r.after.facade).toBe(bumpVersion(r.before.facade, "minor"));
    const client = r.installed("dist/generated/client.d.ts");
    expect(client).not.toContain(removed);
    expect(r.installed("dist/generated/types.d.ts")).toMatch(/traceId: string;/);
    const facadeManifest = JSON.parse(readFileSync(join(r.consumer, "node_modules", facade.name, "package.json"), "utf8"));
    expect(facadeManifest.dependencies[vendor.pkg.name]).toBe(`^${r.after.vendor}`);
    expect(r.changelog).toContain(`## ${r.after.vendor}`);
    expect(r.changelog).toMatch(/### Minor Changes/);
    expect(r.changelog).toMatch(/required-properties-added|became required: `traceId`/);
  });
});
