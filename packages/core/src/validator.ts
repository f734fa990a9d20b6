/**
 * A JSON Schema 2020-12 validator over schemas shipped as plain data (the generated `schemas.ts` of each vendor
 * package). Each schema object is turned into closures once, at its first use, and cached by identity; nothing is
 * ever compiled from source text, so it runs where `eval`/`new Function` are forbidden (Cloudflare Workers, CSP).
 *
 * Supports the keywords the specs use and the generator lets through (anything else is refused when generating):
 * type (one or a list, "null" included), enum, const, properties, required, additionalProperties,
 * patternProperties, propertyNames, min/maxProperties, items, min/maxItems, uniqueItems,
 * min/maxLength (code points), pattern (`u` flag), format (checks in validation-runtime.ts), minimum, maximum,
 * exclusiveMinimum, exclusiveMaximum, multipleOf, anyOf, oneOf, allOf, not, if/then/else, $ref (a schema object,
 * or a function returning one for recursive references) and `x-max-total-length` (sum of an array's string lengths).
 *
 * It reports the final issues (`{field, rule, message}`) directly, in the order and with the folding the clients
 * reported when they were built from Ajv's errors (tests/unit/validator-vs-ajv.test.ts holds the verdicts to Ajv's
 * and the issues to what that conversion gave):
 * - keywords are checked in Ajv's order (`type` first, or inside its keyword group when it is the only type and
 *   that group is used; then the keywords for any type; then number, string, array, object keywords);
 * - a failed union (anyOf/oneOf) is one issue that folds the failures of its branches, except those inside a
 *   `$ref`'d schema, which stand on their own (a referenced schema was a separate Ajv function): when every folded
 *   failure is a `required` at the union's own place it says which fields would do, else it names the branch with
 *   the fewest failures;
 * - if/then/else reports the failures of the clause that applies, nothing of its own;
 * - issues with the same field and rule are reported once.
 */
import type { ValidationIssue } from "./errors.js";
import { equal, formats, ucs2length } from "./validation-runtime.js";

export type JsonType = "string" | "number" | "integer" | "boolean" | "null" | "object" | "array";

/** A schema as the generator writes it: JSON Schema keywords only, references by identity. */
export type Schema = SchemaObject | boolean;

/** A schema that is materialised on first use (see `lazySchema`); wherever a schema is referenced, one of these will do. */
export type LazySchema = () => Schema;

/**
 * A schema shipped as JSON text, parsed the first time it is needed and then kept. `refs` lists the schemas its
 * `{"$ref": n}` members point to (index `n`); it is a function so a list may name constants defined later in the
 * module (recursive schemas) and is only called when the text is parsed.
 *
 * Why text: the generated `schemas.ts` of a large spec holds hundreds of schemas. As object literals, Node compiles
 * and builds all of them when the package is imported (2.3 ms for Contacthub's, against 0.9 ms as text); as
 * strings, V8 only scans them, and each is parsed (JSON.parse, faster than compiling the same literal) when an
 * operation that uses it is first validated. Tree-shaking is unchanged: each call is a pure, separate constant.
 */
export function lazySchema(text: string, refs?: () => readonly (Schema | LazySchema)[]): LazySchema {
  let schema: Schema | undefined;
  return () => {
    if (schema === undefined) {
      const targets = refs?.();
      schema = JSON.parse(text, targets && ((key: string, value: unknown) => (key === "$ref" && typeof value === "number" ? targets[value] : value))) as Schema;
    }
    return schema;
  };
}

