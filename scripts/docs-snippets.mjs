// @ts-check
/**
 * The TypeScript sample shown for every operation in the reference docs (`x-codeSamples`, label
 * "activation-kit"): build the vendor's client with its factory, call `client.<tag>.<operationId>(…)` with the
 * spec's own examples (required parameters and the request body), and handle the typed errors.
 *
 * Only the docs' copy of each spec gets these samples (docs/site/<slug>/openapi.json); the shipped
 * packages/<slug>/openapi.json stays what the generator wrote. tests/docs/snippets.test.ts compiles every sample
 * against the built packages, so a sample that stops matching the client fails the tests.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { camel, operationsOf, resolveRef } from "../generators/src/spec-walk.mjs";

/** The label Redoc shows on the sample's tab. */
export const SAMPLE_LABEL = "activation-kit";

/**
 * How a reader builds each vendor's client, keyed by slug: the options its factory requires (see
 * packages/<slug>/src/index.ts), credentials from environment variables. The factory name and the package name
 * are read from the package itself; only these option literals are written here. A vendor listed in
 * redocly.yaml without an entry fails the docs build.
 */
export const CLIENT_OPTIONS = {
  relay42: [
    "siteNumber: Number(process.env.RELAY42_SITE_NUMBER)",
    "auth: {\n    apiIdentifier: process.env.RELAY42_API_IDENTIFIER!,\n    accessToken: process.env.RELAY42_ACCESS_TOKEN!,\n  }",
  ],
  rudderstack: ["accessToken: process.env.RUDDERSTACK_ACCESS_TOKEN!"],
  contacthub: ["token: process.env.CONTACTHUB_TOKEN!", "workspaceId: process.env.CONTACTHUB_WORKSPACE_ID!"],
  releva: ["secretKey: process.env.RELEVA_SECRET_KEY!"],
  "marigold-engage": [
    "apiKey: process.env.MARIGOLD_API_KEY!",
    "apiSecret: process.env.MARIGOLD_API_SECRET!",
    "host: process.env.MARIGOLD_HOST!",
    "organization: process.env.MARIGOLD_ORGANIZATION!",
  ],
};

/** The typed errors every sample catches. */
const ERROR_CLASSES = ["ActivationApiError", "RequestValidationError"];
// Headers the runtime sets itself: a sample never passes them.
const RUNTIME_HEADERS = new Set(["content-type", "accept", "authorization"]);

/**
 * What a sample for one vendor imports and how it builds the client.
 * @param {string} repoRoot
 * @param {string} slug
 */
export function clientSetup(repoRoot, slug) {
  const options = /** @type {Record<string, string[]>} */ (CLIENT_OPTIONS)[slug];
  if (!options) throw new Error(`docs: no client construction for "${slug}": add it to CLIENT_OPTIONS in scripts/docs-snippets.mjs`);
  const pkgDir = join(repoRoot, "packages", slug);
  const packageName = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).name;
  const index = readFileSync(join(pkgDir, "src", "index.ts"), "utf8");
  const factories = [...index.matchAll(/export function (create\w+Client)\s*\(/g)].map((m) => m[1]);
  if (factories.length !== 1) throw new Error(`docs: expected one create…Client factory in packages/${slug}/src/index.ts, found ${factories.length}`);
  // Every vendor package re-exports the typed errors (tests/unit/public-surface.test.ts holds it to that), so a
  // sample imports everything from the one package it installs.
  return { packageName, factory: factories[0], options };
}

/**
 * A by-name call's params from the spec's examples: every required parameter (except those the client fills
 * from its configuration, `x-client-config`) and the request body's example.
 * @param {any} doc
 * @param {{ op: any, parameters: any[] }} operation
 */
export function exampleParams(doc, operation) {
  /** @type {Record<string, any>} */
  const params = {};
  const id = operation.op.operationId;
  for (const p of operation.parameters) {
    if (!p.required || p["x-client-config"]) continue;
    if (p.in === "header" && RUNTIME_HEADERS.has(p.name.toLowerCase())) continue;
    const schema = resolveRef(doc, p.schema ?? p.content?.["application/json"]?.schema ?? {});
    const value =
      p.example ??
      Object.values(p.examples ?? {}).map((e) => resolveRef(doc, e))[0]?.value ??
      schema.example ??
      schema.examples?.[0] ??
      schema.default ??
      schema.enum?.[0];
    if (value === undefined) throw new Error(`docs: ${id}: required ${p.in} parameter ${p.name} has no example`);
    (params[p.in] ??= {})[p.name] = value;
  }
  if (operation.op.requestBody) {
    const body = resolveRef(doc, operation.op.requestBody);
    const media = /** @type {any} */ (Object.values(body.content ?? {})[0] ?? {});
    const example = media.example ?? Object.values(media.examples ?? {}).map((e) => resolveRef(doc, e))[0]?.value;
    if (example === undefined && body.required) throw new Error(`docs: ${id}: required request body has no example`);
    if (example !== undefined) params.body = example;
  }
  return params;
}

