/**
 * The compile check (Stainless' detect-breaking-changes) on a small fixture repository: the usage of the last
 * release (tests and README examples) is type-checked against the released and the current sources; only errors
 * the current sources introduce count. The case the spec diff cannot see: a new response enum value is minor by
 * policy, but an exhaustive switch in the released usage stops compiling, so the change is breaking.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileCheck, readmeExamples } from "../../scripts/release/compile-check.mjs";
import { repoRoot, type WorkspacePackage } from "../../scripts/release/workspace.mjs";

const root = mkdtempSync(join(tmpdir(), "ak-compile-fixture-"));
const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t.invalid", "-c", "commit.gpgsign=false", ...args], { cwd: root, encoding: "utf8" });
const manifest = { name: "@fixture/lib", version: "1.0.0", type: "module", exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } } };
const pkg: WorkspacePackage = { name: manifest.name, version: "1.0.0", dir: join(root, "packages/lib"), relDir: "packages/lib", private: false, manifest };
const source = (statuses: string[], extra = "") =>
  `export type Status = ${statuses.map((s) => JSON.stringify(s)).join(" | ")};\nexport function status(): Status {\n  return "active";\n}\n${extra}`;

mkdirSync(join(root, "packages/lib/src"), { recursive: true });
mkdirSync(join(root, "packages/lib/test"), { recursive: true });
copyFileSync(join(repoRoot, "tsconfig.base.json"), join(root, "tsconfig.base.json"));
symlinkSync(join(repoRoot, "node_modules"), join(root, "node_modules"), "dir");
writeFileSync(join(root, ".gitignore"), "node_modules\n");
writeFileSync(join(root, "packages/lib/package.json"), JSON.stringify(manifest));
writeFileSync(join(root, "packages/lib/src/index.ts"), source(["active", "inactive"]));
writeFileSync(
  join(root, "packages/lib/test/usage.test.ts"),
  `import { status, type Status } from "../src/index.js";\nexport function label(s: Status = status()): string {\n  switch (s) {\n    case "active": return "on";\n    case "inactive": return "off";\n    default: {\n      const unreachable: never = s;\n      return unreachable;\n    }\n  }\n}\n`,
);
writeFileSync(
  join(root, "packages/lib/README.md"),
  "# lib\n\n```ts\nimport { status } from \"@fixture/lib\";\nconsole.log(status());\nconst wrongAlready: number = \"not a number\";\n```\n\n```sh\nnpm install @fixture/lib\n```\n",
);
git("init", "-q");
git("add", "-A");
git("commit", "-qm", "release");
git("tag", "@fixture/lib@1.0.0");

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("compile check", () => {
  it("finds the TypeScript blocks of a README", () => {
    expect(readmeExamples("a\n```ts\nconst a = 1;\n```\n```sh\nls\n```\n```typescript\nlet b = 2;\n```")).toEqual([
      "const a = 1;\n\nexport {};\n",
      "let b = 2;\n\nexport {};\n",
    ]);
  });

  it("an addition that breaks no usage: no new error (the README's own old error is ignored)", () => {
    writeFileSync(join(root, "packages/lib/src/index.ts"), source(["active", "inactive"], "export const added = 1;\n"));
    const r = compileCheck({ repoRoot: root, ref: "@fixture/lib@1.0.0", pkg, packages: [pkg] });
    expect(r.usageFiles).toBe(2);
    expect(r.baselineErrors).toBe(1);
    expect(r.newErrors).toEqual([]);
  });

  it("a new enum value breaks the released exhaustive switch: a new error, so the change is breaking", () => {
    writeFileSync(join(root, "packages/lib/src/index.ts"), source(["active", "inactive", "archived"]));
    const r = compileCheck({ repoRoot: root, ref: "@fixture/lib@1.0.0", pkg, packages: [pkg] });
    expect(r.newErrors).toEqual([expect.stringMatching(/^packages\/lib\/test\/usage\.test\.ts:7: TS2322 Type '"archived"' is not assignable to type 'never'/)]);
  });
});
