#!/usr/bin/env node
// @ts-check
/**
 * `pnpm api:diff`: what did each vendor's API change mean for its package version?
 *
 * For every vendor spec (redocly.yaml `apis:` with a published package), compares the spec bundled from specs/
 * now with the bundled spec of the package's last release (the `<package>@<version>` tag `changeset publish`
 * creates, or `--base <git ref>`), with `redocly diff` and the project's policy (scripts/release/api-policy.mjs),
 * then type-checks the package's typed usage of that release against the current sources (compile check). Prints
 * one line per change and the verdict with its reason; packages that re-export a vendor package (the facade)
 * get the same verdict.
 *
 *   pnpm api:diff [--base <ref>] [--json] [--no-compile-check] [slug …]
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { diffDocuments } from "./release/api-policy.mjs";
import { compileCheck } from "./release/compile-check.mjs";
import { bumpFor, bumpVersion, lastRelease, maxImpact } from "./release/versions.mjs";
import { publishableDependents, repoRoot, vendorPackages, workspacePackages } from "./release/workspace.mjs";

/** @typedef {import("./release/versions.mjs").Impact} Impact */
/** @typedef {import("./release/api-policy.mjs").ApiChange} ApiChange */

/**
 * @typedef {object} VendorReport
 * @property {string} slug
 * @property {string} name              the package
 * @property {string | null} base       the git ref compared against (null: no release yet)
 * @property {string | null} releasedVersion
 * @property {boolean} stale            packages/<slug>/openapi.json differs from what specs/ bundles to
 * @property {ApiChange[]} changes
 * @property {Impact} impact            the verdict: the largest impact of any change, compile check included
 * @property {string} because           the change that decided it
 * @property {Impact} bump              what the package version must get (0.x rule in release/versions.mjs)
 * @property {string | null} nextVersion
 * @property {{usageFiles: number, newErrors: string[], baselineErrors: number} | null} compile
 */

/**
 * @typedef {object} PackageDemand
 * @property {string} name
 * @property {Impact} impact
 * @property {Impact} bump
 * @property {string | null} releasedVersion
 * @property {string[]} because         one line per reason (vendor changes, or "re-exports …")
 */

/** `operationId (METHOD /path)` of every operation of a document. @param {any} doc */
const operationsOf = (doc) =>
  Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(/** @type {Record<string, any>} */ (item))
      .filter(([method]) => ["get", "put", "post", "delete", "patch", "head", "options", "trace"].includes(method))
      .map(([method, op]) => `${op.operationId ?? ""} (${method.toUpperCase()} ${path})`.trim()),
  );

/** @param {any} doc */
const withoutMarker = (doc) => {
  const { "x-generated": _generated, ...rest } = doc;
  return rest;
};

/**
 * @param {object} [o]
 * @param {string} [o.root]
 * @param {string} [o.base]          an explicit git ref instead of each package's last release tag
 * @param {string[]} [o.only]        vendor slugs
 * @param {boolean} [o.compile]      run the compile check (default true)
 * @returns {Promise<{vendors: VendorReport[], demands: PackageDemand[]}>}
 */
