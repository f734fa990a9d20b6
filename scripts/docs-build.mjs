#!/usr/bin/env node
// @ts-check
/**
 * `pnpm docs:build`: the reference site, a static folder in docs/site/ (built, not committed) that works with no
 * network at all. Everything on it is generated from the specs (redocly.yaml `apis:`, packages/<slug>/openapi.json)
 * and the packages' package.json, README.md and CHANGELOG.md:
 *
 *   index.html                 landing page: every vendor package, its version, API version, operation count,
 *                              auth schemes and servers, links to its reference, README and changelog
 *   <slug>/index.html          the vendor's API reference, rendered in the browser by Redoc
 *   <slug>/openapi.json        the docs' copy of the spec: the bundled spec plus a TypeScript sample per operation
 *   <dir>/readme.html          each package's README (and changelog.html once the package has a CHANGELOG.md)
 *   assets/redoc.standalone.js the Redoc bundle @redocly/cli's build-docs uses, served from the site itself
 *   assets/site.css
 *
 * Offline by construction: no page references another origin, each page's Content-Security-Policy lets the browser
 * load nothing from anywhere but the site itself (so no CDN and no telemetry endpoint can be reached even if a
 * Redoc update tried), and Redoc is started with `disableTelemetry`. tests/docs/site.browser.test.ts checks it in
 * Chromium. Serve the folder with `pnpm docs:serve`.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, posix, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { marked } from "marked";
import { listApis } from "../generators/src/bundle.mjs";
import { operationsOf } from "../generators/src/spec-walk.mjs";
import { SAMPLE_LABEL, withCodeSamples } from "./docs-snippets.mjs";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const siteDir = join(repoRoot, "docs", "site");

/**
 * The Redoc bundle that `redocly build-docs` of the pinned @redocly/cli loads (from a CDN unless inlined): the
 * same file, served from the site. Its header names the Redoc version.
 */
function redocBundle() {
  const require = createRequire(import.meta.url);
  const cliDir = dirname(require.resolve("@redocly/cli/package.json"));
  const file = join(cliDir, "lib", "chunks", "redoc.standalone.js");
  if (!existsSync(file)) throw new Error(`docs: the Redoc bundle is not where @redocly/cli keeps it (${file}); update scripts/docs-build.mjs`);
  const head = readFileSync(file, "utf8").slice(0, 400);
  const version = /Version: (\S+)/.exec(head)?.[1];
  if (!version) throw new Error(`docs: ${file} does not name its Redoc version`);
  return { file, version };
}

/**
 * The Redoc bundle with its one remote asset made local: the sidebar's "API docs by Redocly" attribution loads
 * its logo from cdn.redoc.ly on every page, whatever the options. The same wordmark comes from a data: URL
 * instead (the attribution and its link stay). Each URL must occur exactly once, so a Redoc update that changes
 * them fails the build instead of sending requests off the machine.
 * @param {string} js
 */
function offlineRedoc(js) {
  const wordmark = (/** @type {string} */ text, /** @type {number} */ width) =>
    `data:image/svg+xml,${encodeURIComponent(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="16" viewBox="0 0 ${width} 16"><text x="0" y="12.5" font-family="system-ui,sans-serif" font-size="13" font-weight="600" fill="#0044D4">${text}</text></svg>`,
    )}`;
  const local = {
    "https://cdn.redoc.ly/redoc/logo-mini-full.svg": wordmark("Redocly", 56),
    "https://cdn.redoc.ly/redoc/logo-mini.svg": wordmark("R", 10),
  };
  for (const [url, replacement] of Object.entries(local)) {
    const count = js.split(url).length - 1;
    if (count !== 1) throw new Error(`docs: expected ${url} once in the Redoc bundle, found it ${count} times; update offlineRedoc()`);
    js = js.replace(url, replacement);
  }
  return js;
}

/**
 * What the browser may load on every page: this site only. `connect-src 'self'` is what keeps Redoc's telemetry
 * (and any CDN fetch) from leaving the machine; blob: is the search index worker Redoc starts.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

/** @param {string} text */
function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

/** JSON that can sit inside a <script> element. */
function scriptJson(value) {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * @param {{ title: string, depth: number, body: string, head?: string, bodyClass?: string }} page
 */
function htmlPage({ title, depth, body, head = "", bodyClass = "" }) {
  const up = depth === 0 ? "./" : "../".repeat(depth);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${up}assets/site.css">
${head}</head>
<body${bodyClass ? ` class="${bodyClass}"` : ""}>
${body}
</body>
</html>
`;
}

