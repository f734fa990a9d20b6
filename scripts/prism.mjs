// @ts-check
/**
 * Starts real Prism mock servers from the bundled specs (packages/<slug>/openapi.json) on free loopback ports.
 * Used by the contract tests' global setup and by the demo (`pnpm demo` without vendor credentials).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Vendor slugs, in the order redocly.yaml lists their specs. */
export function specSlugs() {
  const config = parse(readFileSync(join(repoRoot, "redocly.yaml"), "utf8"));
  return Object.keys(config.apis).map((name) => name.split("@")[0]);
}

/** @returns {Promise<number>} */
export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => res(port));
    });
  });
}

/**
 * Starts `prism mock` for one vendor with request validation on and `--errors` (violations are errors).
 * @param {string} slug
 * @returns {Promise<{slug: string, port: number, url: string, stop: () => void}>}
 */
export async function startPrism(slug) {
  const port = await freePort();
  const bin = join(repoRoot, "node_modules", ".bin", "prism");
  const spec = join(repoRoot, "packages", slug, "openapi.json");
  const child = spawn(bin, ["mock", "--host", "127.0.0.1", "--port", String(port), "--errors", spec], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_ENV: "production", FORCE_COLOR: "0" },
  });
  await new Promise((res, rej) => {
    let log = "";
    const timer = setTimeout(() => rej(new Error(`Prism for ${slug} did not start in 90 s:\n${log}`)), 90_000);
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      log += chunk.toString();
      if (log.includes("Prism is listening")) {
        clearTimeout(timer);
        res(undefined);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      rej(new Error(`Prism for ${slug} exited with ${code}:\n${log}`));
    });
  });
  child.removeAllListeners("exit");
  return { slug, port, url: `http://127.0.0.1:${port}`, stop: () => child.kill("SIGTERM") };
}
