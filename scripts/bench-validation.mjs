#!/usr/bin/env node
// @ts-check
/**
 * `pnpm bench:validation`: the measurement behind core's validator (packages/core/README.md, "Validation: how it
 * was chosen"). For each vendor, three ways to ship the request validators, from the same prepared schemas
 * (generators/src/render-schemas.mjs `prepareSchemas`):
 *
 *   ajv-today   Ajv 8 standalone code as the packages shipped it until now: one function per operation and per
 *               component reached, parameter schemas inlined per operation, Ajv's messages.
 *   (a) ajv-shared  Ajv standalone with every repeated inline schema hoisted into a shared definition (`$ref`),
 *               so nothing is compiled twice, and `messages: false` (core words the messages).
 *   (b) data    the generated schemas.ts (data) + core's interpreting validator (validator.ts and its checks).
 *
 * Size: esbuild --bundle --minify --format=esm --platform=browser of (1) every operation's validator and (2) one
 * operation's (the largest request of the vendor), min and min+gzip. Speed: validations per second of a valid
 * and an invalid request through each, alternating rounds in one run; ratios against ajv-today.
 * Needs built packages. Not part of the tests. Options (env): BENCH_ROUNDS (5), BENCH_MS (200 per round and case).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import Ajv2020 from "ajv/dist/2020.js";
import { _ } from "ajv";
import standaloneCode from "ajv/dist/standalone/index.js";
import * as esbuild from "esbuild";
import { addSpecComponents, addSpecKeywords, toSpecRefs } from "./ajv-reference.mjs";
import { prepareSchemas, schemaExportNames } from "../generators/src/render-schemas.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ROUND_MS = Number(process.env.BENCH_MS ?? 200);
const VENDORS = ["releva", "rudderstack", "relay42", "marigold-engage", "contacthub"];

// ---- Ajv standalone, as render-validators.mjs wrote it (today) or with shared definitions (a) -------------------

const SCHEMA_MAPS = new Set(["properties", "patternProperties"]);
const SCHEMA_VALUES = new Set(["additionalProperties", "propertyNames", "items", "not", "if", "then", "else"]);
const SCHEMA_LISTS = new Set(["anyOf", "oneOf", "allOf"]);

function mapSchema(node, f) {
  if (!node || typeof node !== "object") return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (SCHEMA_MAPS.has(k)) out[k] = Object.fromEntries(Object.entries(v).map(([n, x]) => [n, f(x)]));
    else if (SCHEMA_VALUES.has(k)) out[k] = f(v);
    else if (SCHEMA_LISTS.has(k)) out[k] = v.map(f);
    else out[k] = v;
  }
  return out;
}

/** Replaces inline subschemas that occur more than once (anywhere) by `$ref`s to shared definitions. */
function shareRepeated(components, requests) {
  const counts = new Map();
  const count = (s, isRoot) => {
    if (!s || typeof s !== "object") return;
    if (!isRoot) counts.set(JSON.stringify(s), (counts.get(JSON.stringify(s)) ?? 0) + 1);
    mapSchema(s, (x) => (count(x, false), x));
  };
  [...components.values(), ...requests.values()].forEach((s) => count(s, true));
  const defs = {};
  const replace = (s, isRoot) => {
    if (!s || typeof s !== "object") return s;
    const key = JSON.stringify(s);
    if (!isRoot && (counts.get(key) ?? 0) > 1 && key.length >= 16) {
      let name = Object.keys(defs).find((n) => defs[n].key === key);
      if (!name) {
        name = `shared${Object.keys(defs).length + 1}`;
        defs[name] = { key, schema: undefined };
        defs[name].schema = mapSchema(s, (x) => replace(x, false));
      }
      return { $ref: `#/components/schemas/${name}` };
    }
    return mapSchema(s, (x) => replace(x, false));
  };
  const c2 = new Map([...components].map(([n, s]) => [n, replace(s, true)]));
  const r2 = new Map([...requests].map(([n, s]) => [n, replace(s, true)]));
  for (const [n, d] of Object.entries(defs)) c2.set(n, d.schema);
  return { components: c2, requests: r2 };
}

function ajvStandalone({ components, requests }, { messages }) {
  const ajv = new Ajv2020.default({ code: { source: true, esm: true, formats: _`formats` }, allErrors: true, strict: false, inlineRefs: false, validateFormats: true, messages });
  for (const [f, def] of Object.entries(FORMATS)) ajv.addFormat(f, { type: def, validate: () => true });
  addSpecKeywords(ajv);
  addSpecComponents(ajv, components);
  const exportsMap = {};
  for (const [id, s] of requests) {
    ajv.addSchema({ $id: `op-${id}.json`, ...toSpecRefs(s) });
    exportsMap[id] = `op-${id}.json`;
  }
  let code = standaloneCode.default(ajv, exportsMap).replace(/^"use strict";/, "");
  code = code.replace(/require\("ajv\/dist\/runtime\/([a-z0-9]+)"\)\.default/g, (_m, name) => name);
  return `import { formats, ucs2length, equal } from "@activation-kit/core/validation-runtime";\n${code}`;
}

