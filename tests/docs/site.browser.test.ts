/**
 * The reference site (docs/site/, from `pnpm docs:build`) in a real browser: Debian's Chromium, headless, driven by
 * playwright-core, the site served on a loopback port by the same server as `pnpm docs:serve`.
 *
 * Landing page: every vendor in redocly.yaml with its package version, API version, operation count, auth and
 * servers, and every link on it answering 200. Each vendor reference: every operation reachable from the
 * sidebar's tags, a click on an operation showing its request, responses and activation-kit TypeScript sample,
 * search finding an operation by its summary (and taking you there, also after a reload). On every page: no
 * request leaves the local server (all are recorded; anything else is aborted and fails the test), the page's
 * Content-Security-Policy reports no blocked attempt, no script error, and no text mentions the project's
 * internal inputs. Screenshots: tests/docs/output/.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveSite } from "../../scripts/docs-serve.mjs";
import { specSlugs } from "../../scripts/prism.mjs";

type Json = Record<string, any>;

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "..", "..");
const siteDir = join(repoRoot, "docs", "site");
const outputDir = join(here, "output");
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];
// What users must never see: where the project's inputs came from.
const INTERNAL = [/\bseeds?\b/i, /shared\//i];

let browser: Browser;
let site: Awaited<ReturnType<typeof serveSite>>;

beforeAll(async () => {
  if (!existsSync(join(siteDir, "index.html"))) throw new Error("docs/site/ is not built: run pnpm docs:build");
  rmSync(outputDir, { recursive: true, force: true });
  mkdirSync(outputDir, { recursive: true });
  const executablePath = execFileSync("bash", [join(repoRoot, "scripts", "ensure-chromium.sh")], { encoding: "utf8" }).trim().split("\n").pop()!;
  site = await serveSite(siteDir);
  // Playwright starts the browser with a fresh temporary profile of its own (it refuses --user-data-dir).
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** Every place `text` mentions the project's internal inputs, with some context. */
function internalMentions(text: string): string[] {
  return INTERNAL.flatMap((re) =>
    [...text.matchAll(new RegExp(re.source, "gi"))].map((m) => `"${text.slice(Math.max(0, m.index - 50), m.index + 50).replace(/\s+/g, " ")}"`),
  );
}

/**
 * Opens a page of the site in a fresh context that records every request the page makes and aborts any that
 * is not to the local server (so a failing run does not leak either). `finish` asserts the page stayed local,
 * broke no CSP rule, threw nothing, and shows no internal references.
 */
async function open(path: string) {
  const context: BrowserContext = await browser.newContext({ viewport: { width: 1400, height: 900 }, serviceWorkers: "block" });
  const requests: string[] = [];
  const origin = new URL(site.url).origin;
  const local = (url: string) => url.startsWith(`${origin}/`) || url.startsWith("data:") || url.startsWith("blob:");
  context.on("request", (r) => requests.push(r.url()));
  await context.route("**/*", (route) => (local(route.request().url()) ? route.continue() : route.abort("blockedbyclient")));
  // Loads the page's CSP refused. Only loads count: Redoc's search index probes `Function(…)` to run in a
  // worker and, refused (`script-src eval`, blockedURI "eval"), builds the index on the page instead.
  await context.addInitScript(() => {
    const w = window as unknown as { __blocked: string[] };
    w.__blocked = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      if (/^[a-z][a-z0-9+.-]*:/i.test(e.blockedURI)) w.__blocked.push(`${e.effectiveDirective} ${e.blockedURI}`);
    });
  });
  const page: Page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(new URL(path, site.url).href);
  /** What the page did that it must not: requests off the local server, CSP reports, errors, internal text. */
  async function collect() {
    const blocked = await page.evaluate(() => (window as unknown as { __blocked: string[] }).__blocked);
    const text = await page.evaluate(() => document.body.innerText);
    await context.close();
    expect(requests.length, "requests recorded").toBeGreaterThan(0);
    return { offsite: requests.filter((u) => !local(u)), blocked, errors, mentions: internalMentions(text) };
  }
  return {
    page,
    collect,
    async finish() {
      const found = await collect();
      expect(found.offsite, `requests that left ${origin}`).toEqual([]);
      expect(found.blocked, "loads the page's Content-Security-Policy blocked").toEqual([]);
      expect(found.errors, "script errors").toEqual([]);
      expect(found.mentions, `${path || "landing page"} mentions internal inputs`).toEqual([]);
    },
  };
}

