// @ts-check
/**
 * The spec's schemas as data for the validator in @activation-kit/core (validator.ts): no generated code, no
 * compiler at run time, no `eval`. Two modules per vendor:
 *
 *   src/generated/schemas.ts           each operation's request schema (`<operationId>Request`, over
 *                                      `{path, query, header, body}`) and every component schema a request reaches,
 *                                      one `export const` each: `lazySchema('<JSON text>', () => [Customer, …])`,
 *                                      parsed on first use, where `{"$ref": n}` is the n-th schema of the list.
 *                                      Text because V8 scans a string much faster than it compiles and runs the same
 *                                      object literal: Contacthub's 167 schemas took 2.3 ms of every import as
 *                                      literals, 0.9 ms as text (compile and run, in-process, median of 25).
 *   src/generated/response-schemas.ts  `responseSchemas[operationId][status]`: each documented success response's
 *                                      JSON schema, with every component it reaches (a copy of those requests use
 *                                      too). Loaded only on demand (a dynamic import). Not importing them from
 *                                      schemas.ts is deliberate: a module the lazy chunk shares with the entry is
 *                                      loaded up front, so a one-operation bundle carried every component any
 *                                      response reaches (Contacthub `getCustomer`: 11.4 kB of schemas, 0.3 kB now).
 *
 * Only validation keywords are kept (descriptions, examples, defaults and other annotations are dropped); a keyword
 * the validator does not implement fails the generation rather than being ignored. Identical request schemas are
 * written once and shared; in response-schemas.ts so are inline schemas that repeat (in schemas.ts's JSON text
 * they are written out in full, and gzip folds the repeats). Every top-level constant is
 * side-effect free (a literal, or a call annotated `@__PURE__`), so a bundler drops whatever the operations in use do
 * not reach.
 */
import { operationsOf, resolveRef } from "./spec-walk.mjs";

/** Keywords validator.ts implements. */
const SUPPORTED = new Set([
  "type", "enum", "const", "properties", "required", "additionalProperties", "patternProperties", "propertyNames",
  "minProperties", "maxProperties", "items", "minItems", "maxItems", "uniqueItems", "minLength",
  "maxLength", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
  "anyOf", "oneOf", "allOf", "not", "if", "then", "else", "$ref", "x-max-total-length",
]);
/** Annotations: no effect on validation (JSON Schema 2020-12 meta-data and content vocabularies, OpenAPI's). */
const ANNOTATIONS = new Set([
  "title", "description", "summary", "default", "examples", "example", "deprecated", "readOnly", "writeOnly",
  "$comment", "$schema", "$id", "$anchor", "contentMediaType", "contentEncoding", "contentSchema", "discriminator",
  "xml", "externalDocs",
]);
/** Keywords whose value is a map of names to schemas, or a schema, or a list of schemas. */
const SCHEMA_MAPS = new Set(["properties", "patternProperties"]);
const SCHEMA_VALUES = new Set(["additionalProperties", "propertyNames", "items", "not", "if", "then", "else"]);
const SCHEMA_LISTS = new Set(["anyOf", "oneOf", "allOf"]);

const KNOWN_FORMATS = new Set([
  "date", "date-time", "time", "email", "uuid", "uri", "uri-reference", "hostname", "ipv4",
  "int32", "int64", "float", "double", "byte", "binary", "password", "url",
]);
// Headers OpenAPI says are not described as parameters (the client sets them).
const IGNORED_HEADERS = new Set(["accept", "content-type", "authorization"]);
const COMPONENT_REF = /^#\/components\/schemas\/([^/]+)$/;

// ---------------------------------------------------------------------------------------------------------------
// Preparing schemas: what the validator sees (also what the differential test hands to Ajv).

/**
 * Every schema the validator needs, prepared: annotations dropped, tagged unions rewritten, `$ref`s left as
 * `#/components/schemas/<Name>`.
 * @returns {{ components: Map<string, any>, requests: Map<string, any>, responses: Map<string, Map<string, any>> }}
 */
