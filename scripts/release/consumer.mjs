// @ts-check
/**
 * Consumers of the published packages: fresh projects that install from the local registry with npm, as a user
 * would, and the smoke scripts they run against the embedded Prism mocks: one call per vendor (the first
 * operation whose request the spec's examples fully describe) and one request the client must refuse before
 * sending, caught by its class. The same plan is written as ESM, CommonJS, TypeScript and a browser entry.
 */
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { registryEnv } from "./registry.mjs";

const run = promisify(execFile);

/**
 * Fake credentials and required options per vendor, as a user passes them to `create<Vendor>Client`. A vendor
 * added to redocly.yaml needs an entry (the plan says so).
 * @type {Record<string, Record<string, unknown>>}
 */
export const CLIENT_OPTIONS = {
  rudderstack: { accessToken: "rs-smoke-token" },
  releva: { secretKey: "releva-smoke-secret" },
  relay42: { siteNumber: 1234, auth: { apiIdentifier: "api-id", accessToken: "relay42-smoke-token" } },
  contacthub: { token: "ch-smoke-token", workspaceId: "40b8a6c4-2ea6-4c3f-a8b8-1f1b2e9d7a11" },
  "marigold-engage": { apiKey: "mg-key", apiSecret: "mg-smoke-secret", organization: "marigold_1" },
};

/** @param {string} text */
const camel = (text) => {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words.map((w, i) => (i === 0 ? w[0].toLowerCase() + w.slice(1) : w[0].toUpperCase() + w.slice(1))).join("");
};

/**
 * @typedef {object} VendorCall
 * @property {string} slug
 * @property {string} pkg            the vendor package name
 * @property {string} factory        `create<Vendor>Client`
 * @property {Record<string, unknown>} options
 * @property {string} tag            client property (`profiles`)
 * @property {string} operationId
 * @property {Record<string, unknown>} params
 * @property {{tag: string, operationId: string, request: Record<string, unknown>, field: string} | null} invalid
 *           a request the validator refuses: an example body without one of its required properties
 */

/**
 * The smoke plan of every vendor, from the bundled specs in `root` (the checkout that was published).
 * @param {string} root
 * @param {{slug: string, pkg: {name: string, dir: string}}[]} vendors
 * @returns {VendorCall[]}
 */