/** @param {number} depth @param {string} [current] */
function topBar(depth, current = "") {
  const up = depth === 0 ? "./" : "../".repeat(depth);
  return `<header class="topbar"><a class="home" href="${up}">activation-kit</a>${current ? ` <span class="sep">/</span> ${escapeHtml(current)}` : ""}</header>`;
}

/**
 * Markdown → HTML with links between packages rewritten to the site's pages. A relative link the site cannot
 * serve fails the build (it would be a dead link on the page).
 * @param {string} markdown
 * @param {string} from package folder the file belongs to (packages/<from>/)
 * @param {Map<string, { readme: string, changelog?: string }>} pages package folder → its pages in the site
 * @param {string} what for error messages
 */
function renderMarkdown(markdown, from, pages, what) {
  const dead = [];
  const html = marked.parse(markdown, {
    async: false,
    gfm: true,
    walkTokens(token) {
      if (token.type !== "link" && token.type !== "image") return;
      const href = token.href;
      if (/^([a-z][a-z0-9+.-]*:|#)/i.test(href)) return;
      const [path, hash = ""] = href.split("#");
      const target = posix.normalize(posix.join(from, path));
      const m = /^([^/]+)\/(README|CHANGELOG)\.md$/i.exec(target);
      const page = m ? pages.get(m[1]) : undefined;
      const file = m && page ? (m[2].toUpperCase() === "README" ? page.readme : page.changelog) : undefined;
      if (!m || !file) {
        dead.push(href);
        return;
      }
      token.href = `../${m[1]}/${file}${hash ? `#${hash}` : ""}`;
    },
  });
  if (dead.length) throw new Error(`docs: ${what} links to files the site does not have: ${dead.join(", ")}`);
  return /** @type {string} */ (html);
}

/** @param {any} scheme */
function describeScheme(scheme) {
  if (scheme.type === "http") return scheme.scheme?.toLowerCase() === "basic" ? "HTTP Basic" : `HTTP ${scheme.scheme?.toLowerCase() === "bearer" ? "Bearer" : scheme.scheme} token`;
  if (scheme.type === "apiKey") return `API key in ${scheme.in} \`${scheme.name}\``;
  if (scheme.type === "oauth2") return `OAuth 2 (${Object.keys(scheme.flows ?? {}).join(", ")})`;
  if (scheme.type === "openIdConnect") return "OpenID Connect";
  return scheme.type;
}

/** Auth schemes the API uses (root `security` and any operation's), with what each is. */
function authSchemes(doc) {
  const used = new Set();
  for (const req of doc.security ?? []) for (const name of Object.keys(req)) used.add(name);
  for (const { op } of operationsOf(doc)) for (const req of op.security ?? []) for (const name of Object.keys(req)) used.add(name);
  const schemes = doc.components?.securitySchemes ?? {};
  return [...used].map((name) => {
    if (!schemes[name]) throw new Error(`docs: security scheme ${name} is used but not defined`);
    return { name, what: describeScheme(schemes[name]) };
  });
}

/** @param {string} text */
function inlineCode(text) {
  return escapeHtml(text).replace(/`([^`]+)`/g, "<code>$1</code>");
}

async function main() {
  const started = performance.now();
  const redoc = redocBundle();
  const apis = await listApis(repoRoot);
  rmSync(siteDir, { recursive: true, force: true });
  mkdirSync(join(siteDir, "assets"), { recursive: true });
  writeFileSync(join(siteDir, "assets", "redoc.standalone.js"), offlineRedoc(readFileSync(redoc.file, "utf8")));
  copyFileSync(join(repoRoot, "docs", "src", "site.css"), join(siteDir, "assets", "site.css"));

  // Every package with a README gets pages; vendors (the specs) also get a reference.
  const packagesDir = join(repoRoot, "packages");
  const dirs = readdirSync(packagesDir).filter((d) => existsSync(join(packagesDir, d, "package.json")) && existsSync(join(packagesDir, d, "README.md")));
  /** @type {Map<string, { readme: string, changelog?: string }>} */
  const pages = new Map(dirs.map((d) => [d, { readme: "readme.html", ...(existsSync(join(packagesDir, d, "CHANGELOG.md")) ? { changelog: "changelog.html" } : {}) }]));
  const pkgs = new Map(dirs.map((d) => [d, JSON.parse(readFileSync(join(packagesDir, d, "package.json"), "utf8"))]));

  for (const dir of dirs) {
    const pkg = pkgs.get(dir);
    mkdirSync(join(siteDir, dir), { recursive: true });
    for (const [kind, source] of /** @type {const} */ ([["readme", "README.md"], ["changelog", "CHANGELOG.md"]])) {
      const file = join(packagesDir, dir, source);
      if (!existsSync(file)) continue;
      const html = renderMarkdown(readFileSync(file, "utf8"), dir, pages, `packages/${dir}/${source}`);
      const title = `${pkg.name} ${kind === "readme" ? "README" : "changelog"}`;
      writeFileSync(
        join(siteDir, dir, `${kind}.html`),
        htmlPage({ title: `${title} · activation-kit`, depth: 1, body: `${topBar(1, title)}\n<main class="prose">\n${html}</main>` }),
      );
    }
  }

  const vendors = [];
  for (const api of apis) {
    const doc = JSON.parse(readFileSync(join(packagesDir, api.slug, "openapi.json"), "utf8"));
    const pkg = pkgs.get(api.slug);
    if (!pkg) throw new Error(`docs: redocly.yaml lists ${api.name} but packages/${api.slug}/ has no package.json and README.md`);
    const { "x-generated": _generated, ...bundled } = doc;
    const { doc: docsSpec, samples } = withCodeSamples(repoRoot, api.slug, bundled);
    writeFileSync(join(siteDir, api.slug, "openapi.json"), `${JSON.stringify(docsSpec, null, 2)}\n`);
    const title = `${doc.info.title} ${doc.info.version}`;
    const options = {
      disableTelemetry: true,
      router: "hash",
      // Redoc CE shows only the x-codeSamples whose label is listed here; the activation-kit sample comes first,
      // so it is the tab every operation opens on.
      codeSamples: { languages: [{ lang: "TypeScript", label: SAMPLE_LABEL }, { lang: "payload", label: "Payload" }] },
      downloadUrls: [{ title: "OpenAPI (JSON)", url: "openapi.json" }],
    };
    writeFileSync(
      join(siteDir, api.slug, "index.html"),
      htmlPage({
        title: `${title} reference · activation-kit`,
        depth: 1,
        bodyClass: "reference",
        body: [
          topBar(1, `${pkg.name} reference`),
          // Redoc replaces this; it stays only when the bundle cannot load (a module script opened from disk).
          `<div id="redoc"><p class="loading">Loading the ${escapeHtml(doc.info.title)} reference… If this stays, serve the site: <code>pnpm docs:serve</code>.</p></div>`,
          `<script type="application/json" id="spec">${scriptJson(docsSpec)}</script>`,
          `<script type="module">`,
          `import { init } from "../assets/redoc.standalone.js";`,
          `init(JSON.parse(document.getElementById("spec").textContent), ${scriptJson(options)}, document.getElementById("redoc"));`,
          `</script>`,
        ].join("\n"),
      }),
    );
    vendors.push({ api, doc, pkg, operations: samples.length });
  }

  writeFileSync(join(siteDir, "index.html"), landingPage(vendors, dirs.filter((d) => !vendors.some((v) => v.api.slug === d)), pkgs, pages, redoc.version));
  const ms = performance.now() - started;
  console.log(
    `docs: ${relative(repoRoot, siteDir)}/ (${vendors.length} references, ${vendors.reduce((n, v) => n + v.operations, 0)} TypeScript samples, Redoc ${redoc.version}) in ${ms.toFixed(0)} ms`,
  );
}

/**
 * @param {{ api: { slug: string, name: string }, doc: any, pkg: any, operations: number }[]} vendors
 * @param {string[]} others package folders that are not vendors (runtime, facade)
 * @param {Map<string, any>} pkgs
 * @param {Map<string, { readme: string, changelog?: string }>} pages
 * @param {string} redocVersion
 */
function landingPage(vendors, others, pkgs, pages, redocVersion) {
  const changelogLink = (/** @type {string} */ dir) => {
    const file = pages.get(dir)?.changelog;
    return file ? `<a href="${dir}/${file}">changelog</a>` : `<span class="none">no release yet</span>`;
  };
  const cards = vendors.map(({ api, doc, pkg, operations }) => {
    const upstream = pkg["x-upstream-api"];
    const servers = (doc.servers ?? []).map((/** @type {any} */ s) => {
      const vars = Object.entries(s.variables ?? {}).map(([k, v]) => `<code>{${escapeHtml(k)}}</code> default <code>${escapeHtml(/** @type {any} */ (v).default)}</code>`);
      return `<li>${s.description ? `${inlineCode(s.description)}<br>` : ""}<code>${escapeHtml(s.url)}</code>${vars.length ? ` (${vars.join(", ")})` : ""}</li>`;
    });
    const auth = authSchemes(doc).map((a) => `<li>${inlineCode(a.what)} <span class="muted">(${escapeHtml(a.name)})</span></li>`);
    return `<section class="vendor" id="${api.slug}">
<h2><a href="${api.slug}/">${escapeHtml(doc.info.title)}</a></h2>
<p class="pkg"><code>${escapeHtml(pkg.name)}</code> <span class="version">${escapeHtml(pkg.version)}</span></p>
<p>${inlineCode(pkg.description ?? "")}</p>
<dl>
<dt>API version</dt><dd>${escapeHtml(doc.info.version)}</dd>
${upstream ? `<dt>Vendor docs</dt><dd>${escapeHtml(upstream.title)} ${escapeHtml(upstream.version)}</dd>` : ""}
<dt>Operations</dt><dd class="operations">${operations}</dd>
<dt>Auth</dt><dd><ul>${auth.join("")}</ul></dd>
<dt>Servers</dt><dd><ul>${servers.join("")}</ul></dd>
</dl>
<p class="links"><a href="${api.slug}/">API reference</a> · <a href="${api.slug}/readme.html">README</a> · ${changelogLink(api.slug)} · <a href="${api.slug}/openapi.json">OpenAPI (JSON)</a></p>
</section>`;
  });
  const shared = others.map((dir) => {
    const pkg = pkgs.get(dir);
    return `<li><a href="${dir}/readme.html"><code>${escapeHtml(pkg.name)}</code></a> <span class="version">${escapeHtml(pkg.version)}</span>: ${inlineCode(pkg.description ?? "")} (${changelogLink(dir)})</li>`;
  });
  const total = vendors.reduce((n, v) => n + v.operations, 0);
  return htmlPage({
    title: "activation-kit API reference",
    depth: 0,
    bodyClass: "landing",
    body: `${topBar(0)}
<main>
<h1>activation-kit API reference</h1>
<p>Typed TypeScript clients for ${vendors.length} customer-data and marketing-activation APIs, ${total} operations. Every operation in the references shows its activation-kit call in TypeScript.</p>
<div class="vendors">
${cards.join("\n")}
</div>
<h2>Shared packages</h2>
<ul class="shared">
${shared.join("\n")}
</ul>
</main>
<footer>Generated by <code>pnpm docs:build</code> from the OpenAPI specs and the packages' package.json files. References rendered with Redoc ${escapeHtml(redocVersion)}, served from this site.</footer>`,
  });
}

await main();
