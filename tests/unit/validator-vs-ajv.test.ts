/**
 * The schema-as-data validator in @activation-kit/core against Ajv, the reference implementation the clients used
 * before (Ajv 2020, allErrors, the same formats and `x-max-total-length` keyword): for every operation of every
 * vendor, the request schema each generated package ships (`operations[id].requestSchema`) and each success
 * response schema (`loadResponseSchemas()`) must give Ajv's verdict (valid or not) and exactly the issues
 * (field, rule, message, in order) the clients reported from Ajv's errors (`legacyIssues` below, the conversion
 * core used until it reported issues directly; one deliberate change: a `not` names what it refuses), on
 * generated inputs: valid ones built from the schema, and the same with seeded random mutations (missing, unknown,
 * mistyped, out-of-range, duplicated, over-long, astral-plane and JSON-pointer-hostile values).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { schemaErrors, type LazySchema, type Schema, type ValidationIssue } from "@activation-kit/core";
import { formats } from "@activation-kit/core/validation-runtime";
import Ajv2020 from "ajv/dist/2020.js";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../harness/global-setup.js";

const { addSpecComponents, addSpecKeywords, toSpecRefs } = (await import(pathToFileURL(join(repoRoot, "scripts/ajv-reference.mjs")).href)) as {
  addSpecKeywords: <A>(ajv: A) => A;
  addSpecComponents: <A>(ajv: A, components: Map<string, Json>) => A;
  toSpecRefs: (schema: Json) => Json;
};

// The generator's own preparation of the spec's schemas (what Ajv compiled before); loaded at run time so the
// type checker leaves the generator's JavaScript alone.
const { prepareSchemas } = (await import(pathToFileURL(join(repoRoot, "generators/src/render-schemas.mjs")).href)) as {
  prepareSchemas: (doc: unknown) => { components: Map<string, any>; requests: Map<string, any>; responses: Map<string, Map<string, any>> };
};

type Json = any;

const packages: Record<string, () => Promise<{ operations: Record<string, { requestSchema?: Schema | LazySchema }>; loadResponseSchemas: () => Promise<Record<string, Record<string, Schema>>> }>> = {
  releva: () => import("@activation-kit/releva"),
  rudderstack: () => import("@activation-kit/rudderstack"),
  relay42: () => import("@activation-kit/relay42"),
  contacthub: () => import("@activation-kit/contacthub"),
  "marigold-engage": () => import("@activation-kit/marigold-engage"),
};

const SAMPLES = Number(process.env.VALIDATOR_DIFF_SAMPLES ?? 24);

/** Ajv as the old generated validators were compiled (see git history of generators/src/render-validators.mjs). */
function referenceAjv(components: Map<string, Json>) {
  const ajv = new Ajv2020.default({ allErrors: true, strict: false, inlineRefs: false, validateFormats: true, verbose: true });
  for (const [name, f] of Object.entries(formats)) ajv.addFormat(name, { type: f.type, validate: (x: string) => f.validate(x) } as never);
  addSpecComponents(addSpecKeywords(ajv), components);
  return (schema: Json) => ajv.compile(toSpecRefs(schema));
}

// ---- inputs -----------------------------------------------------------------------------------------------------

function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FORMAT_SAMPLES: Record<string, unknown[]> = {
  date: ["2024-02-29", "2023-02-29", "24-01-01"],
  "date-time": ["2024-01-31T10:00:00Z", "2024-01-31T10:00:00+02:00", "2024-01-31 10:00", "yesterday"],
  time: ["10:00:00", "25:00"],
  email: ["ana@example.com", "ana@", "a b@example.com"],
  uuid: ["4ccee44e-5cea-457e-a94d-fc7ed086ae6f", "4ccee44e5cea457ea94dfc7ed086ae6f"],
  uri: ["https://example.com/x?y=1", "example.com"],
  "uri-reference": ["/a/b", "a b"],
  url: ["https://example.com", "example"],
  hostname: ["api.example.com", "-bad-"],
  ipv4: ["10.0.0.1", "300.1.1.1"],
  byte: ["aGVsbG8=", "not base64!"],
  int32: [42, 2 ** 31, 1.5],
  int64: [42, 2 ** 60, 1.5],
  float: [1.5, Infinity],
  double: [1.5, NaN],
};
const PATTERN_CANDIDATES = ["+359888123456", "123", "abc", "a", "name,asc", "a_b.c,desc", "x.y", "A b_c", "-", "", "😀"];

