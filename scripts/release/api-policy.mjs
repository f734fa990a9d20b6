// @ts-check
/**
 * What an API change means for the package version. Redocly's `diff` (the pinned @redocly/cli, rules in
 * redocly-diff.yaml) finds the changes and rates each one; this module turns its JSON report into one readable
 * line per change and applies the project's decisions where the rating needs judgement (docs/versioning.md):
 *
 *   - a new value in a response enum ............ minor (redocly-diff.yaml sets `enum-values-added: minor`)
 *   - a response field that became optional ..... major (Redocly's `required-properties-removed`, kept)
 *   - a relaxed request constraint .............. minor (Redocly rates it patch: the client now sends what it
 *                                                  refused before, so the package gains a capability)
 *   - `info.version` ............................ patch, and reported (the vendor's document version; the client
 *                                                  changes only through the other changes listed)
 *   - `x-` extensions the generator reads ....... Redocly does not compare extensions; they are compared here
 *                                                  (EXTENSIONS below), because they change the generated client.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { IMPACTS, maxImpact } from "./versions.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const DIFF_CONFIG = join(here, "redocly-diff.yaml");
const run = promisify(execFile);

/** @typedef {import("./versions.mjs").Impact} Impact */
/**
 * @typedef {object} ApiChange
 * @property {string} operation   `getUserProfiles (POST /activation)`, a path, or a document section (`info`)
 * @property {string} field       where in the operation (`request body id.type`, `response 200 data`), or ""
 * @property {string} what        what changed, in words
 * @property {Impact} impact      after the project's policy
 * @property {string} reason      why that impact (rule id or policy)
 */

/** Keywords that constrain a value: relaxing one of them in a request lets the client send more. */
const CONSTRAINTS = new Set([
  "maxLength", "minLength", "maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "multipleOf", "pattern",
  "format", "maxItems", "minItems", "uniqueItems", "maxProperties", "minProperties", "enum", "const",
  "additionalProperties", "required",
]);

/**
 * The extensions the generator and runtime read (specs/CONVENTIONS.md) and what adding, removing or changing one
 * does to the generated client. Unknown extensions are treated as runtime behaviour (patch).
 * @type {Record<string, {added: Impact, removed: Impact, modified: Impact | ((before: any, after: any) => Impact), why: string}>}
 */
const EXTENSIONS = {
  "x-pagination": { added: "minor", removed: "major", modified: "major", why: "generates the `…All()` iterator and its item type" },
  "x-client-config": { added: "minor", removed: "major", modified: "major", why: "makes a path parameter optional at call sites" },
  "x-max-total-length": { added: "major", removed: "minor", modified: (a, b) => (b > a ? "minor" : "major"), why: "a request limit checked before sending" },
  "x-max-body-bytes": { added: "major", removed: "minor", modified: (a, b) => (b > a ? "minor" : "major"), why: "a request limit checked before sending" },
  "x-runtime-policy": { added: "patch", removed: "patch", modified: "patch", why: "retries, circuit and envelope: runtime behaviour" },
  "x-idempotent": { added: "patch", removed: "patch", modified: "patch", why: "whether a call is retried: runtime behaviour" },
  "x-rate-limit-cost": { added: "patch", removed: "patch", modified: "patch", why: "client-side rate limiting: runtime behaviour" },
  "x-provenance": { added: "patch", removed: "patch", modified: "patch", why: "documentation" },
};
const IGNORED_EXTENSIONS = new Set(["x-generated"]);

const METHODS = new Set(["get", "put", "post", "delete", "patch", "head", "options", "trace"]);

/** @param {string} pointer */
const segments = (pointer) =>
  pointer
    .replace(/^#\/?/, "")
    .split("/")
    .filter((s) => s !== "")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));

/** @param {any} doc @param {string[]} segs */
const at = (doc, segs) => segs.reduce((node, s) => (node == null ? undefined : node[s]), doc);