export function prepareSchemas(doc) {
  const components = new Map();
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
    components.set(name, prepare(doc, schema, `#/components/schemas/${name}`));
  }
  const requests = new Map();
  const responses = new Map();
  for (const { op, parameters } of operationsOf(doc)) {
    requests.set(op.operationId, requestSchema(doc, op, parameters));
    const byStatus = new Map();
    for (const [status, raw] of Object.entries(op.responses ?? {})) {
      if (!/^2/.test(status)) continue;
      const response = resolveRef(doc, raw);
      const json = Object.entries(response?.content ?? {}).find(([type]) => /json/i.test(type));
      if (json?.[1]?.schema) byStatus.set(status, prepare(doc, json[1].schema, `${op.operationId} response ${status}`));
    }
    if (byStatus.size) responses.set(op.operationId, byStatus);
  }
  return { components, requests, responses };
}

function prepare(doc, schema, where) {
  return discriminateUnions(doc, keepValidation(schema, where));
}

function requestSchema(doc, op, parameters) {
  const where = `${op.operationId} request`;
  const properties = {};
  const required = [];
  for (const location of ["path", "query", "header"]) {
    const params = parameters.filter((p) => p.in === location && !(location === "header" && IGNORED_HEADERS.has(p.name.toLowerCase())));
    if (params.length === 0) continue;
    const props = {};
    const req = [];
    for (const p of params) {
      props[p.name] = prepare(doc, p.schema ?? p.content?.["application/json"]?.schema ?? {}, `${where} ${location}.${p.name}`);
      if (p.required) req.push(p.name);
    }
    // Unknown parameters are rejected rather than silently sent or dropped.
    properties[location] = { type: "object", properties: props, ...(req.length ? { required: req } : {}), additionalProperties: false };
    if (req.length) required.push(location);
  }
  if (op.requestBody) {
    const body = resolveRef(doc, op.requestBody);
    const [mediaType, media] = Object.entries(body.content ?? {})[0] ?? [];
    if (media?.schema) {
      properties.body = String(mediaType).startsWith("multipart/")
        ? relaxFileParts(doc, media.schema, `${where} body`)
        : prepare(doc, media.schema, `${where} body`);
    }
    if (body.required) required.push("body");
  }
  return { type: "object", properties, ...(required.length ? { required } : {}), additionalProperties: false };
}

/** In multipart bodies a file part arrives as a Blob/stream, not a string: accept any value there. */
function relaxFileParts(doc, schema, where) {
  const resolved = resolveRef(doc, schema);
  const props = {};
  for (const [k, v] of Object.entries(resolved.properties ?? {})) {
    const r = resolveRef(doc, v);
    props[k] = r.format === "binary" || r.contentMediaType || r.contentEncoding ? {} : prepare(doc, r, `${where}.${k}`);
  }
  return { ...prepare(doc, { ...resolved, properties: {} }, where), properties: props };
}

/** Drops annotations; refuses what the validator would not check. */
function keepValidation(node, where) {
  if (typeof node === "boolean") return node;
  if (!node || typeof node !== "object" || Array.isArray(node)) throw new Error(`${where}: not a schema`);
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (ANNOTATIONS.has(k) || (k.startsWith("x-") && !SUPPORTED.has(k))) continue;
    if (!SUPPORTED.has(k)) {
      throw new Error(`${where}: schema keyword "${k}" is not supported by @activation-kit/core's validator (add it there first)`);
    }
    if (k === "$ref" && !COMPONENT_REF.test(v)) throw new Error(`${where}: $ref ${v} is not a #/components/schemas/ reference`);
    if (k === "format" && !KNOWN_FORMATS.has(v)) throw new Error(`${where}: format "${v}" has no check in @activation-kit/core`);
    if (k === "if" && node.then === undefined && node.else === undefined) continue;
    if (SCHEMA_MAPS.has(k)) out[k] = mapValues(v, (x, name) => keepValidation(x, `${where}.${name}`));
    else if (SCHEMA_VALUES.has(k)) out[k] = keepValidation(v, `${where}/${k}`);
    else if (SCHEMA_LISTS.has(k)) out[k] = v.map((x, i) => keepValidation(x, `${where}/${k}/${i}`));
    else out[k] = v;
  }
  return out;
}

