// @ts-check
/**
 * The workspace as pnpm sees it: every package, which ones are published, which ones are generated from a spec.
 * Everything release-related (api:diff, api:changeset, the registry and consumer tests) asks here instead of
 * listing packages by hand, so a package added to the workspace is diffed, published, packed and checked too.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * @typedef {object} WorkspacePackage
 * @property {string} name
 * @property {string} version
 * @property {string} dir        absolute path
 * @property {string} relDir     path relative to the workspace root, with forward slashes
 * @property {boolean} private
 * @property {Record<string, any>} manifest  package.json as committed (workspace: ranges and all)
 */

/**
 * Every workspace package except the root, in pnpm's order.
 * @param {string} [root]
 * @returns {WorkspacePackage[]}
 */
export function workspacePackages(root = repoRoot) {
  const out = execFileSync("pnpm", ["ls", "-r", "--json", "--depth", "-1"], { cwd: root, encoding: "utf8" });
  /** @type {{name: string, path: string}[]} */
  const listed = JSON.parse(out);
  const realRoot = resolve(root);
  return listed
    .filter((p) => resolve(p.path) !== realRoot)
    .map((p) => {
      const manifest = JSON.parse(readFileSync(join(p.path, "package.json"), "utf8"));
      return {
        name: manifest.name,
        version: manifest.version,
        dir: p.path,
        relDir: relative(realRoot, p.path).split("\\").join("/"),
        private: manifest.private === true,
        manifest,
      };
    });
}

/** Packages that are published (not `"private": true`). */
export function publishablePackages(root = repoRoot) {
  return workspacePackages(root).filter((p) => !p.private);
}

/**
 * The vendor APIs: every spec listed under `apis:` in redocly.yaml whose package (packages/<slug>) is published.
 * @param {string} [root]
 * @returns {{slug: string, specRoot: string, pkg: WorkspacePackage}[]}
 */
export function vendorPackages(root = repoRoot) {
  const config = parse(readFileSync(join(root, "redocly.yaml"), "utf8"));
  const bySlug = new Map(publishablePackages(root).map((p) => [basename(p.dir), p]));
  return Object.entries(config.apis ?? {}).flatMap(([name, api]) => {
    const slug = name.split("@")[0];
    const pkg = bySlug.get(slug);
    if (!pkg || !existsSync(join(pkg.dir, "openapi.json"))) return [];
    return [{ slug, specRoot: join(root, /** @type {{root: string}} */ (api).root), pkg }];
  });
}

/**
 * Publishable packages that depend (dependencies, or required peerDependencies) on `name` in the workspace: they
 * re-export or wrap it, so a breaking change to it is a breaking change to them (the facade re-exports every
 * vendor). An optional peer (@activation-kit/testing reads whichever vendor package the user installed) wraps
 * nothing of its API, so it does not follow its bumps.
 * @param {string} name
 * @param {WorkspacePackage[]} packages
 */
export function publishableDependents(name, packages) {
  return packages.filter(
    (p) =>
      !p.private &&
      (p.manifest.dependencies?.[name] || (p.manifest.peerDependencies?.[name] && !p.manifest.peerDependenciesMeta?.[name]?.optional)),
  );
}

/**
 * Maps each published package's exports to its TypeScript sources (`./dist/x.d.ts` → `src/x.ts`), as TypeScript
 * `paths`, so usage code can be type-checked against a package's sources without building it.
 * @param {string} root       where the packages live (a checkout, or a copy of one)
 * @param {WorkspacePackage[]} packages
 * @returns {Record<string, string[]>}
 */
export function sourcePaths(root, packages) {
  /** @type {Record<string, string[]>} */
  const paths = {};
  for (const p of packages) {
    for (const [sub, target] of Object.entries(p.manifest.exports ?? {})) {
      const types = typeof target === "object" && target ? target.types : undefined;
      if (typeof types !== "string") continue;
      const src = types.replace(/^\.\/dist\//, "src/").replace(/\.d\.ts$/, ".ts");
      const specifier = sub === "." ? p.name : `${p.name}/${sub.slice(2)}`;
      paths[specifier] = [join(root, p.relDir, src)];
    }
  }
  return paths;
}
