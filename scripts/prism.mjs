// @ts-check
/**
 * Prism mocks of the bundled specs for the project's own scripts, through the same `startMock` that users get
 * from @activation-kit/testing (packages/testing): one mechanism for the contract tests' global setup, the demo
 * (`npm start` without vendor credentials) and users' own tests.
 */
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
 * Starts the mock of one vendor (request validation on, `--errors`): a thin delegate to `startMock`, kept for
 * the scripts that import it.
 * @param {string} slug
 * @returns {Promise<{slug: string, port: number, url: string, stop: () => Promise<void>, mock: import("@activation-kit/testing").MockServer}>}
 */
export async function startPrism(slug) {
  // Loaded here, not at the top: scripts that only need `repoRoot`/`specSlugs` run before any build.
  const { startMock } = await import("@activation-kit/testing");
  const mock = await startMock(/** @type {import("@activation-kit/testing").Vendor} */ (slug));
  return { slug, port: mock.port, url: mock.baseUrl, stop: () => mock.close(), mock };
}