/**
 * A `oneOf`/`anyOf` whose branches each require the same property with a distinct `const` (a tagged union, e.g.
 * Relay42's `interactionType`) is validated as "the tag is one of these" plus `if tag = x then branch x`. Same
 * verdict, but a wrong field is reported against the branch the caller chose, not against every branch.
 * Only the validation schemas change; the spec and the types keep the `oneOf`.
 */
function discriminateUnions(doc, node) {
  if (!node || typeof node !== "object") return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (SCHEMA_MAPS.has(k)) out[k] = mapValues(v, (x) => discriminateUnions(doc, x));
    else if (SCHEMA_VALUES.has(k)) out[k] = discriminateUnions(doc, v);
    else if (SCHEMA_LISTS.has(k)) out[k] = v.map((x) => discriminateUnions(doc, x));
    else out[k] = v;
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

function mapValues(o, f) {
  return Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k, f(v, k)]));
}

// ---------------------------------------------------------------------------------------------------------------
// Writing them as TypeScript.

const RESERVED = new Set(
  ("break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await arguments eval undefined NaN " +
    "Infinity").split(" "),
);

function identifier(name, taken) {
  let id = String(name).replace(/[^A-Za-z0-9_$]/g, "_");
  if (!/^[A-Za-z_$]/.test(id) || RESERVED.has(id)) id = `_${id}`;
  let unique = id;
  for (let i = 2; taken.has(unique); i++) unique = `${id}${i}`;
  taken.add(unique);
  return unique;
}

/** Export names: components keep their spec name where it is an identifier; requests are `<operationId>Request`. */
export function schemaExportNames(doc) {
  const taken = new Set(["responseSchemas", "loadResponseSchemas"]);
  const components = new Map(Object.keys(doc.components?.schemas ?? {}).map((n) => [n, identifier(n, taken)]));
  const requests = new Map(operationsOf(doc).map(({ op }) => [op.operationId, identifier(`${op.operationId}Request`, taken)]));
  return { components, requests };
}

const key = (k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k));
const FRAGMENT_MIN_LENGTH = 6;

/**
 * Writes a set of named schemas as `const`s in dependency order. `refName(componentName)` gives the constant a
 * `$ref` points to (every one of them is defined in the module).
 */
class ModuleWriter {
  constructor(refName) {
    this.refName = refName;
    /** name → { body (with placeholders), deps: [{kind, name}] } */
    this.consts = new Map();
    this.fragmentCounts = new Map();
    this.fragmentNames = new Map();
    this.order = [];
  }

  /** Serialises a schema; `\u0000name\u0000` marks a reference to another constant. */
  text(s) {
    if (typeof s === "boolean") return String(s);
    const parts = [];
    for (const [k, v] of Object.entries(s)) {
      let value;
      if (k === "$ref") value = `\u0000ref:${this.refName(COMPONENT_REF.exec(v)[1])}\u0000`;
      else if (SCHEMA_MAPS.has(k)) value = `{${Object.entries(v).map(([n, x]) => `${key(n)}:${this.text(x)}`).join(",")}}`;
      else if (SCHEMA_VALUES.has(k)) value = this.text(v);
      else if (SCHEMA_LISTS.has(k)) value = `[${v.map((x) => this.text(x)).join(",")}]`;
      else value = JSON.stringify(v);
      parts.push(`${key(k)}:${value}`);
    }
    return `{${parts.join(",")}}`;
  }

  /** Counts inline subschemas, each once per distinct enclosing schema, to find the ones worth sharing. */
  count(s, isRoot = true) {
    if (typeof s !== "object") return;
    const t = this.text(s);
    if (!isRoot) {
      const n = (this.fragmentCounts.get(t) ?? 0) + 1;
      this.fragmentCounts.set(t, n);
      if (n > 1) return;
    }
    for (const [k, v] of Object.entries(s)) {
      if (SCHEMA_MAPS.has(k)) Object.values(v).forEach((x) => this.count(x, false));
      else if (SCHEMA_VALUES.has(k)) this.count(v, false);
      else if (SCHEMA_LISTS.has(k)) v.forEach((x) => this.count(x, false));
    }
  }

