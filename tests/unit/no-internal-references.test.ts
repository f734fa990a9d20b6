/**
 * Nothing users see may say where the project's inputs came from: no "seed"/"seeds" as a word, no `shared/…`
 * path, no "vendor-facts" in anything that ships. Shipped means: the specs (their text reaches the bundled
 * `openapi.json`, the generated types' JSDoc and the rendered reference docs), each package's `openapi.json`,
 * `src/**` and README, the root README, and every file inside each publishable package's `pnpm pack` tarball
 * (built `dist/` included, so run after `pnpm build`; turbo's `test` depends on it). Files that are not shipped
 * (tests, scripts, where Prism's `--seed` option may appear) are not scanned.
 * One test per area, so a report names the package with the offending files and lines.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../harness/global-setup.js";

/** What counts as an internal reference, each with the reason it is one. */
const FORBIDDEN: { pattern: RegExp; what: string }[] = [
  { pattern: /\bseeds?\b/i, what: '"seed" (say "the vendor\'s documentation")' },
  { pattern: /shared\//i, what: "a shared/ path" },
  { pattern: /vendor-facts/i, what: '"vendor-facts"' },
];

interface Offence {
  file: string;
  line: number;
  what: string;
  text: string;
}

/**
 * The one line allowed to say "seed": @activation-kit/testing hands Prism the value that makes its generated
 * answers repeatable, under the key Prism names it (a random-generator seed, not an input of this project).
 */
const PRISM_OPTION = /^\s*mock: \{ dynamic: config\.dynamic, ignoreExamples: config\.ignoreExamples, seed: config\.repeatable \},?$/;

function offencesIn(label: string, text: string): Offence[] {
  const found: Offence[] = [];
  text.split("\n").forEach((line, i) => {
    if (PRISM_OPTION.test(line)) return;
    for (const { pattern, what } of FORBIDDEN) {
      if (pattern.test(line)) found.push({ file: label, line: i + 1, what, text: line.trim().slice(0, 160) });
    }
  });
  return found;
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function scanFiles(files: string[], base = repoRoot): Offence[] {
  return files.flatMap((f) => offencesIn(relative(base, f), readFileSync(f, "utf8")));
}

function report(offences: Offence[]): string {
  return offences.map((o) => `  ${o.file}:${o.line}: ${o.what}: ${o.text}`).join("\n");
}

const packagesDir = join(repoRoot, "packages");
const packages = readdirSync(packagesDir)
  .filter((d) => existsSync(join(packagesDir, d, "package.json")))
  .map((dir) => {
    const manifest = JSON.parse(readFileSync(join(packagesDir, dir, "package.json"), "utf8")) as { name: string; private?: boolean };
    return { dir, name: manifest.name, private: manifest.private === true };
  });

it("the forbidden patterns catch what they are for, and only that", () => {
  expect(offencesIn("x", "as the seed's table says")).toHaveLength(1);
  expect(offencesIn("x", "Seeds: shared/seeds/004_e3c.txt")).toHaveLength(2);
  expect(offencesIn("x", "see vendor-facts.md")).toHaveLength(1);
  expect(offencesIn("x", "the shared runtime; a seeded random source; the Relay42 documentation")).toHaveLength(0);
  expect(offencesIn("x", "      mock: { dynamic: config.dynamic, ignoreExamples: config.ignoreExamples, seed: config.repeatable },")).toHaveLength(0);
  expect(offencesIn("x", "      mock: { seed: config.repeatable }, // the seed's table")).toHaveLength(1);
});

describe("no internal references in what ships", () => {
  it("root README and the spec conventions", () => {
    const specsDir = join(repoRoot, "specs");
    const topLevel = readdirSync(specsDir)
      .map((name) => join(specsDir, name))
      .filter((f) => statSync(f).isFile());
    const offences = scanFiles([join(repoRoot, "README.md"), ...topLevel]);
    expect(offences, `internal references:\n${report(offences)}`).toEqual([]);
  });

  describe.each(packages)("$name", (pkg) => {
    const root = join(packagesDir, pkg.dir);
    let packDir = "";

    beforeAll(() => {
      packDir = mkdtempSync(join(tmpdir(), `activation-kit-pack-${pkg.dir}-`));
    });
    afterAll(() => {
      rmSync(packDir, { recursive: true, force: true });
    });

    it("spec, openapi.json, src/** and README", () => {
      const files = [
        ...walk(join(repoRoot, "specs", pkg.dir)),
        join(root, "openapi.json"),
        join(root, "README.md"),
        ...walk(join(root, "src")),
      ].filter((f) => existsSync(f));
      expect(files.length).toBeGreaterThan(0);
      const offences = scanFiles(files);
      expect(offences, `internal references:\n${report(offences)}`).toEqual([]);
    });

    // A private package is never packed, so it has no tarball to scan.
    if (!pkg.private) it(
      "every file of the packed tarball",
      () => {
        execFileSync("pnpm", ["pack", "--pack-destination", packDir], { cwd: root, stdio: "pipe" });
        const tarball = readdirSync(packDir).find((f) => f.endsWith(".tgz"));
        expect(tarball, "pnpm pack wrote a tarball").toBeDefined();
        const extracted = join(packDir, "extracted");
        mkdirSync(extracted);
        execFileSync("tar", ["-xzf", join(packDir, tarball!), "-C", extracted]);
        const files = walk(extracted);
        expect(files.some((f) => f.includes(`${join("package", "dist")}`)), "the tarball carries dist/ (build first)").toBe(true);
        const offences = scanFiles(files, extracted).map((o) => ({ ...o, file: `${tarball}:${o.file}` }));
        expect(offences, `internal references:\n${report(offences)}`).toEqual([]);
      },
      120_000,
    );
  });
});