export interface SchemaObject {
  readonly type?: JsonType | readonly JsonType[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: Schema;
  readonly patternProperties?: Readonly<Record<string, Schema>>;
  readonly propertyNames?: Schema;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly items?: Schema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly multipleOf?: number;
  readonly anyOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
  readonly allOf?: readonly Schema[];
  readonly not?: Schema;
  readonly if?: Schema;
  readonly then?: Schema;
  readonly else?: Schema;
  /** The referenced schema, or a function returning it (a `LazySchema`, or a reference that closes a cycle). */
  readonly $ref?: Schema | LazySchema;
  /** Largest sum of the lengths (UTF-16 units) of an array's strings. */
  readonly "x-max-total-length"?: number;
}

type Segment = string | number;
// Data is any JSON value; every check runs only on data of the type its keyword applies to.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;
type Check = (data: Data) => void;
/** A keyword's check for one schema (undefined: nothing to check), from its value and the type it is checked on. */
type Factory = (value: Data, s: SchemaObject, type: string, keyword: string) => Check | undefined;

/** A failure as found: the issue it becomes, and what a union needs to fold it. */
interface Failure extends ValidationIssue {
  /** The data's place (without the key a `required`/unknown field adds). */
  at: string;
  /** The `required` or unknown key, joined to `at` in `field`. */
  key?: string;
  /** The `$ref`'d schema it was found in (a union folds only its own). */
  scope: number;
  /** Folded into a union's issue: not an issue of its own. */
  folded?: boolean;
}

// Validation state: one synchronous run at a time (schemaErrors resets it).
let path: Segment[] = [];
let found: Failure[] = [];
/** Failures so far, also those not recorded; a check passed when it did not move this. */
let failures = 0;
/** Above 0 inside `not` and `if` conditions: only the verdict counts, nothing is recorded. */
let quiet = 0;
let scope = 0;
let scopes = 0;

/** The issues of `data` against `schema` (empty when valid). `at` is where `data` is (`["body"]`). */
export function schemaErrors(schema: Schema | LazySchema, data: unknown, at: readonly Segment[] = []): ValidationIssue[] {
  path = [...at];
  found = [];
  failures = quiet = scope = 0;
  compile(typeof schema === "function" ? schema() : schema)(data);
  if (!found.length) return [];
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  for (const { field, rule, message, folded } of found) {
    const key = `${field}|${rule}`;
    if (!folded && !seen.has(key)) {
      seen.add(key);
      issues.push({ field, rule, message });
    }
  }
  return issues;
}

function fail(rule: string, message: string, key?: string): void {
  failures++;
  if (quiet) return;
  const at = fieldOf(path);
  found.push({ field: (key === undefined ? at : joinField(at, key)) || "(request)", rule, message, at, key, scope });
}

/** Runs `check`; true when it failed nothing. `verdict`: only the answer counts (nothing recorded or counted). */
function passes(check: Check, data: Data, verdict?: boolean): boolean {
  const before = failures;
  if (verdict) quiet++;
  check(data);
  const ok = failures === before;
  if (verdict) quiet--, (failures = before);
  return ok;
}

/** Validates `value` one level down. */
function at(check: Check, value: Data, key: Segment): void {
  path.push(key);
  check(value);
  path.pop();
}

/** A check that fails with `rule` and `message` when `ok(data)` is false. */
const test =
  (ok: (data: Data) => unknown, rule: string, message: string): Check =>
  (data) => {
    if (!ok(data)) fail(rule, message);
  };

const noop: Check = () => {};
const falseSchema: Check = () => fail("false schema", "boolean schema is false");

function sequence(checks: (Check | undefined)[]): Check {
  const list = checks.filter((c): c is Check => !!c && c !== noop);
  const [a = noop, b] = list;
  return !b
    ? a
    : list.length < 3
      ? (data) => {
          a(data);
          b(data);
        }
      : (data) => {
          for (let i = 0; i < list.length; i++) list[i](data);
        };
}

const compiled = new WeakMap<object, Check>();

/** The check of a schema (`noop` when it constrains nothing), built once per schema object. */
function compile(schema: Schema): Check {
  if (typeof schema !== "object") return schema ? noop : falseSchema;
  let check = compiled.get(schema);
  if (!check) compiled.set(schema, (check = build(schema as SchemaObject & Record<string, unknown>)));
  return check;
}

const TYPES: Record<string, (d: Data) => boolean> = {
  string: (d) => typeof d === "string",
  number: (d) => typeof d === "number",
  integer: (d) => typeof d === "number" && !(d % 1) && d === d,
  boolean: (d) => typeof d === "boolean",
  null: (d) => d === null,
  array: Array.isArray,
  object: (d) => !!d && typeof d === "object" && !Array.isArray(d),
};

const show = (v: unknown) => JSON.stringify(v);
/** Rule and message of `type`, `const` and `enum` (`enum "a" | "b"`, `must be one of "a", "b"`). */
function words(keyword: string, value: Data): [string, string] {
  const list: string[] = keyword === "enum" ? value.map(show) : [keyword === "type" ? String(value) : show(value)];
  return [`${keyword} ${list.join(" | ")}`, `must be ${keyword === "enum" ? "one of " : ""}${list.join(", ")}`];
}

function build(s: SchemaObject & Record<string, unknown>): Check {
  const has = (k: string) => s[k] !== undefined;
  const types = s.type === undefined ? [] : [s.type].flat();
  // Like Ajv: a single JSON type whose keywords are used is checked with them; otherwise first.
  const late = types.length === 1 && types[0] in TYPES && Object.keys(KEYWORDS[types[0]] ?? {}).some(has) ? types[0] : undefined;
  const tests = types.map((t) => TYPES[t] ?? (() => false));
  const typeCheck = test(tests.length > 1 ? (d) => tests.some((t) => t(d)) : tests[0], ...words("type", s.type));
  const checks: (Check | undefined)[] = [types.length && !late ? typeCheck : undefined];
  for (const type in KEYWORDS) {
    const group = sequence(Object.entries(KEYWORDS[type]).map(([k, factory]) => (has(k) ? factory(s[k], s, type, k) : undefined)));
    const holds = TYPES[type];
    checks.push(
      !type
        ? group
        : late === type
          ? (data) => (holds(data) ? group(data) : typeCheck(data))
          : group !== noop
            ? (data) => {
                if (holds(data)) group(data);
              }
            : undefined,
    );
  }
  return sequence(checks);
}

/** What a limit keyword compares, by the type it is checked in; and what the message counts. */
const SIZE: Record<string, (d: Data) => number> = { number: (d) => d, string: ucs2length, array: (d) => d.length, object: (d) => Object.keys(d).length };
const NOUN: Record<string, string> = { string: "characters", array: "items", object: "properties" };

/** maximum, minimum, exclusiveMaximum, exclusiveMinimum, max/minLength, max/minItems, max/minProperties. */
function limit(v: number, _s: SchemaObject, type: string, keyword: string): Check {
  const size = SIZE[type];
  const max = /ax/.test(keyword);
  const strict = keyword[0] === "e";
  return test(
    // Within the limit (NaN is within no number limit).
    max ? (strict ? (d) => size(d) < v : (d) => size(d) <= v) : strict ? (d) => size(d) > v : (d) => size(d) >= v,
    `${keyword} ${v}`,
    type === "number" ? `must be ${max ? "<" : ">"}${strict ? "" : "="} ${v}` : `must NOT have ${max ? "more" : "fewer"} than ${v} ${NOUN[type]}`,
  );
}

const names = (o: object | undefined) => Object.keys(o ?? {}).filter((k) => k !== "__proto__");

// A format checks data of its own type only; one the runtime does not know constrains nothing (the generator
// refuses unknown formats in specs).
const format: Factory = (name: string, _s, type) =>
  formats[name]?.type === type ? test(formats[name].validate, `format ${name}`, `must be a valid ${name}`) : undefined;

/**
 * Keyword → its check for one schema (`value` is the keyword's value), in Ajv's order: the keywords for any data,
 * then those for one type (checked only on data of that type).
 */
const KEYWORDS: Record<string, Record<string, Factory>> = {
  "": {
    $ref: (ref) => {
      let target: Check | undefined;
      return (data) => {
        const outer = scope;
        scope = ++scopes;
        (target ??= compile(typeof ref === "function" ? ref() : ref))(data);
        scope = outer;
      };
    },
    const: (value) => test((d) => equal(d, value), ...words("const", value)),
    enum: (values: unknown[]) => test((d) => values.some((v) => equal(d, v)), ...words("enum", values)),
    not: (sub) => {
      const check = compile(sub);
      // `not: {enum: […]}` (or one `const`/`type`) says what it refuses: `not enum "A" | "B"`, `must not be one of …`.
      const [keyword, ...others] = typeof sub === "object" ? Object.keys(sub) : [];
      const [rule, message] = !others.length && /^(enum|const|type)$/.test(keyword) ? words(keyword, sub[keyword]) : ["", "must NOT be valid"];
      return test((d) => !passes(check, d, true), `not${rule && ` ${rule}`}`, message.replace("must be", "must not be"));
    },
    anyOf: (branches) => union(branches, "anyOf"),
    oneOf: (branches) => union(branches, "oneOf"),
    allOf: (branches: Schema[]) => {
      const checks: Check[] = [];
      for (let i = 0; i < branches.length; i++) {
        const first = tagged(branches[i]);
        if (!first) {
          checks.push(compile(branches[i]));
          continue;
        }
        // Consecutive branches tagged on the same property (a tagged union as the generator writes it): read the tag
        // once and run the branches whose condition holds (all of them when the tag is absent), as Ajv would.
        const [tag] = first;
        const run = [first];
        for (let next; (next = tagged(branches[i + 1])) && next[0] === tag; i++) run.push(next);
        checks.push((data) => {
          const value = TYPES.object(data) ? data[tag] : undefined;
          for (let k = 0; k < run.length; k++) if (value === undefined || value === run[k][1]) run[k][2](data);
        });
      }
      return sequence(checks);
    },
    if: (condition, s) => {
      const check = compile(condition);
      const clauses = [compile(s.else ?? true), compile(s.then ?? true)];
      if (clauses[0] === noop && clauses[1] === noop) return undefined;
      return (data) => clauses[+passes(check, data, true)](data);
    },
  },
  number: {
    maximum: limit,
    minimum: limit,
    exclusiveMaximum: limit,
    exclusiveMinimum: limit,
    multipleOf: (v: number) => test((d) => v !== 0 && d / v === parseInt(String(d / v)), "multipleOf", `must be multiple of ${v}`),
    format,
  },
  string: {
    maxLength: limit,
    minLength: limit,
    pattern: (pattern: string) => {
      const re = new RegExp(pattern, "u");
      return test((d) => re.test(d), `pattern ${pattern}`, `must match ${pattern}`);
    },
    format,
  },
  array: {
    maxItems: limit,
    minItems: limit,
    items: (item) => {
      const check = compile(item);
      if (check === noop) return undefined;
      return (data) => {
        for (let i = 0; i < data.length; i++) {
          path.push(i);
          check(data[i]);
          path.pop();
        }
      };
    },
    uniqueItems: (unique, s) => (unique === true ? uniqueItems(s.items) : undefined),
    "x-max-total-length": (v: number) =>
      test((d) => d.reduce((n: number, x: Data) => n + (typeof x === "string" ? x.length : 0), 0) <= v, `maxTotalLength ${v}`, `must have at most ${v} characters in total`),
  },
  object: {
    maxProperties: limit,
    minProperties: limit,
    required: (required: string[]) => (data) => {
      for (let i = 0; i < required.length; i++) if (data[required[i]] === undefined) fail("required", "is required", required[i]);
    },
    propertyNames: (sub) => {
      const check = compile(sub);
      if (check === noop) return undefined;
      return (data) => {
        for (const key in data) if (!passes(check, key)) fail("propertyNames", "is not an allowed property name", key);
      };
    },
    additionalProperties: (extra, s) => {
      const check = compile(extra);
      if (check === noop) return undefined;
      const known = new Set(names(s.properties));
      const patterns = names(s.patternProperties).map((p) => new RegExp(p, "u"));
      return (data) => {
        for (const key in data) {
          if (known.has(key) || patterns.some((re) => re.test(key))) continue;
          if (extra === false) fail("additionalProperties false", "is not a known field here (unknown fields are rejected, not dropped)", key);
          else at(check, data[key], key);
        }
      };
    },
    properties: (properties) => {
      const keys = names(properties).filter((k) => compile(properties[k]) !== noop);
      const checks = keys.map((k) => compile(properties[k]));
      if (!keys.length) return undefined;
      return (data) => {
        for (let i = 0; i < keys.length; i++) {
          const value = data[keys[i]];
          if (value !== undefined) {
            path.push(keys[i]);
            checks[i](value);
            path.pop();
          }
        }
      };
    },
    patternProperties: (patterns) =>
      sequence(
        names(patterns).map((pattern) => {
          const check = compile(patterns[pattern]);
          const re = new RegExp(pattern, "u");
          return check === noop
            ? undefined
            : (data: Data) => {
                for (const key in data) if (re.test(key)) at(check, data[key], key);
              };
        }),
      ),
  },
};

/** `[tag, value, then]` of `{if: {properties: {<tag>: {const: "<string>"}}}, then}`, nothing else in it. */
function tagged(branch: Data): [string, string, Check] | undefined {
  const only = (o: Data, keys: string) => typeof o === "object" && o !== null && Object.keys(o).sort().join() === keys;
  if (!only(branch, "if,then") || !only(branch.if, "properties")) return undefined;
  const properties = branch.if.properties ?? {};
  const [tag, ...others] = Object.keys(properties);
  const value = properties[tag]?.const;
  return tag === undefined || others.length || tag === "__proto__" || !only(properties[tag], "const") || typeof value !== "string"
    ? undefined
    : [tag, value, compile(branch.then)];
}

function union(branches: Schema[], keyword: string): Check {
  const checks = branches.map(compile);
  return (data) => {
    const before = failures;
    const start = found.length;
    /** Where each evaluated branch's failures end in `found`. */
    const ends: number[] = [];
    let passing = 0;
    for (let i = 0; i < checks.length; i++) {
      const ok = passes(checks[i], data);
      ends.push(found.length);
      // anyOf stops at the first passing branch, oneOf at the second, as Ajv does.
      if (ok && (++passing > 1 || keyword === "anyOf")) break;
    }
    if (passing === 1) {
      failures = before;
      if (found.length > start) found.length = start;
      return;
    }
    failures++;
    if (quiet) return;
    const where = fieldOf(path);
    // A branch's own failures (those of a schema it `$ref`s stand on their own).
    const byBranch = ends.map((end, i) => found.slice(i ? ends[i - 1] : start, end).filter((f) => f.scope === scope));
    const mine = byBranch.flat();
    const keys = mine.map((f) => f.key);
    // Name the branch that came closest (fewest failures) so the message points at the real mistake.
    const closest = (byBranch.filter((b) => b.length).sort((a, b) => a.length - b.length)[0] ?? []).map((f) => `${f.at || where}: ${f.message}`).join("; ");
    for (const f of mine) f.folded = true;
    found.push({
      field: where,
      ...(passing
        ? { rule: keyword, message: "matches more than one of the allowed shapes" }
        : mine.length && mine.every((f) => f.rule === "required" && f.at === where)
          ? { rule: `${keyword} required ${keys.join(" | ")}`, message: `needs at least one of: ${keys.join(", ")}` }
          : { rule: keyword, message: `matches none of the allowed shapes${closest && ` (closest: ${closest})`}` }),
      at: where,
      scope,
    });
  };
}

function uniqueItems(items: Schema | undefined): Check {
  const types: string[] = typeof items === "object" && items.type !== undefined ? [items.type].flat() : [];
  // Ajv compares items of declared scalar types through a lookup table (skipping items of other types, naming a
  // duplicate's nearest later twin), anything else pairwise (naming the nearest earlier twin); kept as Ajv has it.
  const scalar = types.length > 0 && !types.some((t) => t === "object" || t === "array");
  const counts = (x: Data) => !scalar || types.some((t) => TYPES[t]?.(x));
  const step = scalar ? 1 : -1;
  return (list) => {
    for (let i = list.length; i--; ) {
      for (let j = i + step; counts(list[i]) && j >= 0 && j < list.length; j += step) {
        if (counts(list[j]) && equal(list[i], list[j])) return fail("uniqueItems", `must NOT have duplicate items (items ## ${j} and ${i} are identical)`);
      }
    }
  };
}

/** `key` after `base` in call terms: `a.b`, `a["b-c"]`; a bare key at the top. */
export function joinField(base: string, key: string): string {
  return !base ? key : /^[A-Za-z_$][\w$]*$/.test(key) ? `${base}.${key}` : `${base}[${show(key)}]`;
}

/** `["body", "profiles", 0, "phone"]` → `body.profiles[0].phone` (all-digit keys read as indexes). */
export function fieldOf(segments: readonly Segment[]): string {
  let out = "";
  for (const s of segments) out = typeof s === "number" || /^\d+$/.test(s) ? `${out}[${s}]` : joinField(out, s);
  return out;
}