class Inputs {
  constructor(
    private readonly components: Map<string, Json>,
    private readonly rand: () => number,
  ) {}
  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rand() * xs.length)];
  }
  private chance(p: number) {
    return this.rand() < p;
  }
  private resolve(s: Json): Json {
    let cur = s;
    for (let i = 0; cur && typeof cur === "object" && typeof cur.$ref === "string" && i < 20; i++) {
      cur = { ...this.components.get(cur.$ref.split("/").pop()), ...Object.fromEntries(Object.entries(cur).filter(([k]) => k !== "$ref")) };
    }
    return cur;
  }

  /** A value meant to satisfy `schema` (not always: unions and patterns are approximated). */
  valid(schema: Json, depth = 0): unknown {
    const s = this.resolve(schema);
    if (s === true || s === undefined) return this.pick(["x", 1, true, null, { a: 1 }]);
    if (s === false) return 1;
    if (s.const !== undefined) return structuredClone(s.const);
    if (s.enum) return structuredClone(this.pick(s.enum));
    const union = s.oneOf ?? s.anyOf;
    let type = s.type ? (Array.isArray(s.type) ? this.pick(s.type) : s.type) : undefined;
    if (!type) {
      if (s.properties || s.required || s.additionalProperties !== undefined || s.allOf || s.propertyNames) type = "object";
      else if (s.items) type = "array";
      else if (s.pattern || s.format || s.minLength !== undefined) type = "string";
      else if (s.minimum !== undefined || s.maximum !== undefined) type = "number";
      else if (union) return this.valid(this.pick(union), depth + 1);
      else type = "string";
    }
    switch (type) {
      case "null":
        return null;
      case "boolean":
        return this.chance(0.5);
      case "integer":
      case "number": {
        if (s.format && FORMAT_SAMPLES[s.format] && this.chance(0.3)) return FORMAT_SAMPLES[s.format][0];
        const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 0);
        const hi = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : lo + 100);
        const n = lo + this.rand() * Math.max(0, hi - lo);
        return type === "integer" ? Math.floor(n) : n;
      }
      case "string": {
        if (s.format && FORMAT_SAMPLES[s.format]) return FORMAT_SAMPLES[s.format][0];
        if (s.pattern) {
          const re = new RegExp(s.pattern, "u");
          return PATTERN_CANDIDATES.find((c) => re.test(c)) ?? "x";
        }
        const len = Math.max(s.minLength ?? 1, Math.min(s.maxLength ?? 8, 8));
        return "abcdefghijklmnop".slice(0, len);
      }
      case "array": {
        const n = Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 3, Math.floor(this.rand() * 3)));
        const out = Array.from({ length: n }, () => this.valid(s.items ?? {}, depth + 1));
        return s.uniqueItems ? [...new Map(out.map((x) => [JSON.stringify(x), x])).values()] : out;
      }
      default: {
        const out: Record<string, unknown> = {};
        const fill = (o: Json) => {
          const r = this.resolve(o);
          if (!r || typeof r !== "object") return;
          for (const [k, v] of Object.entries<Json>(r.properties ?? {})) {
            if ((r.required ?? []).includes(k) || (depth < 4 && this.chance(0.5))) out[k] = this.valid(v, depth + 1);
          }
          for (const k of r.required ?? []) if (!(k in out)) out[k] = "x";
          const branches = (r.allOf ?? []) as Json[];
          const conditional = branches.filter((b) => b.if);
          for (const b of branches.filter((x) => !x.if)) fill(b);
          if (conditional.length) {
            const c = this.pick(conditional);
            fill(c.then);
            for (const [k, v] of Object.entries<Json>(c.if.properties ?? {})) if (v.const !== undefined) out[k] = v.const;
          }
          const u = r.oneOf ?? r.anyOf;
          if (u) fill(this.pick(u));
        };
        fill(s);
        if (s.additionalProperties && typeof s.additionalProperties === "object" && this.chance(0.5)) out.extra = this.valid(s.additionalProperties, depth + 1);
        return out;
      }
    }
  }

  /** The same value with 1–3 random changes somewhere inside. */
  mutate(value: unknown): unknown {
    const root = { v: structuredClone(value) };
    for (let n = 1 + Math.floor(this.rand() * 3); n > 0; n--) {
      const spots: [Json, string | number][] = [];
      const walk = (holder: Json, key: string | number, depth: number) => {
        spots.push([holder, key]);
        const v = holder[key];
        if (depth > 8 || !v || typeof v !== "object") return;
        for (const k of Object.keys(v)) walk(v, Array.isArray(v) ? Number(k) : k, depth + 1);
      };
      walk(root, "v", 0);
      const [holder, key] = this.pick(spots);
      const current = holder[key];
      const replacements: (() => unknown)[] = [
        () => undefined,
        () => null,
        () => 42,
        () => -1,
        () => 0,
        () => 10,
        () => 1.5,
        () => 1e12,
        () => NaN,
        () => "",
        () => "x".repeat(300),
        () => "😀".repeat(40),
        () => true,
        () => [],
        () => ({}),
        () => this.pick(FORMAT_SAMPLES[this.pick(Object.keys(FORMAT_SAMPLES))]),
        () => this.pick(PATTERN_CANDIDATES),
        () => (Array.isArray(current) ? [...current, ...current] : current),
        () => (current && typeof current === "object" && !Array.isArray(current) ? { ...current, "zz/un~known": 1, extraField: "x" } : current),
        () => {
          if (current && typeof current === "object" && !Array.isArray(current)) {
            const keys = Object.keys(current);
            const copy = { ...current };
            if (keys.length) delete copy[this.pick(keys)];
            return copy;
          }
          return current;
        },
        () => (Array.isArray(current) ? Array.from({ length: 70 }, (_, i) => current[i % Math.max(1, current.length)] ?? i) : current),
        () => (Array.isArray(current) ? Array.from({ length: 40 }, (_, i) => `${"t".repeat(29)}${i % 30}`) : current),
        () => (current && typeof current === "object" && !Array.isArray(current) ? Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`k.${i}`, "v"])) : current),
      ];
      holder[key] = this.pick(replacements)();
      if (holder[key] === undefined && this.chance(0.5) && !Array.isArray(holder)) delete holder[key];
    }
    return root.v;
  }
}

