// @ts-check
/**
 * Request validators compiled from the spec's schemas with Ajv (JSON Schema 2020-12, OpenAPI 3.1's dialect)
 * into standalone ES module code. Each operation gets one function over `{path, query, header, body}`.
 * Ajv's runtime helpers and the format checks are imported from @activation-kit/core/validation-runtime, so a
 * published package needs neither Ajv nor a `require`.
 */
import Ajv2020 from "ajv/dist/2020.js";
import { _, str } from "ajv";
import standaloneCode from "ajv/dist/standalone/index.js";
import { operationsOf, resolveRef } from "./spec-walk.mjs";

const SPEC_ID = "spec.json";
// Vendor extensions that are validation rules (see specs/CONVENTIONS.md), kept in the compiled schemas.
const VALIDATION_EXTENSIONS = new Set(["x-max-total-length"]);
const KNOWN_FORMATS = [
  "date", "date-time", "time", "email", "uuid", "uri", "uri-reference", "hostname", "ipv4",
  "int32", "int64", "float", "double", "byte", "binary", "password", "url",
];
const NUMBER_FORMATS = new Set(["int32", "int64", "float", "double"]);
// Headers OpenAPI says are not described as parameters (the client sets them).
const IGNORED_HEADERS = new Set(["accept", "content-type", "authorization"]);

export function renderValidators(doc, header) {
  const ajv = new Ajv2020.default({
    code: { source: true, esm: true, formats: _`formats` },
    allErrors: true,
    strict: false,
    inlineRefs: false,
    validateFormats: true,
  });
  for (const f of KNOWN_FORMATS) {
    ajv.addFormat(f, { type: NUMBER_FORMATS.has(f) ? "number" : "string", validate: () => true });
  }
  // `x-max-total-length` on an array of strings: the sum of the strings' lengths (JSON Schema cannot sum).
  ajv.addKeyword({
    keyword: "x-max-total-length",
    type: "array",
    schemaType: "number",
    code(cxt) {
      cxt.fail(_`${cxt.data}.reduce((n, s) => n + (typeof s === "string" ? s.length : 0), 0) > ${cxt.schema}`);
    },
    error: {
      message: ({ schema }) => str`must have at most ${schema} characters in total`,
      params: ({ schema }) => _`{limit: ${schema}}`,
    },
  });
  for (const f of collectFormats(doc)) {
    if (!KNOWN_FORMATS.includes(f)) throw new Error(`Format "${f}" has no check in @activation-kit/core formats`);
  }
  const prepare = (schema) => rewriteRefs(discriminateUnions(doc, stripForValidation(schema)));
  ajv.addSchema({ $id: SPEC_ID, components: { schemas: mapValues(doc.components?.schemas, prepare) } });

  const exportsMap = {};
  for (const { op, parameters } of operationsOf(doc)) {
    const schema = requestSchema(doc, op, parameters);
    const id = `op-${op.operationId}.json`;
    ajv.addSchema({ $id: id, ...schema });
    exportsMap[op.operationId] = id;
  }
  let code = standaloneCode.default(ajv, exportsMap);
  code = code.replace(/^"use strict";/, "");
  const helpers = new Set();
  code = code.replace(/require\("ajv\/dist\/runtime\/([a-z0-9]+)"\)\.default/g, (_m, name) => {
    if (!["ucs2length", "equal"].includes(name)) throw new Error(`Ajv runtime helper ${name} is not provided by core`);
    helpers.add(name);
    return name;
  });
  if (/require\(/.test(code)) throw new Error("Standalone validator code still contains require()");
  // Ajv exports each validator by name; gather them into one typed table instead.
  const exported = [];
  code = code.replace(/export const ([A-Za-z0-9_$]+) = (validate\d+);/g, (_m, name, fn) => {
    exported.push(`  ${name}: ${fn},`);
    return "";
  });
  const imports = ["formats", ...[...helpers].sort()].join(", ");
  const ts = [
    // @ts-nocheck must stay the first line to take effect.
    `// @ts-nocheck: Ajv standalone output; the table at the end is typed.`,
    header.trimEnd(),
    `/* eslint-disable */`,
    `import type { CompiledValidator } from "@activation-kit/core";`,
    `import { ${imports} } from "@activation-kit/core/validation-runtime";`,
    code.trim(),
    ``,
    `/** One validator per operation, over \`{path, query, header, body}\`. */`,
    `export const validators: Record<string, CompiledValidator> = {`,
    ...exported,
    `};`,
    ``,
  ].join("\n");
  return ts;
}

function requestSchema(doc, op, parameters) {
  const properties = {};
  const required = [];
  for (const location of ["path", "query", "header"]) {
    const params = parameters.filter((p) => p.in === location && !(location === "header" && IGNORED_HEADERS.has(p.name.toLowerCase())));
    if (params.length === 0) continue;
    const props = {};
    const req = [];
    for (const p of params) {
      const s = p.schema ?? p.content?.["application/json"]?.schema ?? {};
      props[p.name] = rewriteRefs(discriminateUnions(doc, stripForValidation(s)));
      if (p.required) req.push(p.name);
    }
    // Unknown parameters are rejected rather than silently sent or dropped.
    properties[location] = { type: "object", properties: props, required: req, additionalProperties: false };
    if (req.length) required.push(location);
  }
  if (op.requestBody) {
    const body = resolveRef(doc, op.requestBody);
    const [mediaType, media] = Object.entries(body.content ?? {})[0] ?? [];
    if (media?.schema) {
      let s = rewriteRefs(discriminateUnions(doc, stripForValidation(media.schema)));
      if (String(mediaType).startsWith("multipart/")) s = relaxFileParts(doc, s);
      properties.body = s;
    }
    if (body.required) required.push("body");
  }
  return { type: "object", properties, required, additionalProperties: false };
}

/** In multipart bodies a file part arrives as a Blob/stream, not a string: accept any value there. */
function relaxFileParts(doc, schema) {
  const resolved = schema.$ref ? resolveRef(doc, { $ref: schema.$ref.replace(`${SPEC_ID}#`, "#") }) : schema;
  const props = {};
  for (const [k, v] of Object.entries(resolved.properties ?? {})) {
    const r = v.$ref ? resolveRef(doc, { $ref: v.$ref.replace(`${SPEC_ID}#`, "#") }) : v;
    props[k] = r.format === "binary" || r.contentMediaType || r.contentEncoding ? {} : rewriteRefs(stripForValidation(r));
  }
  return { ...rewriteRefs(stripForValidation(resolved)), properties: props };
}

/**
 * A `oneOf`/`anyOf` whose branches each require the same property with a distinct `const` (a tagged union, e.g.
 * Relay42's `interactionType`) is validated as "the tag is one of these" plus `if tag = x then branch x`. Same
 * verdict, but a wrong field is reported against the branch the caller chose, not against every branch.
 * Only the compiled validators change; the spec and the types keep the `oneOf`.
 */
function discriminateUnions(doc, node) {
  if (Array.isArray(node)) return node.map((n) => discriminateUnions(doc, n));
  if (!node || typeof node !== "object") return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === "properties" || k === "patternProperties" || k === "$defs" ? mapValues(v, (x) => discriminateUnions(doc, x)) : discriminateUnions(doc, v);
  }
  for (const keyword of ["oneOf", "anyOf"]) {
    const branches = out[keyword];
    if (!Array.isArray(branches) || branches.length < 2) continue;
    const tag = unionTag(doc, branches);
    if (!tag) continue;
    delete out[keyword];
    out.allOf = [
      ...(out.allOf ?? []),
      { required: [tag.name], properties: { [tag.name]: { enum: tag.values } } },
      ...branches.map((branch, i) => ({ if: { properties: { [tag.name]: { const: tag.values[i] } } }, then: branch })),
    ];
  }
  return out;
}