const FORMATS = Object.fromEntries(
  ["date", "date-time", "time", "email", "uuid", "uri", "uri-reference", "hostname", "ipv4", "byte", "binary", "password", "url"].map((f) => [f, "string"]).concat(
    ["int32", "int64", "float", "double"].map((f) => [f, "number"]),
  ),
);

// ---- bundling ----------------------------------------------------------------------------------------------------

async function bundle(dir, name, contents, extraFiles = {}) {
  for (const [f, text] of Object.entries(extraFiles)) writeFileSync(join(dir, f), text);
  const entry = join(dir, `${name}.entry.mjs`);
  writeFileSync(entry, contents);
  const out = join(dir, `${name}.bundle.mjs`);
  await esbuild.build({
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    logLevel: "silent",
    nodePaths: [join(root, "node_modules"), join(root, "packages/activation-kit/node_modules")],
  });
  const bytes = readFileSync(out);
  return { file: out, min: bytes.byteLength, gzip: gzipSync(bytes, { level: 9 }).byteLength };
}

// ---- speed -------------------------------------------------------------------------------------------------------

const CASES = {
  releva: {
    op: "upsertProfiles",
    valid: { body: { profiles: [{ profile: { email: "ana.petrova@example.com", firstName: "Ana", phoneNumber: "+359888123456", consent: "privacyPolicy", birthday: "1990-04-12", location: { lat: 42.6977, lon: 23.3219 }, custom: { string: [{ key: "tier", values: ["gold"] }] } }, subscribedAtChanged: false }] } },
    invalid: { body: { profiles: [{ profile: { firstName: "Ana", phoneNumber: "123", favouriteColour: "teal" } }] } },
  },
  rudderstack: {
    op: "getUserProfiles",
    valid: { body: { entity: "user", destinationId: "2Ab3Cd", id: { type: "user_id", value: "u1" } } },
    invalid: { body: { entity: "user", id: { type: 1 } } },
  },
  relay42: {
    op: "addProfileInteractions",
    valid: {
      path: { siteNumber: 1234, partnerType: 42 },
      query: { partnerId: "4ccee44e-5cea-457e-a94d-fc7ed086ae6f" },
      body: { interactions: Array.from({ length: 10 }, (_, i) => ({ interactionType: "pageView", url: `https://www.example.org/p/${i}` })) },
    },
    invalid: { path: { siteNumber: 1234, partnerType: 42 }, query: { partnerId: "4ccee44e-5cea-457e-a94d-fc7ed086ae6f" }, body: { interactions: [{ interactionType: "engagement", type: "productView", url: "x", variables: 5 }] } },
  },
  "marigold-engage": {
    op: "triggerTransactionalJourney",
    valid: { path: { organization: "marigold_1", api_name: "welcome" }, body: { items: Array.from({ length: 10 }, (_, i) => ({ recipient: `user${i}@example.com`, language: "en", data: { name: "Ana" }, sg_external_id: `4ccee44e-5cea-457e-a94d-fc7ed086ae${String(i).padStart(2, "0")}` })) } },
    invalid: { path: { organization: "marigold_1", api_name: "welcome" }, body: { items: [{ email: 5 }] } },
  },
  contacthub: {
    op: "createCustomer",
    valid: { path: { workspaceId: "4ccee44e-5cea-457e-a94d-fc7ed086ae6f" }, body: { nodeId: "4ccee44e-5cea-457e-a94d-fc7ed086ae6f", base: { firstName: "Ana", contacts: { email: "ana@example.com" } }, tags: { manual: ["vip"] } } },
    invalid: { path: { workspaceId: "nope" }, body: { nodeId: 5, base: { contacts: { email: "ana" } }, unknown: true } },
  },
};

