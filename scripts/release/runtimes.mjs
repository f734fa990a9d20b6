// @ts-check
/**
 * The JavaScript runtimes of the consumer matrix, from the npm registry (`npm exec --package=node@22`, `bun`,
 * `deno`), resolved once to the binary's path so each check starts it directly. Downloads go to the registry
 * this machine uses (never to the local test registry) and land in npm's cache.
 */
import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import { promisify } from "node:util";
import { upstreamRegistry } from "./registry.mjs";

const run = promisify(execFile);

/**
 * @param {string} pkg       npm package that provides the binary
 * @param {string} bin
 * @param {string[]} args    prints the binary's own path
 */
async function binaryOf(pkg, bin, args) {
  const registry = upstreamRegistry();
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k)));
  const { stdout } = await run("npm", ["exec", "--yes", `--registry=${registry}`, `--package=${pkg}`, "--", bin, ...args], {
    cwd: tmpdir(),
    env: { ...env, npm_config_update_notifier: "false" },
    maxBuffer: 16 << 20,
  });
  return stdout.trim().split("\n").at(-1) ?? "";
}

/** @returns {Promise<Record<string, string>>} runtime label → binary */
export async function resolveRuntimes() {
  const current = Number(process.versions.node.split(".")[0]);
  /** @type {[string, Promise<string>][]} */
  const jobs = [20, 22, 24].map((major) => [
    `node ${major}`,
    major === current ? Promise.resolve(process.execPath) : binaryOf(`node@${major}`, "node", ["-p", "process.execPath"]),
  ]);
  jobs.push(["bun", binaryOf("bun", "bun", ["-e", "console.log(process.execPath)"])]);
  jobs.push(["deno", binaryOf("deno", "deno", ["eval", "console.log(Deno.execPath())"])]);
  const out = /** @type {Record<string, string>} */ ({});
  for (const [label, job] of jobs) out[label] = await job;
  return out;
}
