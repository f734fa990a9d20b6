#!/usr/bin/env node
// @ts-check
/**
 * `pnpm release`: the real release, run by a CI provider after the "Version packages" commit (`pnpm
 * version-packages`) landed on main. Builds everything, then `changeset publish` to the npm registry with
 * provenance (every package's publishConfig says `provenance: true`; npm signs it with the provider's OIDC token,
 * so this refuses to run anywhere else), then pushes the `<package>@<version>` tags it created.
 *
 * The tests and `npm start` never call this: they publish a scratch copy to a loopback Verdaccio
 * (scripts/release/publish.mjs), and that path refuses any registry that is not on loopback.
 */
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const env = process.env;
const provider = env.GITHUB_ACTIONS === "true" && env.ACTIONS_ID_TOKEN_REQUEST_URL ? "GitHub Actions (id-token: write)" : null;
if (!provider) {
  console.error(
    "release: refusing to publish: a real release runs only in CI with an OIDC token for npm provenance " +
      "(GitHub Actions with `permissions: id-token: write`). To try a release locally, `npm start` publishes to a " +
      "local registry on loopback.",
  );
  process.exit(1);
}
const sh = (/** @type {string} */ cmd, /** @type {string[]} */ args) => execFileSync(cmd, args, { cwd: root, stdio: "inherit", env });
console.log(`release: ${provider}`);
sh("pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only"]);
sh("node", ["scripts/api-changeset.mjs", "--check"]);
sh("pnpm", ["exec", "changeset", "publish"]);
sh("git", ["push", "--follow-tags"]);