function opsPerSecond(fn) {
  let n = 0;
  const end = performance.now() + ROUND_MS;
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) fn();
    n += 100;
  }
  return (n / ROUND_MS) * 1000;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (n) => `${(n / 1000).toFixed(1)} kB`;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "ak-bench-validation-"));
  const rows = [];
  try {
    for (const slug of VENDORS) {
      const doc = JSON.parse(readFileSync(join(root, "packages", slug, "openapi.json"), "utf8"));
      const prepared = prepareSchemas(doc);
      const names = schemaExportNames(doc);
      // The operation with the largest request schema (most to validate), for the one-operation bundle.
      const biggest = [...prepared.requests].sort((a, b) => JSON.stringify(b[1]).length - JSON.stringify(a[1]).length)[0][0];
      const caseDef = CASES[slug];

      const today = ajvStandalone(prepared, { messages: true });
      const shared = ajvStandalone(shareRepeated(prepared.components, prepared.requests), { messages: false });
      const schemasFile = join(root, "packages", slug, "src/generated/schemas.ts");

      const variants = {
        "ajv-today": {
          all: await bundle(dir, `${slug}-today-all`, `import * as v from "./${slug}-today.mjs";\nglobalThis.v = v;\n`, { [`${slug}-today.mjs`]: today }),
          one: await bundle(dir, `${slug}-today-one`, `import { ${biggest} } from "./${slug}-today.mjs";\nglobalThis.v = ${biggest};\n`),
        },
        "(a) ajv-shared": {
          all: await bundle(dir, `${slug}-shared-all`, `import * as v from "./${slug}-shared.mjs";\nglobalThis.v = v;\n`, { [`${slug}-shared.mjs`]: shared }),
          one: await bundle(dir, `${slug}-shared-one`, `import { ${biggest} } from "./${slug}-shared.mjs";\nglobalThis.v = ${biggest};\n`),
        },
        "(b) data": {
          all: await bundle(dir, `${slug}-data-all`, `import * as s from ${JSON.stringify(schemasFile)};\nimport { schemaErrors } from "@activation-kit/core";\nglobalThis.v = [s, schemaErrors];\n`),
          one: await bundle(dir, `${slug}-data-one`, `import { ${names.requests.get(biggest)} as s } from ${JSON.stringify(schemasFile)};\nimport { schemaErrors } from "@activation-kit/core";\nglobalThis.v = (x) => schemaErrors(s, x);\n`),
        },
      };

      // Speed: each variant loaded from its bundle.
      const validators = {};
      for (const [name, v] of Object.entries(variants)) {
        globalThis.v = undefined;
        await import(`${pathToFileURL(v.all.file).href}?${name}`);
        const loaded = globalThis.v;
        if (name === "(b) data") {
          const [s, errorsOf] = loaded;
          const schema = s[names.requests.get(caseDef.op)];
          validators[name] = (x) => errorsOf(schema, x).length === 0;
        } else {
          const fn = loaded[caseDef.op];
          validators[name] = (x) => fn(x);
        }
      }
      for (const [name, check] of Object.entries(validators)) {
        if (!check(caseDef.valid)) throw new Error(`${slug} ${name}: the valid sample is refused`);
        if (check(caseDef.invalid)) throw new Error(`${slug} ${name}: the invalid sample is accepted`);
      }
      // Warm up (first call compiles; the JIT settles) before any round counts.
      for (const check of Object.values(validators)) {
        opsPerSecond(() => check(caseDef.valid));
        opsPerSecond(() => check(caseDef.invalid));
      }
      const speed = Object.fromEntries(Object.keys(validators).map((n) => [n, { valid: [], invalid: [] }]));
      for (let r = 0; r < ROUNDS; r++) {
        for (const [name, check] of Object.entries(validators)) {
          speed[name].valid.push(opsPerSecond(() => check(caseDef.valid)));
          speed[name].invalid.push(opsPerSecond(() => check(caseDef.invalid)));
        }
      }
      const base = speed["ajv-today"];
      for (const [name, v] of Object.entries(variants)) {
        rows.push({
          slug,
          variant: name,
          allMin: v.all.min,
          allGzip: v.all.gzip,
          oneOp: biggest,
          oneMin: v.one.min,
          oneGzip: v.one.gzip,
          validPerSec: median(speed[name].valid),
          invalidPerSec: median(speed[name].invalid),
          validRatio: median(base.valid) / median(speed[name].valid),
          invalidRatio: median(base.invalid) / median(speed[name].invalid),
          speedCase: caseDef.op,
        });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  console.log(`Request validators: every operation / one operation (esbuild --bundle --minify, browser ESM), and speed (time per validation relative to ajv-today, median of ${ROUNDS} rounds; lower is faster)\n`);
  console.log("| vendor | option | all ops min | all ops min+gzip | one op (largest) min | one op min+gzip | valid request | invalid request |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const r of rows) {
    console.log(
      `| ${r.slug} | ${r.variant} | ${kb(r.allMin)} | ${kb(r.allGzip)} | ${kb(r.oneMin)} | ${kb(r.oneGzip)} | ${r.validRatio.toFixed(2)}× (${Math.round(r.validPerSec).toLocaleString("en")}/s) | ${r.invalidRatio.toFixed(2)}× (${Math.round(r.invalidPerSec).toLocaleString("en")}/s) |`,
    );
  }
  console.log(`\nSpeed cases: ${Object.entries(CASES).map(([s, c]) => `${s} ${c.op}`).join(", ")}. One operation: the vendor's largest request schema.`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