function unionTag(doc, branches) {
  const resolved = branches.map((b) => (b.$ref ? resolveRef(doc, b) : b));
  const first = resolved[0];
  for (const name of Object.keys(first?.properties ?? {})) {
    const values = resolved.map((r) => (r?.required?.includes(name) ? r.properties?.[name]?.const : undefined));
    if (values.every((v) => typeof v === "string") && new Set(values).size === values.length) return { name, values };
  }
  return undefined;
}

function collectFormats(node, out = new Set()) {
  if (Array.isArray(node)) node.forEach((n) => collectFormats(n, out));
  else if (node && typeof node === "object") {
    if (typeof node.format === "string" && (node.type !== undefined || node.$ref === undefined)) out.add(node.format);
    for (const [k, v] of Object.entries(node)) if (k !== "example" && k !== "examples") collectFormats(v, out);
  }
  return out;
}

/** Drop what is documentation only (examples, x-*), so the compiled code stays small. */
function stripForValidation(node) {
  if (Array.isArray(node)) return node.map(stripForValidation);
  if (!node || typeof node !== "object") return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "example" || k === "examples" || k === "description" || k === "summary" || k === "discriminator" || k === "xml" || k === "externalDocs" || (k.startsWith("x-") && !VALIDATION_EXTENSIONS.has(k))) continue;
    // Inside `properties`, keys are names, not keywords: keep them all.
    out[k] = k === "properties" || k === "patternProperties" || k === "$defs" ? mapValues(v, stripForValidation) : stripForValidation(v);
  }
  return out;
}

function mapValues(o, f) {
  return Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k, f(v)]));
}

function rewriteRefs(node) {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (!node || typeof node !== "object") return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === "$ref" && typeof v === "string" && v.startsWith("#/") ? `${SPEC_ID}${v}` : rewriteRefs(v);
  }
  return out;
}
