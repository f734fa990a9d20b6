/**
 * Package hygiene of every publishable workspace package (found through pnpm, so a new package is held to the
 * same rules): metadata, LICENSE, an exports map that works for import and require, no source maps, and the
 * guards that keep publishing on loopback.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assertLoopbackRegistry } from "../../scripts/release/registry.mjs";
import { publishablePackages, repoRoot, workspacePackages } from "../../scripts/release/workspace.mjs";

const packages = publishablePackages();
const license = readFileSync(join(repoRoot, "LICENSE"), "utf8");

describe.each(packages.map((p) => [p.name, p] as const))("%s", (name, p) => {
  const m = p.manifest;
  it("has the metadata npm shows: description, keywords, homepage, bugs, repository with directory, MIT, engines", () => {
    expect(m.description).toEqual(expect.any(String));
    expect(m.keywords).toEqual(expect.arrayContaining(["activation-kit"]));
    expect(m.homepage).toMatch(/^https:\/\//);
    expect(m.bugs?.url).toMatch(/^https:\/\/.+\/issues$/);
    expect(m.repository).toMatchObject({ type: "git", url: expect.stringMatching(/^git\+https:\/\/.+\.git$/), directory: p.relDir });
    expect(m.license).toBe("MIT");
    expect(m.engines?.node).toBe(">=20.19");
  });

  it("publishes publicly with provenance, and ships LICENSE (the repository's MIT license)", () => {
    expect(m.publishConfig).toEqual({ access: "public", provenance: true });
    expect(m.files).toEqual(expect.arrayContaining(["dist", "README.md", "LICENSE", "CHANGELOG.md"]));
    expect(readFileSync(join(p.dir, "LICENSE"), "utf8")).toBe(license);
  });

  it("every code entry of the exports map has types first and a default condition (so require() resolves)", () => {
    for (const [sub, target] of Object.entries<any>(m.exports)) {
      if (typeof target === "string") {
        expect(target, `${name} ${sub}`).toMatch(/\.json$/);
        continue;
      }
      expect(Object.keys(target), `${name} ${sub}`).toEqual(["types", "default"]);
    }
  });

  it("builds no source maps (their sources are not shipped)", () => {
    const config = JSON.parse(execFileSync(process.execPath, [join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", join(p.dir, "tsconfig.build.json"), "--showConfig"], { encoding: "utf8" }));
    expect(config.compilerOptions.sourceMap ?? false).toBe(false);
    expect(config.compilerOptions.declarationMap ?? false).toBe(false);
  });
});

describe("publishing guards", () => {
  it("private packages are never packed or published", () => {
    const all = workspacePackages();
    expect(all.filter((p) => p.private).map((p) => p.name)).toContain("@activation-kit/contract-tests");
    expect(packages.map((p) => p.name)).not.toContain("@activation-kit/contract-tests");
  });

  it("a registry that is not on loopback is refused", () => {
    expect(assertLoopbackRegistry("http://127.0.0.1:4873/")).toBe("http://127.0.0.1:4873/");
    expect(assertLoopbackRegistry("http://localhost:4873/")).toBe("http://localhost:4873/");
    for (const url of ["https://registry.npmjs.org/", "http://10.0.0.5:4873/", "http://127.0.0.1.evil.test/", "not a url"]) {
      expect(() => assertLoopbackRegistry(url)).toThrow(/refusing to publish/);
    }
  });

  it("the real release script refuses to run outside a CI provider that can sign provenance", () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(GITHUB_ACTIONS|ACTIONS_ID_TOKEN_REQUEST_URL|CI)$/.test(k)));
    const r = spawnSync(process.execPath, [join(repoRoot, "scripts", "release.mjs")], { env: { ...env, CI: "true" }, encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/refusing to publish/);
  });
});