// ---- the issues the clients reported from Ajv's errors -----------------------------------------------------------

/** One Ajv error (`verbose`: `schema` is the keyword's value). */
interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, any>;
  schema?: unknown;
}

/**
 * Ajv's errors as issues, the way core turned them into `RequestValidationError` issues before its validator
 * reported issues itself (`issuesFrom`): union branches folded into one issue per union, if/then's own error
 * dropped beside the real ones, duplicates (same field and rule) once. Changed since, on purpose: `not` names what
 * it refuses; and inside a union's branch (which no spec has yet) an if/then's own error is not counted or listed
 * as a failure of the branch, and a nested union is described by its message rather than its keyword. One more
 * difference this conversion cannot express: it told a union's branch failures by their schema path, which starts
 * again at `#` in every `$ref`'d schema, so where one union schema is reached through several `$ref`s at the same
 * place (recursive or repeated references, which no spec has) it also folded the other copies' failures; the
 * validator folds only its own.
 */
function legacyIssues(all: AjvError[]): ValidationIssue[] {
  const errors = all.filter((e) => e.keyword !== "if" || !all.some((u) => (u.keyword === "anyOf" || u.keyword === "oneOf") && isBranchOf(e, u)));
  const unions = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf");
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (unions.some((u) => u !== e && isBranchOf(e, u))) continue;
    if (e.keyword === "if" && errors.some((o) => o !== e && o.keyword !== "if" && o.instancePath.startsWith(e.instancePath))) continue;
    const issue = e.keyword === "anyOf" || e.keyword === "oneOf" ? unionIssue(e, errors) : plainIssue(e);
    const key = `${issue.field}|${issue.rule}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

function isBranchOf(e: AjvError, union: AjvError): boolean {
  const base = union.schemaPath.replace(/\/(anyOf|oneOf)$/, "");
  return (
    e.schemaPath.startsWith(`${base}/${union.keyword}/`) &&
    (e.instancePath === union.instancePath || e.instancePath.startsWith(`${union.instancePath}/`))
  );
}

function unionIssue(u: AjvError, all: AjvError[]): ValidationIssue {
  const field = fieldName(u.instancePath);
  if (u.keyword === "oneOf" && u.params.passingSchemas) return { field, rule: "oneOf", message: "matches more than one of the allowed shapes" };
  const branches = all.filter((e) => e !== u && isBranchOf(e, u));
  if (branches.length > 0 && branches.every((b) => b.keyword === "required" && b.instancePath === u.instancePath)) {
    const names = branches.map((b) => String(b.params.missingProperty));
    return { field, rule: `${u.keyword} required ${names.join(" | ")}`, message: `needs at least one of: ${names.join(", ")}` };
  }
  const byBranch = new Map<string, AjvError[]>();
  const base = u.schemaPath.replace(/\/(anyOf|oneOf)$/, "");
  for (const b of branches) {
    const idx = b.schemaPath.slice(base.length).split("/")[2];
    byBranch.set(idx, [...(byBranch.get(idx) ?? []), b]);
  }
  const closest = [...byBranch.values()].sort((a, b) => a.length - b.length)[0] ?? [];
  const detail = closest.map((b) => `${fieldName(b.instancePath) || field}: ${(b.keyword === "anyOf" || b.keyword === "oneOf" ? unionIssue(b, all) : plainIssue(b)).message}`).join("; ");
  return { field, rule: u.keyword, message: `matches none of the allowed shapes${detail ? ` (closest: ${detail})` : ""}` };
}

const LIMIT_NOUNS: Record<string, string> = { maxLength: "characters", minLength: "characters", maxItems: "items", minItems: "items", maxProperties: "properties", minProperties: "properties" };

function plainIssue(e: AjvError): ValidationIssue {
  const p = e.params;
  let field = fieldName(e.instancePath);
  let rule = e.keyword;
  let message: string = e.keyword;
  const list = (values: unknown[], sep: string) => values.map((v) => JSON.stringify(v)).join(sep);
  switch (e.keyword) {
    case "required":
      [field, message] = [joinField(field, String(p.missingProperty)), "is required"];
      break;
    case "additionalProperties":
      [field, rule, message] = [joinField(field, String(p.additionalProperty)), "additionalProperties false", "is not a known field here (unknown fields are rejected, not dropped)"];
      break;
    case "enum":
      [rule, message] = [`enum ${list(p.allowedValues, " | ")}`, `must be one of ${list(p.allowedValues, ", ")}`];
      break;
    case "const":
      [rule, message] = [`const ${JSON.stringify(p.allowedValue)}`, `must be ${JSON.stringify(p.allowedValue)}`];
      break;
    case "pattern":
      [rule, message] = [`pattern ${p.pattern}`, `must match ${p.pattern}`];
      break;
    case "format":
      [rule, message] = [`format ${p.format}`, `must be a valid ${p.format}`];
      break;
    case "type":
      [rule, message] = [`type ${p.type}`, `must be ${p.type}`];
      break;
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      [rule, message] = [`${e.keyword} ${p.limit}`, `must be ${p.comparison} ${p.limit}`];
      break;
    case "minLength":
    case "maxLength":
    case "minItems":
    case "maxItems":
    case "minProperties":
    case "maxProperties":
      [rule, message] = [`${e.keyword} ${p.limit}`, `must NOT have ${e.keyword.startsWith("max") ? "more" : "fewer"} than ${p.limit} ${LIMIT_NOUNS[e.keyword]}`];
      break;
    case "multipleOf":
      message = `must be multiple of ${p.multipleOf}`;
      break;
    case "x-max-total-length":
      [rule, message] = [`maxTotalLength ${p.limit}`, `must have at most ${p.limit} characters in total`];
      break;
    case "uniqueItems":
      message = `must NOT have duplicate items (items ## ${p.j} and ${p.i} are identical)`;
      break;
    case "propertyNames":
      [field, message] = [joinField(field, String(p.propertyName)), "is not an allowed property name"];
      break;
    case "not": {
      // The one change: a `not` of one `enum`, `const` or `type` says what it refuses.
      const refused = e.schema as Record<string, any>;
      const [keyword, ...others] = refused && typeof refused === "object" ? Object.keys(refused) : [];
      const value = refused?.[keyword];
      if (others.length === 0 && keyword === "enum") [rule, message] = [`not enum ${list(value, " | ")}`, `must not be one of ${list(value, ", ")}`];
      else if (others.length === 0 && keyword === "const") [rule, message] = [`not const ${JSON.stringify(value)}`, `must not be ${JSON.stringify(value)}`];
      else if (others.length === 0 && keyword === "type") [rule, message] = [`not type ${value}`, `must not be ${value}`];
      else message = "must NOT be valid";
      break;
    }
    case "if":
      [rule, message] = ["if/then", `must match "${p.failingKeyword}" schema`];
      break;
    case "false schema":
      message = "boolean schema is false";
      break;
  }
  return { field: field || "(request)", rule, message };
}

