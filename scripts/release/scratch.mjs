// @ts-check
/**
 * Scratch copies of the repository for the release tests and `npm start`: a clone that shares the object store
 * (so it is quick and its tags and commits never touch the real repository), with the working tree of the
 * original laid over it and committed (so uncommitted work is what gets released), its dependencies installed
 * offline from the pnpm store, and the original's build output copied in.
 */
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { cpSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { workspacePackages } from "./workspace.mjs";

const execAsync = promisify(execFile);

const IDENTITY = ["-c", "user.name=activation-kit release test", "-c", "user.email=release-test@activation-kit.invalid", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"];

/**
 * Runs git in `cwd` with a fixed identity (commits and the tags `changeset publish` makes need one).
 * @param {string} cwd
 * @param {string[]} args
 */
export const git = (cwd, ...args) => execFileSync("git", [...IDENTITY, ...args], { cwd, encoding: "utf8", maxBuffer: 256 << 20 }).trim();

/**
 * @param {object} o
 * @param {string} o.from          a checkout (the repository, or another scratch copy)
 * @param {string} o.dir           where the copy goes (must not exist)
 * @param {boolean} [o.install]    pnpm install --offline (default true)
 * @param {boolean} [o.copyBuild]  copy every package's dist/ (default true)
 * @param {(line: string) => void} [o.log]
 */
export async function createScratchCopy({ from, dir, install = true, copyBuild = true, log = () => {} }) {
  const head = git(from, "rev-parse", "HEAD");
  execFileSync("git", ["clone", "--quiet", "--shared", "--no-checkout", from, dir]);
  git(dir, "checkout", "--quiet", "--detach", head);
  // Tags of the original (earlier releases) come along; tags made here stay here.
  const tags = git(from, "tag", "--list").split("\n").filter(Boolean);
  for (const tag of tags) git(dir, "tag", "--force", tag, git(from, "rev-parse", `${tag}^{}`));

  // Lay the working tree over it: modified and new (not ignored) files, and deletions.
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: from, maxBuffer: 256 << 20 });
  const tar = execFileSync("tar", ["--null", "--ignore-failed-read", "-T", "-", "-cf", "-"], { cwd: from, input: files, maxBuffer: 1 << 30 });
  execFileSync("tar", ["-xf", "-"], { cwd: dir, input: tar, maxBuffer: 1 << 30 });
  const deleted = execFileSync("git", ["ls-files", "-z", "--deleted"], { cwd: from, encoding: "utf8" }).split("\0").filter(Boolean);
  for (const f of deleted) rmSync(join(dir, f), { force: true });
  if (git(dir, "status", "--porcelain")) {
    git(dir, "add", "-A");
    git(dir, "commit", "--quiet", "--no-verify", "-m", `scratch: working tree of ${from}`);
  }

  if (install) {
    // Asynchronous, like every long step here: callers run mocks and registries in the same event loop.
    await execAsync("pnpm", ["install", "--frozen-lockfile", "--offline", "--reporter=silent"], {
      cwd: dir,
      env: { ...process.env, CI: "true" },
      maxBuffer: 64 << 20,
    });
  }
  if (copyBuild) {
    for (const p of workspacePackages(from)) {
      const dist = join(p.dir, "dist");
      if (existsSync(dist)) cpSync(dist, join(dir, p.relDir, "dist"), { recursive: true });
      else if (!p.private && (p.manifest.files ?? []).includes("dist")) {
        throw new Error(`${p.name} has no dist/ in ${from}: build first (pnpm build), or its release would ship without code`);
      }
    }
  }
  log(`scratch copy of ${from} at ${dir} (${head.slice(0, 8)}${tags.length ? `, ${tags.length} tag(s)` : ""})`);
  return dir;
}
