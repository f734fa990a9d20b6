/**
 * What `changeset publish` put into the local registry (global-setup.ts published a scratch copy of this checkout
 * after `changeset version`): every publishable package at its new version, real dependency ranges instead of
 * `workspace:`, the files users need and nothing else, no private package, the changelog, the git tags.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { registryGet } from "../../scripts/release/publish.mjs";
import { repoRoot, workspacePackages } from "../../scripts/release/workspace.mjs";

const release = inject("release");
const packages = workspacePackages(release.scratch);
const publishable = packages.filter((p) => !p.private);

async function packument(name: string) {
  const res = await registryGet(`${release.registryUrl}${name.replace("/", "%2f")}`);
  return { status: res.status, body: res.ok ? ((await res.json()) as Record<string, any>) : undefined };
}

async function tarballFiles(name: string, version: string) {
  const { body } = await packument(name);
  const res = await registryGet(body!.versions[version].dist.tarball);
  const dir = mkdtempSync(join(release.work, "tarball-"));
  const file = join(dir, "package.tgz");
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const files = execFileSync("tar", ["-tzf", file], { encoding: "utf8" }).split("\n").filter(Boolean).map((f) => f.replace(/^package\//, ""));
  return { dir, file, files };
}

/** Whether a `>=x.y.z` or `^x.y.z` range admits `version` (the only peer range forms the packages use). */
function admits(range: string, version: string): boolean {
  const m = /^(>=|\^)(\d+)\.(\d+)\.(\d+)$/.exec(range);
  if (!m) return false;
  const want = m.slice(2).map(Number);
  const have = version.split(".").map(Number);
  const cmp = have[0] - want[0] || have[1] - want[1] || have[2] - want[2];
  if (cmp < 0) return false;
  if (m[1] === ">=") return true;
  // Caret: the left-most non-zero part is fixed.
  return want[0] > 0 ? have[0] === want[0] : want[1] > 0 ? have[0] === 0 && have[1] === want[1] : have[0] === 0 && have[1] === 0 && have[2] === want[2];
}

describe("changeset publish to the local registry", () => {
  it("versioned every package the pending changesets name and published every publishable package", () => {
    expect(release.bumped.length).toBeGreaterThan(0);
    expect(release.published.sort()).toEqual(publishable.map((p) => `${p.name}@${p.version}`).sort());
  });

  it.each(publishable.map((p) => [p.name, p] as const))("%s: latest is the new version, with real dependency ranges", async (name, p) => {
    const { status, body } = await packument(name);
    expect(status).toBe(200);
    expect(body!["dist-tags"].latest).toBe(p.version);
    const manifest = body!.versions[p.version];
    for (const [dep, range] of Object.entries<string>({ ...manifest.dependencies, ...manifest.peerDependencies })) {
      expect(range, `${name} → ${dep}`).not.toMatch(/^workspace:/);
    }
    for (const [dep, range] of Object.entries<string>(manifest.dependencies ?? {})) {
      const local = packages.find((q) => q.name === dep);
      if (local) expect(range, `${name} → ${dep}`).toBe(`^${local.version}`);
    }
    // A peer range is written by hand (`>=0.1.0`: any release of the vendor package works); it must admit the
    // version just published.
    for (const [dep, range] of Object.entries<string>(manifest.peerDependencies ?? {})) {
      const local = packages.find((q) => q.name === dep);
      if (local) expect(admits(range, local.version), `${name} → ${dep}: ${range} admits ${local.version}`).toBe(true);
    }
    expect(manifest.publishConfig?.access).toBe("public");
    expect(manifest.repository?.directory).toBe(p.relDir);
  });

  it.each(publishable.map((p) => [p.name, p] as const))("%s: the tarball has what the exports map names, LICENSE, README, CHANGELOG, and no maps or sources", async (name, p) => {
    const { files } = await tarballFiles(name, p.version);
    expect(files).toEqual(expect.arrayContaining(["package.json", "README.md", "LICENSE", "CHANGELOG.md"]));
    for (const target of Object.values<any>(p.manifest.exports)) {
      for (const file of typeof target === "string" ? [target] : Object.values<string>(target)) {
        expect(files, `${name} exports ${file}`).toContain(file.replace(/^\.\//, ""));
      }
    }
    expect(files.filter((f) => /\.map$|^src\/|^test\/|\.turbo|tsconfig|\.tsbuildinfo$/.test(f))).toEqual([]);
  });

  it("every tarball's LICENSE is the repository's MIT license", async () => {
    const license = readFileSync(join(repoRoot, "LICENSE"), "utf8");
    expect(license).toMatch(/^MIT License/);
    for (const p of publishable) {
      const { dir, file } = await tarballFiles(p.name, p.version);
      execFileSync("tar", ["-xzf", file, "-C", dir, "package/LICENSE"]);
      expect(readFileSync(join(dir, "package", "LICENSE"), "utf8"), p.name).toBe(license);
    }
  });

  it("no private workspace package reached the registry", async () => {
    const privates = packages.filter((p) => p.private);
    expect(privates.length).toBeGreaterThan(0);
    for (const p of privates) expect((await packument(p.name)).status, p.name).toBe(404);
  });

  it("each CHANGELOG.md has the new version with the changesets' text, and each release is tagged", () => {
    const tags = execFileSync("git", ["tag", "--list"], { cwd: release.scratch, encoding: "utf8" }).split("\n");
    for (const b of release.bumped) {
      const p = packages.find((q) => q.name === b.name)!;
      const changelog = readFileSync(join(p.dir, "CHANGELOG.md"), "utf8");
      expect(changelog, b.name).toContain(`## ${b.to}`);
      expect(tags, b.name).toContain(`${b.name}@${b.to}`);
    }
    const core = packages.find((p) => p.name === "@activation-kit/core");
    if (core && release.bumped.some((b) => b.name === core.name)) {
      expect(readFileSync(join(core.dir, "CHANGELOG.md"), "utf8")).toMatch(/### (Minor|Patch) Changes/);
    }
  });
});