/** A heading whose own text is exactly `text` (Redoc's headings also hold a "link to …" anchor). */
function heading(page: Page, text: string) {
  const exact = new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$`);
  return page.locator("h1, h2, h3, h4").filter({ hasText: exact }).first();
}

function operationsOf(doc: Json): Json[] {
  return Object.values<Json>(doc.paths ?? {}).flatMap((item) => METHODS.filter((m) => item[m]).map((m) => item[m]));
}

const slugs = specSlugs();
const specOf = (slug: string): Json => JSON.parse(readFileSync(join(siteDir, slug, "openapi.json"), "utf8"));
const pkgOf = (slug: string): Json => JSON.parse(readFileSync(join(repoRoot, "packages", slug, "package.json"), "utf8"));

describe("reference site in Chromium", () => {
  it("no file of the site mentions internal inputs", () => {
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const file = join(dir, name);
        if (statSync(file).isDirectory()) walk(file);
        // The Redoc bundle is third-party code, not our text.
        else if (/\.(html|json|css)$/.test(name)) for (const m of internalMentions(readFileSync(file, "utf8"))) found.push(`${relative(siteDir, file)}: ${m}`);
      }
    };
    walk(siteDir);
    expect(found, "site files that mention the project's internal inputs").toEqual([]);
  });

  it("landing page: every vendor package with its versions, operations, auth and servers; every link resolves", async () => {
    const { page, finish } = await open("");
    await expect(page.title()).resolves.toBe("activation-kit API reference");
    for (const slug of slugs) {
      const doc = specOf(slug);
      const pkg = pkgOf(slug);
      const card = page.locator(`section.vendor#${slug}`);
      const text = await card.innerText();
      for (const fact of [pkg.name, pkg.version, doc.info.title, doc.info.version, ...doc.servers.map((s: Json) => s.url)]) {
        expect(text, `${slug} card`).toContain(fact);
      }
      for (const req of doc.security ?? []) for (const scheme of Object.keys(req)) expect(text, `${slug} auth`).toContain(scheme);
      await expect(card.locator("dd.operations").innerText()).resolves.toBe(String(operationsOf(doc).length));
      await expect(card.locator(`a[href="${slug}/"]`).first().innerText()).resolves.toBe(doc.info.title);
      await expect(card.locator(`a[href="${slug}/readme.html"]`).count()).resolves.toBe(1);
      if (existsSync(join(repoRoot, "packages", slug, "CHANGELOG.md"))) await expect(card.locator(`a[href="${slug}/changelog.html"]`).count()).resolves.toBe(1);
      else expect(text).toContain("no release yet");
    }
    await expect(page.locator("section.vendor").count()).resolves.toBe(slugs.length);
    const hrefs = await page.locator("a[href]").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(hrefs.length).toBeGreaterThan(slugs.length * 3);
    for (const href of new Set(hrefs)) {
      expect(href.startsWith(site.url), `${href} is not on the site`).toBe(true);
      const res = await page.request.get(href);
      expect(res.status(), href).toBe(200);
    }
    await page.screenshot({ path: join(outputDir, "landing.png"), fullPage: true });
    await finish();
  });

  it("control: a page that tries to load from another origin is caught (recorded, aborted, reported by the CSP)", async () => {
    const { page, collect } = await open("");
    const remote = "https://cdn.redoc.ly/redoc/logo-mini.svg";
    await page.evaluate((src) => new Promise((done) => Object.assign(new Image(), { src, onload: done, onerror: done })), remote);
    const found = await collect();
    expect(found.offsite).toContain(remote);
    expect(found.blocked.join("\n")).toContain("img-src https://cdn.redoc.ly");
  });

  it("package READMEs and changelogs render as pages of the site", async () => {
    const pages = readdirSync(siteDir)
      .flatMap((dir) => ["readme.html", "changelog.html"].map((file) => `${dir}/${file}`))
      .filter((path) => existsSync(join(siteDir, path)));
    expect(pages).toEqual(expect.arrayContaining(slugs.map((slug) => `${slug}/readme.html`)));
    for (const path of pages) {
      const { page, finish } = await open(path);
      const dir = path.split("/")[0];
      await expect(page.locator("main.prose h1").first().innerText()).resolves.toContain(pkgOf(dir).name);
      await page.screenshot({ path: join(outputDir, `${dir}-${path.split("/")[1].replace(".html", "")}.png`) });
      await finish();
    }
  });

  it.each(slugs)("%s reference: operations render, sidebar and search lead to them, with the TypeScript sample", async (slug) => {
    const doc = specOf(slug);
    const ops = operationsOf(doc);
    const tags = [...new Set(ops.map((op) => op.tags[0] as string))];
    const { page, finish } = await open(`${slug}/`);
    const base = new URL(`${slug}/`, site.url).href;
    const menu = page.locator('[data-component-name="Menu/Menu"]').first();
    await menu.locator('[data-component-name="Menu/MenuItem"]').first().waitFor();
    const group = (tag: string) => menu.locator(".menu-item-type-group", { has: page.locator(`span[data-text=${JSON.stringify(tag)}]`) }).first();

    // Every operation is reachable: open each tag in the sidebar (which navigates to the tag) and collect the
    // operation links it shows.
    const linked = new Set<string>();
    for (const tag of tags) {
      await group(tag).locator("> a").click();
      const children = group(tag).locator('[data-component-name="Menu/MenuItem"] a[href^="#/"]');
      await children.first().waitFor();
      for (const href of await children.evaluateAll((as) => as.map((a) => a.getAttribute("href")!))) linked.add(href.split("/").pop()!);
      expect(page.url().startsWith(`${base}#/`), `tag ${tag} navigated to ${page.url()}`).toBe(true);
    }
    expect([...linked].sort()).toEqual(ops.map((op) => String(op.operationId).toLowerCase()).sort());

    // A click on an operation shows its request, its responses and its activation-kit sample.
    const clicked = ops.find((op) => op.requestBody) ?? ops[0];
    const clickedTag = clicked.tags[0];
    if (!(await group(clickedTag).locator(`span[data-text=${JSON.stringify(clicked.summary)}]`).isVisible())) await group(clickedTag).locator("> a").click();
    await group(clickedTag).locator(`span[data-text=${JSON.stringify(clicked.summary)}]`).click();
    await page.waitForURL((url) => url.href.toLowerCase().endsWith(`/${String(clicked.operationId).toLowerCase()}`));
    expect(page.url().startsWith(`${base}#/`)).toBe(true);
    await heading(page, clicked.summary).waitFor();
    await heading(page, "Request").waitFor();
    await heading(page, "Responses").waitFor();
    const status = Object.keys(clicked.responses).find((s) => s.startsWith("2"))!;
    await page.getByText(status, { exact: true }).first().waitFor();
    // The sample shown is the one in the docs' spec (snippets.test.ts type-checks that one).
    const source: string = clicked["x-codeSamples"].find((s: Json) => s.label === "activation-kit").source;
    const call = /await client\.\w+\.\w+\(/.exec(source)![0];
    expect(call).toContain(`.${clicked.operationId}(`);
    const sample = page.locator('[data-component-name="CodeBlock/CodeBlock"]', { hasText: call });
    await sample.first().waitFor();
    expect(await sample.first().isVisible(), "TypeScript sample visible").toBe(true);
    expect(await sample.first().innerText()).toContain("instanceof RequestValidationError");
    await page.getByText("activation-kit", { exact: true }).first().waitFor();
    await page.screenshot({ path: join(outputDir, `${slug}-operation.png`) });

    // Search finds an operation by its summary and goes there; the link survives a reload.
    const sought = ops[ops.length - 1];
    await page.keyboard.press("Control+k");
    const input = page.locator('[data-component-name="Search/SearchInput"] input');
    await input.fill(sought.summary);
    const hit = page.locator('[data-component-name="Search/SearchItem"]', { hasText: sought.summary }).first();
    await hit.waitFor();
    await page.screenshot({ path: join(outputDir, `${slug}-search.png`) });
    await hit.click();
    await page.waitForURL((url) => url.href.toLowerCase().endsWith(`/${String(sought.operationId).toLowerCase()}`));
    await heading(page, sought.summary).waitFor();
    await page.reload();
    await heading(page, sought.summary).waitFor();
    await finish();
  });
});