/** @param {unknown} value */
function show(value) {
  if (value === undefined || value === null) return "none";
  const text = typeof value === "string" ? `'${value}'` : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/**
 * `operation` and `field` of a location in the document.
 * @param {string[]} segs
 * @param {any[]} docs   revision first, then base: where names (operationId, parameter name) are looked up
 */
function locate(segs, docs) {
  if (segs[0] !== "paths") return { operation: segs.slice(0, 2).join("."), rest: segs.slice(2), prefix: segs.slice(0, 2) };
  const path = segs[1];
  if (segs[2] && METHODS.has(segs[2])) {
    const id = docs.map((d) => d?.paths?.[path]?.[segs[2]]?.operationId).find(Boolean);
    const op = `${segs[2].toUpperCase()} ${path}`;
    return { operation: id ? `${id} (${op})` : op, rest: segs.slice(3), prefix: segs.slice(0, 3) };
  }
  return { operation: path, rest: segs.slice(2), prefix: segs.slice(0, 2) };
}

/**
 * A readable field path: `request body profiles[].profile.email`, `response 200 data`, `parameter limit`.
 * @param {string[]} rest
 * @param {string[]} prefix
 * @param {any[]} docs
 */
function fieldOf(rest, prefix, docs) {
  const parts = [];
  let name = "";
  const flush = () => {
    if (name) parts.push(name);
    name = "";
  };
  for (let i = 0; i < rest.length; i++) {
    const s = rest[i];
    const next = rest[i + 1];
    if (s === "requestBody") parts.push("request body");
    else if (s === "responses" && next !== undefined) parts.push(`response ${rest[++i]}`);
    else if (s === "parameters" && next !== undefined) {
      const p = docs.map((d) => at(d, [...prefix, ...rest.slice(0, i + 2)])).find(Boolean);
      parts.push(`parameter ${p?.name ?? `#${next}`}`);
      i++;
    } else if (s === "headers" && next !== undefined) parts.push(`header ${rest[++i]}`);
    else if (s === "content" && next !== undefined) {
      i++;
      if (i === rest.length - 1) parts.push(`media type ${rest[i]}`);
    } else if (s === "schema") continue;
    else if (s === "properties" && next !== undefined) name = name ? `${name}.${rest[++i]}` : rest[++i];
    else if (s === "items") name = `${name}[]`;
    else if (s === "additionalProperties") name = `${name}{*}`;
    else if (["allOf", "anyOf", "oneOf"].includes(s) && next !== undefined) name = `${name}(${s} #${Number(rest[++i]) + 1})`;
    else {
      flush();
      parts.push(s);
    }
  }
  flush();
  return parts.join(" ");
}

/** @param {string[]} segs */
const direction = (segs) => (segs.includes("responses") ? "response" : segs.includes("requestBody") || segs.includes("parameters") ? "request" : "other");

/**
 * One Redocly change → one line, with the project's impact.
 * @param {any} change   an element of `changes` in `redocly diff --format json`
 * @param {any} base
 * @param {any} revision
 * @returns {ApiChange}
 */
export function classify(change, base, revision) {
  const segs = segments(change.path);
  const { operation, rest, prefix } = locate(segs, [revision, base]);
  const field = fieldOf(rest, prefix, [revision, base]);
  const keyword = change.property ?? undefined;
  /** @type {{ruleId: string, message: string}[]} */
  const verdicts = change.verdicts ?? [];
  /** @type {Impact} */
  let impact = change.impact;
  let reason = "";
  let what = "";
  if (verdicts.length > 0) {
    what = verdicts.map((v) => v.message).join("; ");
    reason = verdicts.map((v) => v.ruleId).join(", ");
    if (verdicts.some((v) => v.ruleId === "enum-values-added")) reason += ": policy, a new response enum value is minor";
    if (verdicts.some((v) => v.ruleId === "required-properties-removed") && direction(segs) === "response") {
      reason += ": a response field became optional, code reading it must now handle its absence";
    }
  } else if (change.kind === "added") {
    what = keyword ? `${keyword} set to ${show(change.revision?.value)}` : "added";
    reason = "addition";
  } else if (change.kind === "removed") {
    what = keyword ? `${keyword} removed (was ${show(change.base?.value)})` : "removed";
    reason = "removal Redocly rates non-breaking";
  } else {
    what =
      keyword === "description" || keyword === "summary"
        ? `${keyword} changed`
        : `${keyword ?? "value"}: ${show(change.base?.value)} → ${show(change.revision?.value)}`;
    reason = keyword === "description" || keyword === "summary" ? "documentation" : "non-breaking modification";
  }
  if (verdicts.length === 0 && keyword && CONSTRAINTS.has(keyword) && direction(segs) === "request" && change.kind !== "added") {
    impact = maxImpact(impact, "minor");
    reason = "policy: a relaxed request constraint is minor (the client now sends what it refused before)";
  }
  if (segs[0] === "info" && keyword === "version") {
    what = `the vendor's API version: ${show(change.base?.value)} → ${show(change.revision?.value)}`;
    reason = "policy: info.version alone is patch; the changes listed decide the bump";
  }
  return { operation, field, what, impact, reason };
}

/**
 * Changes to `x-` extensions, which Redocly's diff does not report.
 * @param {any} base
 * @param {any} revision
 * @returns {ApiChange[]}
 */
export function extensionChanges(base, revision) {
  const collect = (/** @type {any} */ doc) => {
    /** @type {Map<string, {segs: string[], name: string, value: any}>} */
    const out = new Map();
    const walk = (/** @type {any} */ node, /** @type {string[]} */ segs) => {
      if (!node || typeof node !== "object") return;
      for (const [k, v] of Object.entries(node)) {
        if (k.startsWith("x-") && !Array.isArray(node)) {
          if (!IGNORED_EXTENSIONS.has(k)) out.set(JSON.stringify([...segs, k]), { segs, name: k, value: v });
        } else walk(v, [...segs, k]);
      }
    };
    walk(doc, []);
    return out;
  };
  const before = collect(base);
  const after = collect(revision);
  /** @type {ApiChange[]} */
  const changes = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(key);
    const b = after.get(key);
    const same = a && b && JSON.stringify(a.value) === JSON.stringify(b.value);
    if (same) continue;
    const { segs, name } = /** @type {{segs: string[], name: string}} */ (a ?? b);
    const rule = EXTENSIONS[name] ?? { added: "patch", removed: "patch", modified: "patch", why: "an extension the generator does not classify: runtime behaviour" };
    const kind = !a ? "added" : !b ? "removed" : "modified";
    const ruled = rule[kind];
    const impact = typeof ruled === "function" ? ruled(a?.value, b?.value) : ruled;
    const { operation, rest, prefix } = segs.length ? locate(segs, [revision, base]) : { operation: "(document)", rest: [], prefix: [] };
    changes.push({
      operation,
      field: [fieldOf(rest, prefix, [revision, base]), name].filter(Boolean).join(" "),
      what: kind === "modified" ? `${show(a?.value)} → ${show(b?.value)}` : kind === "added" ? `added: ${show(b?.value)}` : "removed",
      impact,
      reason: `${name} ${kind}: ${rule.why}`,
    });
  }
  return changes;
}

/**
 * Runs `redocly diff --format json` on two bundled documents and applies the policy.
 * @param {object} o
 * @param {any} o.base         the released document (parsed JSON)
 * @param {any} o.revision     the current document
 * @param {string} o.label     used to name the temp files Redocly reports
 * @param {string} o.repoRoot
 * @returns {Promise<{changes: ApiChange[], impact: Impact, infoVersion: {base: string, revision: string}}>}
 */
export async function diffDocuments({ base, revision, label, repoRoot }) {
  const strip = (/** @type {any} */ doc) => {
    const { "x-generated": _generated, ...rest } = doc;
    return rest;
  };
  const dir = await mkdtemp(join(tmpdir(), "ak-api-diff-"));
  try {
    const baseFile = join(dir, `${label}.released.json`);
    const revisionFile = join(dir, `${label}.current.json`);
    await writeFile(baseFile, JSON.stringify(strip(base)));
    await writeFile(revisionFile, JSON.stringify(strip(revision)));
    const cli = join(repoRoot, "node_modules", "@redocly", "cli", "bin", "cli.js");
    const { stdout } = await run(
      process.execPath,
      [cli, "diff", baseFile, revisionFile, "--config", DIFF_CONFIG, "--format", "json", "--fail-on", "none", "--lint-config", "off"],
      {
        cwd: dir,
        maxBuffer: 256 << 20,
        env: { ...process.env, REDOCLY_SUPPRESS_NOTIFICATIONS: "true", REDOCLY_TELEMETRY: "off", NO_COLOR: "1", FORCE_COLOR: "0" },
      },
    );
    const report = JSON.parse(stdout);
    // Redocly reports some extensions (scalars on known objects) and not others (nested values): every `x-`
    // change is taken from extensionChanges() instead, so each is reported once and classified by its meaning.
    const isExtension = (/** @type {any} */ c) => String(c.property ?? "").startsWith("x-") || segments(c.path).some((s) => s.startsWith("x-"));
    const changes = [
      ...report.changes.filter((/** @type {any} */ c) => !isExtension(c)).map((/** @type {any} */ c) => classify(c, base, revision)),
      ...extensionChanges(base, revision),
    ];
    changes.sort((a, b) => IMPACTS.indexOf(b.impact) - IMPACTS.indexOf(a.impact) || a.operation.localeCompare(b.operation));
    const impact = changes.reduce((/** @type {Impact} */ m, c) => maxImpact(m, c.impact), "none");
    return { changes, impact, infoVersion: report.infoVersions };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