/**
 * The sample's source for one operation.
 * @param {ReturnType<typeof clientSetup>} setup
 * @param {any} doc
 * @param {{ op: any, parameters: any[] }} operation
 */
export function codeSample(setup, doc, operation) {
  const { op } = operation;
  const tag = camel(op.tags?.[0] ?? "default");
  const params = exampleParams(doc, operation);
  const imports = [importLine([...ERROR_CLASSES, setup.factory], setup.packageName)];
  // The params object always spans lines (one of path/query/header/body each), its values only when long.
  const args = Object.keys(params).length ? tsLiteral(params, 1, true) : "";
  return [
    ...imports.sort(),
    ``,
    `const client = ${setup.factory}({`,
    ...setup.options.map((o) => `  ${o},`),
    `});`,
    ``,
    `try {`,
    `  const result = await client.${tag}.${op.operationId}(${args});`,
    `  console.log(result);`,
    `} catch (error) {`,
    `  if (error instanceof RequestValidationError) {`,
    `    // Nothing was sent; each issue names a field and its rule.`,
    `    console.error(error.issues);`,
    `  } else if (error instanceof ActivationApiError) {`,
    `    // The API answered with an error status.`,
    `    console.error(error.status, error.body);`,
    `  } else {`,
    `    throw error;`,
    `  }`,
    `}`,
    ``,
  ].join("\n");
}

/**
 * A copy of the bundled spec with the activation-kit sample added to every operation (`x-codeSamples`, kept
 * after any samples the spec has itself).
 * @param {string} repoRoot
 * @param {string} slug
 * @param {any} doc the bundled spec (not modified)
 * @returns {{ doc: any, samples: { operationId: string, source: string }[] }}
 */
export function withCodeSamples(repoRoot, slug, doc) {
  const setup = clientSetup(repoRoot, slug);
  const copy = structuredClone(doc);
  const samples = [];
  for (const operation of operationsOf(copy)) {
    const source = codeSample(setup, copy, operation);
    const own = (operation.op["x-codeSamples"] ?? []).filter((/** @type {any} */ s) => s.label !== SAMPLE_LABEL);
    operation.op["x-codeSamples"] = [...own, { lang: "TypeScript", label: SAMPLE_LABEL, source }];
    samples.push({ operationId: operation.op.operationId, source });
  }
  return { doc: copy, samples };
}

/** @param {string[]} names @param {string} from */
function importLine(names, from) {
  const line = `import { ${names.join(", ")} } from "${from}";`;
  return line.length <= LINE_WIDTH ? line : `import {\n${names.map((n) => `  ${n},`).join("\n")}\n} from "${from}";`;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

// Redoc's sample panel is narrow: lines longer than this scroll sideways.
const LINE_WIDTH = 64;

/**
 * A JSON value as a TypeScript literal: unquoted keys where possible, short values on one line.
 * @param {unknown} value
 * @param {number} depth indentation level of the line the literal starts on
 * @param {boolean} [multiline] spread this object or array over lines even when it would fit on one
 * @param {number} [prefix] characters before the literal on its line (the key and ": ")
 * @returns {string}
 */
export function tsLiteral(value, depth = 0, multiline = false, prefix = 0) {
  const flat = flatLiteral(value);
  if (!multiline && depth * 2 + prefix + flat.length + 1 <= LINE_WIDTH) return flat;
  const pad = "  ".repeat(depth + 1);
  const end = "  ".repeat(depth);
  if (Array.isArray(value)) return `[\n${value.map((v) => `${pad}${tsLiteral(v, depth + 1)},`).join("\n")}\n${end}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => `${pad}${key(k)}: ${tsLiteral(v, depth + 1, false, key(k).length + 2)},`);
    return `{\n${entries.join("\n")}\n${end}}`;
  }
  return flat;
}

/** @param {unknown} value @returns {string} */
function flatLiteral(value) {
  if (Array.isArray(value)) return `[${value.map(flatLiteral).join(", ")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    return entries.length ? `{ ${entries.map(([k, v]) => `${key(k)}: ${flatLiteral(v)}`).join(", ")} }` : "{}";
  }
  return JSON.stringify(value) ?? "undefined";
}

/** @param {string} k */
function key(k) {
  return IDENTIFIER.test(k) ? k : JSON.stringify(k);
}