  /** Text of a schema with repeated inline subschemas replaced by shared fragment constants. */
  body(s, isRoot = true) {
    if (typeof s !== "object") return String(s);
    const whole = this.text(s);
    if (!isRoot && (this.fragmentCounts.get(whole) ?? 0) > 1 && whole.length >= FRAGMENT_MIN_LENGTH) {
      let name = this.fragmentNames.get(whole);
      if (!name) {
        name = `fragment${this.fragmentNames.size + 1}`;
        this.fragmentNames.set(whole, name);
        this.define(name, this.body(s, true));
      }
      return `\u0000use:${name}\u0000`;
    }
    const parts = [];
    for (const [k, v] of Object.entries(s)) {
      let value;
      if (k === "$ref") value = `\u0000ref:${this.refName(COMPONENT_REF.exec(v)[1])}\u0000`;
      else if (SCHEMA_MAPS.has(k)) value = `{${Object.entries(v).map(([n, x]) => `${key(n)}:${this.body(x, false)}`).join(",")}}`;
      else if (SCHEMA_VALUES.has(k)) value = this.body(v, false);
      else if (SCHEMA_LISTS.has(k)) value = `[${v.map((x) => this.body(x, false)).join(",")}]`;
      else value = JSON.stringify(v);
      parts.push(`${key(k)}:${value}`);
    }
    return `{${parts.join(",")}}`;
  }

  define(name, body) {
    const deps = [...body.matchAll(/\u0000(ref|use):([\w$]+)\u0000/g)].map((m) => ({ kind: m[1], name: m[2] }));
    this.consts.set(name, { body, deps });
  }

  /** Constants in dependency order; a `$ref` to a constant not yet defined (a cycle) becomes a function. */
  render() {
    const state = new Map();
    const lines = [];
    const visit = (name) => {
      const c = this.consts.get(name);
      if (!c || state.get(name) === "done") return;
      state.set(name, "active");
      for (const d of c.deps) if (state.get(d.name) !== "active") visit(d.name);
      const text = c.body.replace(/\u0000(ref|use):([\w$]+)\u0000/g, (_m, kind, dep) => {
        const ready = state.get(dep) === "done" || !this.consts.has(dep);
        if (kind === "ref") return ready ? dep : `() => ${dep}`;
        if (!ready) throw new Error(`Shared schema ${dep} used before it is defined in ${name}`);
        return dep;
      });
      lines.push(`const ${name}: Schema = ${text};`);
      state.set(name, "done");
    };
    for (const name of this.consts.keys()) visit(name);
    return lines;
  }
}

/** Component names a set of prepared schemas reaches through `$ref`, transitively. */
function reachable(schemas, components) {
  const seen = new Set();
  const walk = (s) => {
    if (!s || typeof s !== "object") return;
    if (Array.isArray(s)) return s.forEach(walk);
    for (const [k, v] of Object.entries(s)) {
      if (k === "$ref") {
        const name = COMPONENT_REF.exec(v)[1];
        if (!seen.has(name)) {
          seen.add(name);
          walk(components.get(name));
        }
      } else if (SCHEMA_MAPS.has(k)) Object.values(v).forEach(walk);
      else if (SCHEMA_VALUES.has(k)) walk(v);
      else if (SCHEMA_LISTS.has(k)) v.forEach(walk);
    }
  };
  schemas.forEach(walk);
  return seen;
}

/**
 * `export const <name>: LazySchema = lazySchema('<json>', () => [<refs>]);` for one prepared schema: its `$ref`s
 * become `{"$ref": n}`, the n-th constant of the list (a function, so it may name constants defined further down).
 */
