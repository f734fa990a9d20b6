#!/usr/bin/env node
// @ts-check
/**
 * `pnpm api:changeset`: writes (or rewrites) `.changeset/api-<slug>.md` for every vendor whose API changed since
 * its last release, bumping the vendor package and every package that re-exports it (the facade) as `api:diff`
 * demands, with the list of API changes as the text (it becomes the CHANGELOG entry).
 *
 * `pnpm api:changeset --check` is the gate in `npm test`: it fails when a vendor's spec changed since the last
 * release and the pending changesets (or versions already applied) bump a package less than the diff demands,
 * naming the change and the bump needed.
 */
import { execFileSync } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { analyze } from "./api-diff.mjs";
import { IMPACTS, bumpBetween, lastRelease, maxImpact, pendingBumps, pendingChangesets } from "./release/versions.mjs";
import { repoRoot, vendorPackages, workspacePackages } from "./release/workspace.mjs";

/** @typedef {import("./release/versions.mjs").Impact} Impact */

const MAX_LINES = 30;

/**
 * The changeset text for one vendor report.
 * @param {import("./api-diff.mjs").VendorReport} r
 */
export function changesetText(r) {
  const lines = r.changes.filter((c) => c.impact !== "none");
  const shown = lines.slice(0, MAX_LINES);
  const zero = r.releasedVersion?.startsWith("0.") && r.impact === "major" ? " (a breaking change: while the package is 0.x it is released as a minor version)" : "";
  return [
    `API changes in the ${r.slug} spec since ${r.base}: ${r.impact}${zero}.`,
    "",
    ...shown.map((c) => `- ${c.impact}: \`${c.operation}\`${c.field ? ` ${c.field}` : ""}: ${c.what.replace(/\n/g, " ")}`),
    ...(lines.length > shown.length ? [`- … and ${lines.length - shown.length} more (\`pnpm api:diff ${r.slug}\`)`] : []),
  ].join("\n");
}

/**
 * @param {{root?: string, only?: string[], log?: (s: string) => void, analysis?: Awaited<ReturnType<typeof analyze>>}} [o]
 *   `analysis`: an `analyze()` result already at hand (saves running the diff and compile check again)
 * @returns {Promise<{written: string[], removed: string[]}>}
 */
export async function writeApiChangesets({ root = repoRoot, only = [], log = console.log, analysis } = {}) {
  const { vendors, demands } = analysis ?? (await analyze({ root, only }));
  const written = [];
  const removed = [];
  for (const r of vendors) {
    const file = join(root, ".changeset", `api-${r.slug}.md`);
    if (!r.releasedVersion || r.bump === "none") {
      if (existsSync(file)) {
        rmSync(file);
        removed.push(file);
        log(`api:changeset ${r.name}: no API change since ${r.base ?? "(no release)"}; removed .changeset/api-${r.slug}.md`);
      } else log(`api:changeset ${r.name}: ${r.base ? `no API change since ${r.base}` : "no release yet"}; nothing to write`);
      continue;
    }
    /** @type {Record<string, Impact>} */
    const releases = { [r.name]: r.bump };
    for (const d of demands) {
      if (d.name !== r.name && d.because.some((b) => b.startsWith(`re-exports ${r.name}:`)) && d.bump !== "none") releases[d.name] = d.bump;
    }
    const front = Object.entries(releases)
      .map(([name, bump]) => `"${name}": ${bump}`)
      .join("\n");
    writeFileSync(file, `---\n${front}\n---\n\n${changesetText(r)}\n`);
    written.push(file);
    log(`api:changeset ${Object.entries(releases).map(([n, b]) => `${n} ${b}`).join(", ")} → .changeset/api-${r.slug}.md (${r.changes.length} change(s))`);
  }
  return { written, removed };
}

/**
 * The gate. Returns the failures (empty: pass).
 * @param {{root?: string, analysis?: Awaited<ReturnType<typeof analyze>>}} [o]
 * @returns {Promise<{failures: string[], checked: string[]}>}
 */
export async function checkChangesets({ root = repoRoot, analysis } = {}) {
  const packages = workspacePackages(root);
  const vendors = vendorPackages(root);
  const git = (/** @type {string[]} */ ...args) => execFileSync("git", args, { cwd: root, encoding: "utf8" });
  // Only vendors whose spec changed since their last release need the (slower) diff.
  const changed = vendors.filter(({ pkg, specRoot }) => {
    const release = lastRelease(root, pkg.name);
    if (!release) return false;
    const specDir = specRoot.slice(root.length + 1).split("/").slice(0, -1).join("/");
    return git("diff", "--name-only", release.tag, "--", specDir, `${pkg.relDir}/openapi.json`).trim() !== "";
  });
  if (changed.length === 0) return { failures: [], checked: [] };
  const { vendors: reports, demands } = analysis ?? (await analyze({ root, only: changed.map((v) => v.slug) }));
  const pending = pendingBumps(pendingChangesets(root));
  const failures = [];
  for (const d of demands) {
    if (d.bump === "none" || !d.releasedVersion) continue;
    const pkg = packages.find((p) => p.name === d.name);
    const applied = pkg ? bumpBetween(d.releasedVersion, pkg.version) : "none";
    const planned = maxImpact(pending.get(d.name)?.bump ?? "none", applied);
    if (IMPACTS.indexOf(planned) < IMPACTS.indexOf(d.bump)) {
      failures.push(
        `${d.name}: the API changes since ${d.name}@${d.releasedVersion} need a ${d.bump} bump, but ${
          planned === "none" ? "no changeset bumps it" : `the pending changesets bump it ${planned}`
        }. ${d.because[0]}. Run \`pnpm api:changeset\` (or write a ${d.bump} changeset).`,
      );
    }
  }
  return { failures, checked: reports.map((r) => r.name) };
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { check: { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false } },
  });
  if (values.help) {
    console.log("usage: pnpm api:changeset [vendor slug …]   |   pnpm api:changeset --check");
    return;
  }
  if (values.check) {
    const { failures, checked } = await checkChangesets();
    if (failures.length > 0) {
      for (const f of failures) console.error(`api:changeset --check: ${f}`);
      process.exit(1);
    }
    console.log(
      checked.length === 0
        ? "api:changeset --check: no spec changed since its package's last release (or nothing released yet): pass"
        : `api:changeset --check: ${checked.join(", ")} changed since their last release; pending changesets cover the bumps: pass`,
    );
    return;
  }
  await writeApiChangesets({ only: positionals });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}