function joinField(base: string, key: string): string {
  if (!base) return key;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

function fieldName(instancePath: string): string {
  let out = "";
  for (const raw of instancePath ? instancePath.slice(1).split("/") : []) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    out = /^\d+$/.test(seg) ? `${out}[${seg}]` : joinField(out, seg);
  }
  return out;
}

// ---- the comparison ---------------------------------------------------------------------------------------------

describe.each(Object.keys(packages))("%s: core's validator gives Ajv's verdicts and the issues its errors gave", (slug) => {
  const doc = JSON.parse(readFileSync(join(repoRoot, "packages", slug, "openapi.json"), "utf8"));
  const prepared = prepareSchemas(doc);
  const compile = referenceAjv(prepared.components);

  function compare(label: string, shipped: Schema | LazySchema, source: Json, seed: number, at: string[] = []) {
    const reference = compile(source);
    const inputs = new Inputs(prepared.components, prng(seed));
    let invalid = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const good = inputs.valid(source);
      for (const data of [good, inputs.mutate(good), inputs.mutate(good)]) {
        const valid = reference(data);
        const errors = ((reference.errors ?? []) as AjvError[]).map((e) => ({ ...e, instancePath: `${at.map((s) => `/${s}`).join("")}${e.instancePath}` }));
        const actual = schemaErrors(shipped, data, at);
        if (!valid) invalid++;
        expect(actual.length === 0, `${label}: Ajv's verdict on ${JSON.stringify(data)?.slice(0, 400)}`).toBe(valid);
        expect(actual, `${label}: ${JSON.stringify(data)?.slice(0, 400)}`).toEqual(legacyIssues(errors));
      }
    }
    return invalid;
  }

  it("on every operation's request", async () => {
    const { operations } = await packages[slug]();
    let invalid = 0;
    let seed = 1;
    for (const [operationId, source] of prepared.requests) {
      const shipped = operations[operationId]?.requestSchema;
      expect(shipped, `${operationId} carries its request schema`).toBeDefined();
      invalid += compare(`${operationId} request`, shipped!, source, seed++);
    }
    // The mutations do produce invalid input, so errors were compared, not only empty lists.
    expect(invalid).toBeGreaterThan(prepared.requests.size);
  });

  it("on every documented success response", async () => {
    const shipped = await (await packages[slug]()).loadResponseSchemas();
    let seed = 1000;
    let count = 0;
    for (const [operationId, byStatus] of prepared.responses) {
      for (const [status, source] of byStatus) {
        expect(shipped[operationId]?.[status], `${operationId} ${status}`).toBeDefined();
        compare(`${operationId} ${status} response`, shipped[operationId][status], source, seed++, ["body"]);
        count++;
      }
    }
    expect(Object.keys(shipped).length).toBe(prepared.responses.size);
    expect(count).toBeGreaterThan(0);
  });
});

