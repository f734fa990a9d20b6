// @ts-check
/**
 * Releases and version arithmetic shared by api:diff, api:changeset and the gate.
 *
 * A release of a package is the git tag `changeset publish` creates: `<name>@<version>`. The last release is the
 * highest such version reachable from HEAD.
 *
 * 0.x: while a package's major version is 0, npm's caret range `^0.y.z` accepts only `0.y.*`, so a breaking
 * change is released as a minor bump (0.2.3 → 0.3.0) and additions and fixes as a patch bump (0.2.3 → 0.2.4).
 * From 1.0.0 on, the API impact is the bump. Going to 1.0.0 is a maintainer's decision (a `major` changeset
 * written by hand), never an automatic one.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/** @typedef {"none" | "patch" | "minor" | "major"} Impact */

/** @type {Impact[]} */
export const IMPACTS = ["none", "patch", "minor", "major"];

/** @param {Impact} a @param {Impact} b @returns {Impact} */
export const maxImpact = (a, b) => (IMPACTS.indexOf(a) >= IMPACTS.indexOf(b) ? a : b);

/** @param {string} v */
export function parseVersion(v) {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/.exec(v);
  if (!m) throw new Error(`not a semver version: ${v}`);
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), pre: m[4] ?? "" };
}

/** @param {string} a @param {string} b */
export function compareVersions(a, b) {
  const x = parseVersion(a);
  const y = parseVersion(b);
  for (const k of /** @type {const} */ (["major", "minor", "patch"])) if (x[k] !== y[k]) return x[k] - y[k];
  if (x.pre === y.pre) return 0;
  if (!x.pre) return 1;
  if (!y.pre) return -1;
  return x.pre < y.pre ? -1 : 1;
}

/**
 * The changeset bump an API impact demands of a package at `version` (see the 0.x rule above).
 * @param {Impact} impact
 * @param {string} version
 * @returns {Impact}
 */
export function bumpFor(impact, version) {
  if (impact === "none") return "none";
  if (parseVersion(version).major > 0) return impact;
  return impact === "major" ? "minor" : "patch";
}

/**
 * The version a bump produces (what `changeset version` writes).
 * @param {string} version
 * @param {Impact} bump
 */
export function bumpVersion(version, bump) {
  const v = parseVersion(version);
  if (bump === "major") return `${v.major + 1}.0.0`;
  if (bump === "minor") return `${v.major}.${v.minor + 1}.0`;
  if (bump === "patch") return `${v.major}.${v.minor}.${v.patch + 1}`;
  return version;
}

/**
 * Which bump took `from` to `to` ("none" if equal).
 * @param {string} from
 * @param {string} to
 * @returns {Impact}
 */
export function bumpBetween(from, to) {
  const a = parseVersion(from);
  const b = parseVersion(to);
  if (b.major !== a.major) return "major";
  if (b.minor !== a.minor) return "minor";
  if (b.patch !== a.patch) return "patch";
  return "none";
}

/**
 * The last release of a package: the highest `<name>@<version>` tag reachable from HEAD.
 * @param {string} root
 * @param {string} name
 * @returns {{tag: string, version: string} | undefined}
 */
export function lastRelease(root, name) {
  const out = execFileSync("git", ["tag", "--list", `${name}@*`, "--merged", "HEAD"], { cwd: root, encoding: "utf8" });
  const releases = out
    .split("\n")
    .filter(Boolean)
    .map((tag) => ({ tag, version: tag.slice(name.length + 1) }))
    .filter((r) => /^\d+\.\d+\.\d+/.test(r.version));
  releases.sort((a, b) => compareVersions(a.version, b.version));
  return releases.at(-1);
}

/**
 * Pending changesets (.changeset/*.md except README.md): the bump each one asks of each package.
 * @param {string} root
 * @returns {{file: string, releases: Record<string, Impact>, summary: string}[]}
 */
export function pendingChangesets(root) {
  const dir = join(root, ".changeset");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".md") && f.toLowerCase() !== "readme.md")
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), "utf8");
      const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
      if (!m) throw new Error(`.changeset/${file}: no front matter`);
      return { file, releases: parse(m[1]) ?? {}, summary: m[2].trim() };
    });
}

/**
 * The largest bump the pending changesets give each package.
 * @param {ReturnType<typeof pendingChangesets>} changesets
 * @returns {Map<string, {bump: Impact, files: string[]}>}
 */
export function pendingBumps(changesets) {
  /** @type {Map<string, {bump: Impact, files: string[]}>} */
  const out = new Map();
  for (const c of changesets) {
    for (const [name, bump] of Object.entries(c.releases)) {
      const cur = out.get(name) ?? { bump: "none", files: [] };
      out.set(name, { bump: maxImpact(cur.bump, bump), files: [...cur.files, c.file] });
    }
  }
  return out;
}
