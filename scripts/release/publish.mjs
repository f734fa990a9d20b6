// @ts-check
/**
 * Versioning and publishing a checkout with changesets, as a release does, into a local registry only.
 * Used by the release tests and by `npm start`, always on a scratch copy (scratch.mjs), never on the repository.
 */
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { assertLoopbackRegistry, registryEnv } from "./registry.mjs";
import { git } from "./scratch.mjs";
import { publishablePackages } from "./workspace.mjs";

const execAsync = promisify(execFile);

/**
 * `changeset version` (applies and deletes the pending changesets, bumps versions, writes CHANGELOG.md) and a
 * commit of the result, as the "Version packages" pull request of a real release would.
 * @param {string} dir
 * @returns {Promise<{name: string, from: string, to: string}[]>}  the packages whose version changed
 */
export async function versionPackages(dir) {
  const before = new Map(publishablePackages(dir).map((p) => [p.name, p.version]));
  await execAsync("pnpm", ["exec", "changeset", "version"], { cwd: dir, env: { ...process.env, CI: "true" }, maxBuffer: 64 << 20 });
  const bumped = publishablePackages(dir)
    .filter((p) => before.get(p.name) !== p.version)
    .map((p) => ({ name: p.name, from: before.get(p.name) ?? "(new)", to: p.version }));
  if (git(dir, "status", "--porcelain")) {
    git(dir, "add", "-A");
    git(dir, "commit", "--quiet", "--no-verify", "-m", "Version packages");
  }
  return bumped;
}

/**
 * `changeset publish` into `registryUrl` (loopback only). Provenance needs a CI provider's OIDC token, so the
 * copy's `publishConfig.provenance` is switched off first (committed, so the publish commit says so); the
 * repository keeps `provenance: true` for the real release (scripts/release.mjs).
 * @param {object} o
 * @param {string} o.dir
 * @param {string} o.registryUrl
 * @param {string} o.npmrc      an .npmrc outside `dir` with the registry's token (registry.writeNpmrc)
 * @returns {Promise<{published: string[], output: string}>}  `name@version` of every package published (from the new git tags)
 */
export async function publishToLocalRegistry({ dir, registryUrl, npmrc }) {
  assertLoopbackRegistry(registryUrl);
  for (const p of publishablePackages(dir)) {
    const file = join(p.dir, "package.json");
    const manifest = JSON.parse(readFileSync(file, "utf8"));
    if (manifest.publishConfig?.provenance) {
      manifest.publishConfig.provenance = false;
      writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
    }
  }
  if (git(dir, "status", "--porcelain")) {
    git(dir, "add", "-A");
    git(dir, "commit", "--quiet", "--no-verify", "-m", "Local registry: publish without provenance (no CI provider)");
  }
  const env = registryEnv(registryUrl, npmrc);
  // The registry pnpm and npm will use, asked the way they resolve it: it must be the loopback one.
  const effective = execFileSync("pnpm", ["config", "get", "registry"], { cwd: dir, env, encoding: "utf8" }).trim();
  assertLoopbackRegistry(effective);
  const tagsBefore = new Set(git(dir, "tag", "--list").split("\n"));
  let output = "";
  try {
    output = (await execAsync("pnpm", ["exec", "changeset", "publish"], { cwd: dir, env, encoding: "utf8", maxBuffer: 64 << 20 })).stdout;
  } catch (e) {
    const err = /** @type {{stdout?: string, stderr?: string}} */ (e);
    throw new Error(`changeset publish failed:\n${err.stdout ?? ""}\n${err.stderr ?? ""}`);
  }
  const published = git(dir, "tag", "--list")
    .split("\n")
    .filter((t) => t && !tagsBefore.has(t));
  return { published, output };
}

/**
 * GET a registry document (packument, tarball) with one retry: Verdaccio closes idle keep-alive sockets, which
 * fetch may try to reuse.
 * @param {string} url
 */
export async function registryGet(url) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetch(url, { headers: { accept: "application/json" } });
    } catch (e) {
      if (attempt >= 2) throw e;
    }
  }
}
