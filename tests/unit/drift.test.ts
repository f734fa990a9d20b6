/**
 * Drift check: regenerating from the specs must change nothing. `generate --check` compares what the generator
 * would write with the working tree; in CI (a clean clone) the committed files must also equal HEAD, so a
 * pipeline step that regenerated differently is caught too.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";
import { repoRoot } from "../harness/global-setup.js";

it("pnpm generate on a clean tree changes nothing", () => {
  const out = execFileSync(process.execPath, [join(repoRoot, "generators/src/cli.mjs"), "--check"], { cwd: repoRoot, encoding: "utf8" });
  expect(out).toMatch(/0 file\(s\) would change/);
  if (process.env.CI === "true") {
    // In CI (a clean clone) the tree must also still equal HEAD after the pipeline's own `generate` step.
    const diff = execFileSync("git", ["status", "--porcelain", "--", "packages/*/src/generated", "packages/*/openapi.json"], {
      cwd: repoRoot,
      encoding: "utf8",
    });
    expect(diff).toBe("");
  }
});

