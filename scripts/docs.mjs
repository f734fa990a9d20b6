#!/usr/bin/env node
// @ts-check
/** `pnpm docs`: HTML reference docs for every spec in redocly.yaml, with Redocly, into docs/reference/<slug>.html. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot, specSlugs } from "./prism.mjs";

for (const slug of specSlugs()) {
  const out = join("docs", "reference", `${slug}.html`);
  const r = spawnSync(join(repoRoot, "node_modules", ".bin", "redocly"), ["build-docs", join("packages", slug, "openapi.json"), "-o", out], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  if (r.status !== 0) {
    console.error(r.stdout, r.stderr);
    process.exit(1);
  }
  console.log(`docs ${slug}: ${out}`);
}