function lazyConst(name, schema, componentName, doc) {
  const refs = [];
  const encode = (s) => {
    if (typeof s !== "object") return s;
    const out = {};
    for (const [k, v] of Object.entries(s)) {
      if (k === "$ref") {
        const target = componentName(COMPONENT_REF.exec(v)[1]);
        out[k] = refs.includes(target) ? refs.indexOf(target) : refs.push(target) - 1;
      } else if (SCHEMA_MAPS.has(k)) out[k] = Object.fromEntries(Object.entries(v).map(([n, x]) => [n, encode(x)]));
      else if (SCHEMA_VALUES.has(k)) out[k] = encode(v);
      else if (SCHEMA_LISTS.has(k)) out[k] = v.map(encode);
      else {
        // lazySchema's reviver turns every numeric `$ref` member into a reference, data included.
        if (hasNumericRef(v)) throw new Error(`${name}: the value of ${k} has a numeric "$ref" member, which lazySchema would read as a reference`);
        out[k] = v;
      }
    }
    return out;
  };
  const json = JSON.stringify(encode(schema));
  const literal = `'${json.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  return [
    ...(doc ? [`/** ${doc} */`] : []),
    `export const ${name}: LazySchema = /* @__PURE__ */ lazySchema(${literal}${refs.length ? `, () => [${refs.join(", ")}]` : ""});`,
  ];
}

function hasNumericRef(v) {
  if (!v || typeof v !== "object") return false;
  if (Array.isArray(v)) return v.some(hasNumericRef);
  return Object.entries(v).some(([k, x]) => (k === "$ref" && typeof x === "number") || hasNumericRef(x));
}

/** @returns {{ schemas: string, responseSchemas: string }} the two modules' text (after `header`). */
export function renderSchemaModules(doc, header) {
  const { components, requests, responses } = prepareSchemas(doc);
  const names = schemaExportNames(doc);
  const componentName = (n) => {
    const id = names.components.get(n);
    if (!id) throw new Error(`$ref to unknown component ${n}`);
    return id;
  };
  const forRequests = reachable([...requests.values()], components);
  const forResponses = reachable([...responses.values()].flatMap((m) => [...m.values()]), components);
  const inOrder = (set) => [...components.keys()].filter((n) => set.has(n));

  // schemas.ts: request schemas and the components they reach, each as JSON text for `lazySchema`.
  const lines = [];
  for (const n of inOrder(forRequests)) lines.push(...lazyConst(componentName(n), components.get(n), componentName));
  const firstWithText = new Map();
  for (const [operationId, s] of requests) {
    const name = names.requests.get(operationId);
    const text = JSON.stringify(s);
    const same = firstWithText.get(text);
    if (same) lines.push(`/** ${operationId}: same request schema as ${same} */`, `export const ${name}: LazySchema = ${same};`);
    else {
      firstWithText.set(text, name);
      lines.push(...lazyConst(name, s, componentName, `${operationId}: \`{path, query, header, body}\` of a call`));
    }
  }
  const schemas = [
    header.trimEnd(),
    `// Validation schemas (data for @activation-kit/core's validator): each operation's request, and the component`,
    `// schemas requests use, as JSON text that is parsed the first time a call validates against it (importing the`,
    `// package only scans the strings). \`{"$ref": n}\` is the n-th schema of the list after the text; each constant`,
    `// is a separate pure call, so a bundler drops whatever the operations in use do not reach.`,
    ``,
    `import { lazySchema, type LazySchema } from "@activation-kit/core";`,
    ``,
    ...lines,
    ``,
  ].join("\n");

  // response-schemas.ts: loaded on demand, self-contained (see the top of this file).
  const res = new ModuleWriter(componentName);
  const localComponents = inOrder(forResponses);
  for (const n of localComponents) res.count(components.get(n));
  for (const m of responses.values()) for (const s of m.values()) res.count(s, false);
  for (const n of localComponents) res.define(componentName(n), res.body(components.get(n)));
  const table = [];
  for (const [operationId, byStatus] of responses) {
    const entries = [...byStatus].map(([status, s]) => `${JSON.stringify(status)}: ${res.body(s)}`);
    table.push(`  ${key(operationId)}: { ${entries.join(", ")} },`);
  }
  // The table comes after every constant it uses, so its references are plain identity.
  const tableText = table.join("\n").replace(/\u0000(?:ref|use):([\w$]+)\u0000/g, "$1");
  const responseSchemas = [
    header.trimEnd(),
    `// Documented success-response schemas, by operation and status: loaded only when a client validates responses`,
    `// (\`loadResponseSchemas\` in operations.ts imports this module dynamically).`,
    ``,
    `import type { ResponseSchemas, Schema } from "@activation-kit/core";`,
    ``,
    ...res.render(),
    ``,
    `export const responseSchemas: ResponseSchemas = {`,
    tableText,
    `};`,
    ``,
  ].join("\n");
  return { schemas, responseSchemas };
}