export function smokePlan(root, vendors) {
  return vendors.map(({ slug, pkg }) => {
    const options = CLIENT_OPTIONS[slug];
    if (!options) throw new Error(`scripts/release/consumer.mjs: add the client options of vendor "${slug}" to CLIENT_OPTIONS`);
    const doc = JSON.parse(readFileSync(join(pkg.dir, "openapi.json"), "utf8"));
    const source = readFileSync(join(pkg.dir, "src", "index.ts"), "utf8");
    const factory = /export function (create\w+Client)\(/.exec(source)?.[1];
    if (!factory) throw new Error(`${pkg.name}: no create…Client factory in src/index.ts`);
    const resolve = (/** @type {any} */ node) => {
      let cur = node;
      while (cur && typeof cur.$ref === "string") {
        cur = cur.$ref
          .slice(2)
          .split("/")
          .map((/** @type {string} */ s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
          .reduce((/** @type {any} */ o, /** @type {string} */ k) => o?.[k], doc);
      }
      return cur;
    };
    /** @type {VendorCall | undefined} */
    let call;
    /** @type {VendorCall["invalid"]} */
    let invalid = null;
    for (const item of Object.values(/** @type {Record<string, any>} */ (doc.paths))) {
      for (const method of ["get", "post", "put", "patch", "delete"]) {
        const op = item[method];
        if (!op) continue;
        const params = exampleParams([...(item.parameters ?? []), ...(op.parameters ?? [])].map(resolve), op.requestBody ? resolve(op.requestBody) : null, resolve);
        if (!params) continue;
        const hasJsonSuccess = Object.entries(op.responses ?? {}).some(([s, r]) => s.startsWith("2") && resolve(r)?.content?.["application/json"]);
        const entry = { slug, pkg: pkg.name, factory, options, tag: camel(op.tags[0]), operationId: op.operationId, params, invalid: null };
        if (!call && hasJsonSuccess) call = entry;
        if (!invalid && params.body && typeof params.body === "object" && !Array.isArray(params.body)) {
          const schema = resolve(Object.values(resolve(op.requestBody).content)[0]?.schema);
          const required = Array.isArray(schema?.required) ? schema.required.find((/** @type {string} */ r) => r in /** @type {object} */ (params.body)) : undefined;
          if (required) {
            const { [required]: _dropped, ...rest } = /** @type {Record<string, unknown>} */ (params.body);
            invalid = { tag: entry.tag, operationId: entry.operationId, request: { ...params, body: rest }, field: required };
          }
        }
        const query = /** @type {Record<string, unknown> | undefined} */ (params.query);
        if (!invalid && query && Object.keys(query).length > 0) {
          const [field, ...others] = Object.keys(query);
          const { query: _query, ...withoutQuery } = params;
          invalid =
            others.length > 0
              ? { tag: entry.tag, operationId: entry.operationId, request: { ...params, query: Object.fromEntries(others.map((k) => [k, query[k]])) }, field }
              : { tag: entry.tag, operationId: entry.operationId, request: withoutQuery, field: "query" };
        }
      }
    }
    if (!call) throw new Error(`${slug}: no operation whose request the examples describe and that answers JSON`);
    return { ...call, invalid };
  });
}

/**
 * A by-name call's params from the examples alone, or null when a required value has none.
 * @param {any[]} parameters
 * @param {any} requestBody
 * @param {(n: any) => any} resolve
 */
function exampleParams(parameters, requestBody, resolve) {
  /** @type {Record<string, any>} */
  const params = {};
  for (const p of parameters) {
    if (!p.required || p["x-client-config"]) continue;
    if (p.in === "header" && ["content-type", "accept", "authorization"].includes(String(p.name).toLowerCase())) continue;
    const schema = p.schema ?? p.content?.["application/json"]?.schema ?? {};
    const value = p.example ?? Object.values(p.examples ?? {})[0]?.value ?? schema.example ?? schema.examples?.[0] ?? schema.default ?? schema.enum?.[0];
    if (value === undefined) return null;
    (params[p.in] ??= {})[p.name] = value;
  }
  if (requestBody) {
    const media = Object.entries(requestBody.content ?? {})[0];
    if (!media) return requestBody.required ? null : params;
    if (media[0] !== "application/json") return null;
    const example = media[1].example ?? Object.values(media[1].examples ?? {}).map((e) => resolve(e))[0]?.value;
    if (example === undefined && requestBody.required) return null;
    if (example !== undefined) params.body = example;
  }
  return params;
}

/**
 * @typedef {object} SmokeTarget
 * @property {"facade" | "vendor"} kind
 * @property {string} facade          the facade package name (imports `<facade>/<slug>` and the error class from it)
 * @property {VendorCall[]} calls     the vendors this consumer calls
 * @property {Record<string, string>} baseUrls   Prism URL per slug
 */

/** Where a consumer imports a vendor's factory and the error class from. @param {SmokeTarget} t @param {VendorCall} c */
const specifierOf = (t, c) => (t.kind === "facade" ? `${t.facade}/${c.slug}` : c.pkg);
/** @param {SmokeTarget} t */
const errorsFrom = (t) => (t.kind === "facade" ? t.facade : t.calls[0].pkg);

/** The smoke body shared by every JavaScript flavour: `load(i)` is the i-th vendor module. @param {SmokeTarget} t */
function smokeBody(t) {
  const plan = t.calls.map((c) => ({
    slug: c.slug,
    factory: c.factory,
    options: { ...c.options, baseUrl: t.baseUrls[c.slug], maxRetries: 0 },
    tag: c.tag,
    operationId: c.operationId,
    params: c.params,
  }));
  const invalid = t.calls.find((c) => c.invalid);
  return `
const plan = ${JSON.stringify(plan)};
const invalid = ${JSON.stringify(invalid ? { index: t.calls.indexOf(invalid), ...invalid.invalid } : null)};
const runtime = typeof Deno !== "undefined" ? "deno " + Deno.version.deno : typeof Bun !== "undefined" ? "bun " + Bun.version : typeof window !== "undefined" ? "browser " + navigator.userAgent.replace(/.*(Chrom\\w+\\/[\\d.]+).*/, "$1") : "node " + process.version;
const lines = [];
for (const [i, p] of plan.entries()) {
  const client = modules[i][p.factory](p.options);
  const result = await client[p.tag][p.operationId](p.params);
  if (result === undefined) throw new Error(p.slug + "." + p.operationId + ": no result");
  lines.push(p.slug + ": " + p.tag + "." + p.operationId + " ok");
}
if (invalid) {
  const p = plan[invalid.index];
  const client = modules[invalid.index][p.factory](p.options);
  let error;
  try { await client[invalid.tag][invalid.operationId](invalid.request); } catch (e) { error = e; }
  if (!(error instanceof RequestValidationError)) throw new Error("expected a RequestValidationError, got " + error);
  if (!String(error.message).includes(invalid.field)) throw new Error("the validation error does not name " + invalid.field + ": " + error.message);
  lines.push(p.slug + ": " + invalid.operationId + " without " + invalid.field + " refused before sending (RequestValidationError)");
}
const summary = "smoke passed on " + runtime + ": " + plan.length + " call(s)" + (invalid ? ", 1 validation error caught by class" : "");
`;
}

/**
 * Writes the smoke sources into a consumer directory: smoke.mjs (ESM), smoke.cjs (CommonJS), smoke.ts (typed
 * calls), mistake.ts (must not compile) and browser-entry.mjs (bundled for Chromium).
 * @param {string} dir
 * @param {SmokeTarget} t
 */
export function writeSmokeSources(dir, t) {
  const mods = t.calls.map((c) => specifierOf(t, c));
  const esmImports = mods.map((m, i) => `import * as vendor${i} from ${JSON.stringify(m)};`).join("\n");
  const body = smokeBody(t);
  writeFileSync(
    join(dir, "smoke.mjs"),
    `${esmImports}\nimport { RequestValidationError } from ${JSON.stringify(errorsFrom(t))};\nconst modules = [${mods.map((_, i) => `vendor${i}`).join(", ")}];\n${body}\nfor (const l of lines) console.log("  " + l);\nconsole.log(summary);\n`,
  );
  writeFileSync(
    join(dir, "smoke.cjs"),
    `"use strict";\nconst modules = [${mods.map((m) => `require(${JSON.stringify(m)})`).join(", ")}];\nconst { RequestValidationError } = require(${JSON.stringify(errorsFrom(t))});\n(async () => {\n${body}\nfor (const l of lines) console.log("  " + l);\nconsole.log(summary.replace("smoke passed", "smoke passed (require)"));\n})().catch((e) => { console.error(e); process.exit(1); });\n`,
  );
  writeFileSync(
    join(dir, "browser-entry.mjs"),
    `${esmImports}\nimport { RequestValidationError } from ${JSON.stringify(errorsFrom(t))};\nconst modules = [${mods.map((_, i) => `vendor${i}`).join(", ")}];\nwindow.smoke = (async () => {\n${body}\nreturn { lines, summary };\n})();\n`,
  );
  // Typed: the factory and the operation by name, with the spec's example as the argument.
  const typed = t.calls
    .map((c, i) => `import { ${c.factory} as factory${i} } from ${JSON.stringify(specifierOf(t, c))};`)
    .join("\n");
  const calls = t.calls
    .map(
      (c, i) =>
        `export async function call${i}() {\n  const client = factory${i}(${JSON.stringify({ ...c.options, baseUrl: t.baseUrls[c.slug] })});\n  return client.${c.tag}.${c.operationId}(${JSON.stringify(c.params)});\n}`,
    )
    .join("\n");
  writeFileSync(
    join(dir, "smoke.ts"),
    `${typed}\nimport { RequestValidationError } from ${JSON.stringify(errorsFrom(t))};\n${calls}\nexport const isValidationError = (e: unknown): e is RequestValidationError => e instanceof RequestValidationError;\n`,
  );
  const first = t.calls[0];
  writeFileSync(
    join(dir, "mistake.ts"),
    [
      `import { ${first.factory} } from ${JSON.stringify(specifierOf(t, first))};`,
      `const client = ${first.factory}({ ...${JSON.stringify(first.options)}, maxRetries: "two" });`,
      `export const misspelled = client.${first.tag}.${first.operationId}Typo;`,
      "",
    ].join("\n"),
  );
  return { mistakes: [{ line: 2, code: 2322 }, { line: 3, code: [2339, 2551] }] };
}

/**
 * Creates a consumer project and installs `dependencies` from the local registry with npm.
 * @param {object} o
 * @param {string} o.dir
 * @param {Record<string, string>} o.dependencies
 * @param {"module" | "commonjs"} [o.type]
 * @param {{url: string, writeNpmrc: (dir: string) => string}} o.registry
 * @param {string} o.npmCache
 * @param {Record<string, string>} [o.overrides]   npm `overrides` (pin transitive versions)
 */
export async function installConsumer({ dir, dependencies, type = "module", registry, npmCache, overrides }) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, version: "0.0.0", type, dependencies, overrides }, null, 2));
  const npmrc = registry.writeNpmrc(dir);
  const env = { ...registryEnv(registry.url, npmrc), npm_config_cache: npmCache };
  await run("npm", ["install", "--no-fund", "--no-audit", "--loglevel=error", "--prefer-online"], { cwd: dir, env, maxBuffer: 64 << 20 });
  return dir;
}