export async function analyze({ root = repoRoot, base, only = [], compile = true } = {}) {
  const packages = workspacePackages(root);
  const vendors = vendorPackages(root).filter((v) => only.length === 0 || only.includes(v.slug));
  const { bundleSpec } = await import(pathToFileURL(join(root, "generators", "src", "bundle.mjs")).href);
  const git = (/** @type {string[]} */ ...args) => execFileSync("git", args, { cwd: root, encoding: "utf8", maxBuffer: 256 << 20 });

  const reports = await Promise.all(
    vendors.map(async ({ slug, specRoot, pkg }) => {
      const release = base ? { tag: base, version: null } : lastRelease(root, pkg.name);
      const current = await bundleSpec(root, { slug, root: specRoot });
      const shipped = JSON.parse(readFileSync(join(pkg.dir, "openapi.json"), "utf8"));
      const stale = JSON.stringify(withoutMarker(shipped)) !== JSON.stringify(withoutMarker(current));
      let released = null;
      if (release) {
        try {
          released = JSON.parse(git("show", `${release.tag}:${pkg.relDir}/openapi.json`));
        } catch {
          released = null; // the package did not exist at that ref: everything is new
        }
      }
      const releasedVersion = release ? (release.version ?? readVersionAt(git, release.tag, pkg.relDir)) : null;
      /** @type {VendorReport} */
      const report = {
        slug,
        name: pkg.name,
        base: release?.tag ?? null,
        releasedVersion,
        stale,
        changes: [],
        impact: "none",
        because: "",
        bump: "none",
        nextVersion: null,
        compile: null,
      };
      if (!released) {
        // Nothing to compare with: list what the first release of this package contains.
        report.changes = operationsOf(current).map((operation) => ({ operation, field: "", what: "new", impact: "minor", reason: "first release" }));
        report.impact = report.changes.length > 0 ? "minor" : "none";
        return report;
      }
      if (JSON.stringify(withoutMarker(released)) === JSON.stringify(withoutMarker(current))) return report;
      const diff = await diffDocuments({ base: released, revision: current, label: slug, repoRoot: root });
      report.changes = diff.changes;
      report.impact = diff.impact;
      return report;
    }),
  );

  for (const report of reports) {
    const pkg = /** @type {import("./release/workspace.mjs").WorkspacePackage} */ (packages.find((p) => p.name === report.name));
    if (compile && report.base && report.releasedVersion && report.changes.length > 0 && !report.stale) {
      report.compile = compileCheck({ repoRoot: root, ref: report.base, pkg, packages });
      for (const error of report.compile.newErrors) {
        const message = error.split(": ").slice(1).join(": ");
        report.changes.unshift({
          operation: `typed usage of ${report.base}`,
          field: error.split(": ")[0].replace(`${pkg.relDir}/`, ""),
          what: message.length > 160 ? `${message.slice(0, 157)}…` : message,
          impact: "major",
          reason: "compile check: the released usage no longer type-checks",
        });
      }
      if (report.compile.newErrors.length > 0) report.impact = "major";
    }
    // The reason shown first: a spec change when one has the verdict's impact, else the compile check.
    const decisive =
      report.changes.find((c) => c.impact === report.impact && !c.reason.startsWith("compile check")) ??
      report.changes.find((c) => c.impact === report.impact);
    report.because = decisive ? `${decisive.operation}${decisive.field ? ` ${decisive.field}` : ""}: ${decisive.what} (${decisive.reason})` : "";
    if (report.releasedVersion) {
      report.bump = bumpFor(report.impact, report.releasedVersion);
      report.nextVersion = bumpVersion(report.releasedVersion, report.bump);
    }
  }

  /** @type {Map<string, PackageDemand>} */
  const demands = new Map();
  const demand = (/** @type {string} */ name, /** @type {Impact} */ impact, /** @type {string} */ why) => {
    const pkg = packages.find((p) => p.name === name);
    const release = base ? { tag: base, version: pkg ? readVersionAt(git, base, pkg.relDir) : null } : lastRelease(root, name);
    const releasedVersion = release?.version ?? null;
    /** @type {PackageDemand} */
    const cur = demands.get(name) ?? { name, impact: "none", bump: "none", releasedVersion, because: [] };
    cur.impact = maxImpact(cur.impact, impact);
    cur.bump = releasedVersion ? bumpFor(cur.impact, releasedVersion) : "none";
    cur.because.push(why);
    demands.set(name, cur);
  };
  for (const r of reports) {
    if (!r.releasedVersion || r.impact === "none") continue;
    demand(r.name, r.impact, r.because);
    for (const dependent of publishableDependents(r.name, packages)) {
      demand(dependent.name, r.impact, `re-exports ${r.name}: ${r.impact} (${r.because})`);
    }
  }
  return { vendors: reports, demands: [...demands.values()] };
}

/**
 * @param {(...args: string[]) => string} git
 * @param {string} ref
 * @param {string} relDir
 */
function readVersionAt(git, ref, relDir) {
  try {
    return JSON.parse(git("show", `${ref}:${relDir}/package.json`)).version ?? null;
  } catch {
    return null;
  }
}

const BUMP_NOTE = {
  none: "no release needed for the API",
  patch: "patch",
  minor: "minor",
  major: "major",
};

/**
 * The human report: one block per vendor, one line per change.
 * @param {{vendors: VendorReport[], demands: PackageDemand[]}} result
 */
export function formatReport({ vendors, demands }) {
  const lines = [];
  for (const r of vendors) {
    const against = r.base ? `against ${r.base}` : "no release yet: everything is new";
    lines.push(`${r.name} (specs/${r.slug}) ${against}`);
    if (r.stale) lines.push(`  ! packages/${r.slug} is stale (run pnpm generate): compile check skipped`);
    if (r.changes.length === 0) lines.push("  no API changes");
    const shown = r.changes.slice(0, 40);
    for (const c of shown) lines.push(`  ${c.impact.padEnd(5)}  ${c.operation}${c.field ? `  ${c.field}` : ""}  ${c.what}  [${c.reason}]`);
    if (r.changes.length > shown.length) lines.push(`  … and ${r.changes.length - shown.length} more (--json lists all)`);
    if (r.compile) {
      lines.push(
        `  compile check: ${r.compile.usageFiles} usage file(s) of ${r.base}: ${r.compile.newErrors.length === 0 ? "still type-check" : `${r.compile.newErrors.length} new error(s)`}`,
      );
    }
    if (!r.releasedVersion) lines.push(`  verdict: initial release of ${r.changes.length} operation(s): the version in package.json is published as is`);
    else if (r.impact === "none") lines.push(`  verdict: none (${r.releasedVersion} stays)`);
    else {
      const zero = r.releasedVersion.startsWith("0.") ? " (0.x: breaking → minor, everything else → patch)" : "";
      lines.push(`  verdict: ${r.impact} → ${BUMP_NOTE[r.bump]} bump${zero}: ${r.releasedVersion} → ${r.nextVersion}`);
      lines.push(`  because: ${r.because}`);
    }
  }
  const followers = demands.filter((d) => !vendors.some((v) => v.name === d.name));
  for (const d of followers) lines.push(`${d.name}: ${d.impact} → ${d.bump} bump (${d.because.length} re-exported package(s) changed)`);
  return lines.join("\n");
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      base: { type: "string" },
      json: { type: "boolean", default: false },
      "no-compile-check": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log("usage: pnpm api:diff [--base <git ref>] [--json] [--no-compile-check] [vendor slug …]");
    return;
  }
  const result = await analyze({ base: values.base, only: positionals, compile: !values["no-compile-check"] });
  console.log(values.json ? JSON.stringify(result, null, 2) : formatReport(result));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