// Keywords the specs do not use yet (or use in one corner) get the same comparison on schemas written for it.
describe("keywords beyond today's specs: core's validator gives Ajv's verdicts and the issues its errors gave", () => {
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const components = new Map<string, Json>(
    Object.entries({
      Node: {
        type: "object",
        properties: { name: { type: "string", minLength: 1, maxLength: 5 }, children: { type: "array", items: ref("Node"), uniqueItems: true } },
        required: ["name"],
        additionalProperties: false,
      },
      Tags: { type: "array", items: { type: "string" }, uniqueItems: true, "x-max-total-length": 10, maxItems: 4, minItems: 1 },
      Mixed: { type: "array", items: { type: ["string", "integer"] }, uniqueItems: true },
      Num: { type: "number", multipleOf: 0.5, exclusiveMinimum: 0, exclusiveMaximum: 10 },
      Int: { type: ["integer", "null"], minimum: 1, maximum: 5, enum: [1, 2, 3, 9, null] },
      Cond: {
        type: "object",
        if: { properties: { kind: { const: "a" } }, required: ["kind"] },
        then: { required: ["a"] },
        else: { required: ["b"] },
        patternProperties: { "^p_": { type: "integer" } },
        additionalProperties: { type: "string" },
        minProperties: 1,
        maxProperties: 4,
        propertyNames: { maxLength: 6 },
        properties: { kind: { enum: ["a", "b", { deep: [1] }] }, a: true, b: { const: { v: [1, 2] } }, f: false, x: { type: "integer" }, y: {} },
      },
      NotString: { not: { type: "string" } },
      Several: { oneOf: [{ type: "integer" }, { type: "number" }, { minimum: 0 }] },
      Tagged: {
        allOf: [
          { required: ["t"], properties: { t: { enum: ["a", "b", "c"] } } },
          { if: { properties: { t: { const: "a" } } }, then: { required: ["x"] } },
          { if: { properties: { t: { const: "b" } } }, then: { properties: { y: { type: "integer" } } } },
          { if: { properties: { t: { const: "a" } } }, then: { properties: { x: { type: "string" } } } },
          { if: { properties: { t: { const: "c" } } }, then: false },
        ],
      },
      Strings: { type: "object", properties: { d: { type: "string", format: "date" }, n: { type: "integer", format: "int32" }, e: { format: "email" } } },
    }),
  );
  const root = {
    type: "object",
    properties: Object.fromEntries([...components.keys()].map((n) => [n.toLowerCase(), ref(n)])),
    additionalProperties: false,
    anyOf: [{ required: ["node"] }, { required: ["cond"] }],
  };

  /** The shipped form: references by identity (recursive through the very object) or through a function. */
  function shipped(): Schema {
    const objects = new Map([...components.keys()].map((n) => [n, {} as Json]));
    let flip = false;
    const convert = (node: Json): Json =>
      Array.isArray(node)
        ? node.map(convert)
        : node && typeof node === "object"
          ? Object.fromEntries(
              Object.entries(node).map(([k, v]) => {
                if (k !== "$ref" || typeof v !== "string") return [k, k === "enum" || k === "const" ? v : convert(v)];
                const target = objects.get(v.split("/").pop()!);
                return [k, (flip = !flip) ? target : () => target];
              }),
            )
          : node;
    for (const [n, s] of components) Object.assign(objects.get(n)!, convert(s));
    return convert(root);
  }

  it("on generated and mutated inputs", () => {
    const reference = referenceAjv(components)(root);
    const schema = shipped();
    const inputs = new Inputs(components, prng(7));
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const good = inputs.valid(root);
      for (const data of [good, inputs.mutate(good), inputs.mutate(inputs.mutate(good))]) {
        const valid = reference(data);
        const errors = (reference.errors ?? []) as AjvError[];
        const actual = schemaErrors(schema, data);
        errors.forEach((e) => seen.add(e.keyword));
        expect(actual.length === 0, `Ajv's verdict on ${JSON.stringify(data)?.slice(0, 400)}`).toBe(valid);
        expect(actual, JSON.stringify(data)?.slice(0, 400)).toEqual(legacyIssues(errors));
      }
    }
    // Random strings seldom land on a limit exactly: the total length at the limit and one over it.
    for (const [tags, valid] of [[["abcde", "fghij"], true], [["abcde", "fghijk"], false]] as const) {
      const data = { node: { name: "a" }, tags };
      expect(reference(data), JSON.stringify(data)).toBe(valid);
      expect(schemaErrors(schema, data)).toEqual(legacyIssues((reference.errors ?? []) as AjvError[]));
    }
    for (const keyword of ["multipleOf", "exclusiveMinimum", "exclusiveMaximum", "not", "if", "uniqueItems", "x-max-total-length", "false schema", "oneOf", "maxProperties", "propertyNames", "const", "enum", "format"]) {
      expect(seen, `inputs broke ${keyword}`).toContain(keyword);
    }
  });
});
