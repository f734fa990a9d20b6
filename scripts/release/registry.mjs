// @ts-check
/**
 * A real npm registry on loopback (Verdaccio, a root devDependency) for the release tests and `npm start`:
 * `activation-kit` and `@activation-kit/*` are served only from its own storage (never looked up upstream), every
 * other package is proxied to the registry this machine uses (`npm config get registry`), and it listens on
 * 127.0.0.1 only. Nothing here can publish anywhere else: every publish goes through `assertLoopbackRegistry`.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../prism.mjs";
import { repoRoot } from "./workspace.mjs";

/** The package names the local registry keeps to itself (no uplink): everything this workspace publishes. */
export const LOCAL_PACKAGE_PATTERNS = ["@activation-kit/*", "activation-kit"];

/**
 * Throws unless `url` is an http(s) URL on a loopback address. Called before every publish and every write of an
 * .npmrc that a publish could read.
 * @param {string} url
 */
export function assertLoopbackRegistry(url) {
  let host = "";
  try {
    host = new URL(url).hostname;
  } catch {
    throw new Error(`refusing to publish: registry ${JSON.stringify(url)} is not a URL`);
  }
  const loopback = host === "localhost" || host === "[::1]" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
  if (!loopback) throw new Error(`refusing to publish: registry ${url} is not on loopback (publishing is only ever done to a local test registry)`);
  return url;
}

/** The registry npm on this machine installs from (what Verdaccio proxies to). */
export function upstreamRegistry() {
  const fromEnv = process.env.AK_UPSTREAM_REGISTRY;
  if (fromEnv) return fromEnv;
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k)));
  const configured = execFileSync("npm", ["config", "get", "registry"], { encoding: "utf8", cwd: tmpdir(), env }).trim();
  return configured || "https://registry.npmjs.org/";
}

/**
 * @typedef {object} LocalRegistry
 * @property {string} url        `http://127.0.0.1:<port>/`
 * @property {string} token      an auth token of a user registered for this run (publishing needs one)
 * @property {string} dir        Verdaccio's config and storage
 * @property {string} upstream   what it proxies to
 * @property {(dir: string, extra?: string[]) => string} writeNpmrc  writes `<dir>/.npmrc` pointing at it; returns the path
 * @property {() => Promise<void>} stop
 */

/**
 * Starts Verdaccio on a free loopback port with a fresh config and storage in a temp dir.
 * @param {{log?: (line: string) => void}} [o]
 * @returns {Promise<LocalRegistry>}
 */
export async function startLocalRegistry({ log = () => {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "ak-registry-"));
  const port = await freePort();
  const upstream = upstreamRegistry();
  const url = assertLoopbackRegistry(`http://127.0.0.1:${port}/`);
  mkdirSync(join(dir, "storage"));
  const local = LOCAL_PACKAGE_PATTERNS.map(
    (p) => `  '${p}':\n    access: $all\n    publish: $authenticated\n    unpublish: $authenticated\n`,
  ).join("");
  writeFileSync(
    join(dir, "config.yaml"),
    [
      `storage: ${join(dir, "storage")}`,
      "auth:",
      "  htpasswd:",
      `    file: ${join(dir, "htpasswd")}`,
      "    max_users: 10",
      "uplinks:",
      "  upstream:",
      `    url: ${upstream}`,
      "    timeout: 60s",
      "    maxage: 30m",
      "packages:",
      local.trimEnd(),
      "  '**':",
      "    access: $all",
      "    publish: $authenticated",
      "    proxy: upstream",
      "web:",
      "  enable: false",
      "max_body_size: 200mb",
      "log: { type: stdout, format: pretty, level: warn }",
      `listen: 127.0.0.1:${port}`,
      "",
    ].join("\n"),
  );
  const bin = join(repoRoot, "node_modules", "verdaccio", "bin", "verdaccio");
  const child = spawn(process.execPath, [bin, "--config", join(dir, "config.yaml")], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_ENV: "production", FORCE_COLOR: "0" },
  });
  let output = "";
  child.stdout.on("data", (c) => (output += c));
  child.stderr.on("data", (c) => (output += c));
  const exited = new Promise((resolve) => child.once("exit", resolve));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Verdaccio exited with ${child.exitCode}:\n${output}`);
    const ok = await fetch(`${url}-/ping`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`Verdaccio did not answer on ${url} in 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  const user = "ak-release-test";
  const res = await fetch(`${url}-/user/org.couchdb.user:${user}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ _id: `org.couchdb.user:${user}`, name: user, password: `pw-${port}-${Date.now()}`, type: "user", roles: [], date: new Date().toISOString() }),
  });
  const body = /** @type {{token?: string}} */ (await res.json());
  if (!res.ok || !body.token) throw new Error(`Verdaccio refused to register the test user: ${res.status} ${JSON.stringify(body)}`);
  const token = body.token;
  log(`local registry ${url} (Verdaccio; proxies other packages to ${upstream})`);

  return {
    url,
    token,
    dir,
    upstream,
    writeNpmrc: (target, extra = []) => writeNpmrc(target, url, token, extra),
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Writes `<dir>/.npmrc` for the local registry (and nothing else): its URL for every scope, its token.
 * @param {string} dir
 * @param {string} url
 * @param {string} token
 * @param {string[]} [extra]
 */
export function writeNpmrc(dir, url, token, extra = []) {
  assertLoopbackRegistry(url);
  const hostPath = url.replace(/^https?:/, "");
  const file = join(dir, ".npmrc");
  writeFileSync(
    file,
    [`registry=${url}`, `@activation-kit:registry=${url}`, `${hostPath}:_authToken=${token}`, "fund=false", "audit=false", "update-notifier=false", ...extra, ""].join("\n"),
  );
  return file;
}

/**
 * Environment for npm/pnpm commands that must only ever talk to `registryUrl`: the registry settings are forced
 * through environment variables (which beat every .npmrc), and the user's own ~/.npmrc, which might hold a real
 * token, is replaced by `userconfig`.
 * @param {string} registryUrl
 * @param {string} userconfig    an .npmrc written by `writeNpmrc`
 * @param {Record<string, string | undefined>} [base]
 */
export function registryEnv(registryUrl, userconfig, base = process.env) {
  assertLoopbackRegistry(registryUrl);
  const env = Object.fromEntries(Object.entries(base).filter(([k]) => !/^(npm_config_|NPM_CONFIG_|NODE_AUTH_TOKEN$|NPM_TOKEN$)/i.test(k)));
  return {
    ...env,
    npm_config_registry: registryUrl,
    "npm_config_@activation-kit:registry": registryUrl,
    npm_config_userconfig: userconfig,
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    npm_config_audit: "false",
  };
}
