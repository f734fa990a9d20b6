#!/usr/bin/env node
// @ts-check
/**
 * `pnpm docs:serve`: serves docs/site/ (built first by `pnpm docs:build`) on loopback only and prints the URL.
 * Port: `--port N` or DOCS_PORT (default 4173; a free one if that is taken). The browser test serves the site
 * with the same function.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/**
 * Serves a static folder on 127.0.0.1.
 * @param {string} root
 * @param {{ port?: number }} [options] port 0 (default): any free port
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export async function serveSite(root, { port = 0 } = {}) {
  const base = resolve(root);
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
    let file = resolve(join(base, pathname));
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) {
      if (!pathname.endsWith("/")) {
        res.writeHead(301, { location: `${pathname}/` }).end();
        return;
      }
      file = join(file, "index.html");
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405).end();
      return;
    }
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end(`not found: ${pathname}\n`);
      return;
    }
    res.writeHead(200, {
      "content-type": TYPES[/** @type {keyof typeof TYPES} */ (extname(file))] ?? "application/octet-stream",
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
    });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  });
  const listen = (/** @type {number} */ p) =>
    new Promise((ok, fail) => {
      server.once("error", fail);
      server.listen(p, "127.0.0.1", () => ok(undefined));
    });
  await listen(port).catch(async (error) => {
    if (error.code !== "EADDRINUSE" || port === 0) throw error;
    await listen(0);
  });
  const address = server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actual}/`,
    port: actual,
    close: () => new Promise((ok) => server.close(() => ok(undefined))),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const site = join(dirname(fileURLToPath(import.meta.url)), "..", "docs", "site");
  if (!existsSync(join(site, "index.html"))) {
    console.error("docs/site/ is not built: run pnpm docs:build");
    process.exit(1);
  }
  const flag = process.argv.indexOf("--port");
  const port = Number(flag > 0 ? process.argv[flag + 1] : (process.env.DOCS_PORT ?? 4173));
  const { url } = await serveSite(site, { port });
  console.log(`docs: serving docs/site/ at ${url} (Ctrl-C to stop)`);
}
