/**
 * A JSON Schema 2020-12 validator over schemas shipped as plain data (the generated `schemas.ts` of each vendor
 * package). Each schema is turned into closures once, at its first use, and cached by identity; nothing is ever
 * compiled from source text, so it runs where `eval`/`new Function` are forbidden (Cloudflare Workers, strict CSP).
 *
 * Supports the keywords the specs use and the generator lets through (anything else is refused when generating):
 * type (one or a list, "null" included), enum, const, properties, required, additionalProperties,
 * patternProperties, propertyNames, min/maxProperties, items, min/maxItems, uniqueItems,
 * min/maxLength (code points), pattern (`u` flag), format (checks in validation-runtime.ts), minimum, maximum,
 * exclusiveMinimum, exclusiveMaximum, multipleOf, anyOf, oneOf, allOf, not, if/then/else, $ref (a schema object,
 * or a function returning one for recursive references) and `x-max-total-length` (sum of an array's string lengths).
 *
 * Errors have Ajv's shape, order, params and schema paths (a `$ref`'d schema's paths start again at `#`), with
 * `allErrors` semantics, so the issues built from them (validation.ts, which also words the messages) are the
 * ones the Ajv-compiled validators gave. tests/unit/validator-vs-ajv.test.ts holds it to that.
 */
import type { AjvLikeError } from "./operation.js";
import { equal, formats, ucs2length } from "./validation-runtime.js";

export type JsonType = "string" | "number" | "integer" | "boolean" | "null" | "object" | "array";

/** A schema as the generator writes it: JSON Schema keywords only, references by identity. */
export type Schema = SchemaObject | boolean;

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
  /** The referenced schema, or a function returning it (for references that close a cycle). */
  readonly $ref?: Schema | (() => Schema);
  /** Largest sum of the lengths (UTF-16 units) of an array's strings. */
  readonly "x-max-total-length"?: number;
}

type Segment = string | number;
interface Context {
  /** Where in the data we are: property names and item indexes from the root. */
  readonly segments: Segment[];
  readonly errors: AjvLikeError[];
  /** Failures so far (also those not built); verdicts compare it before and after. */
  failures: number;
  /** Only the verdict matters (inside `not` and `if`): failures are counted, no error is built. */
  quiet: boolean;
}
type Check = (data: unknown, cx: Context) => void;
type Keyed = Record<string, unknown>;
type Factory = (s: SchemaObject & Keyed, sp: string, group: Group, keyword: string) => Check | undefined;

/** The errors of `data` against `schema` (empty when valid). `at` prefixes the instance paths. */
export function schemaErrors(schema: Schema, data: unknown, at: readonly Segment[] = []): AjvLikeError[] {
  const cx: Context = { segments: [...at], errors: [], failures: 0, quiet: false };
  rootCheck(schema)(data, cx);
  return cx.errors;
}

const roots = new WeakMap<object, Check>();
const noop: Check = () => {};

/** A schema compiled as a root (its schema paths start at `#`), once per schema object, at its first call. */
function rootCheck(schema: Schema): Check {
  if (typeof schema === "boolean") return compile(schema, "#");
  let check = roots.get(schema);
  if (!check) {
    let body: Check | undefined;
    check = (data, cx) => (body ??= compile(schema, "#"))(data, cx);
    roots.set(schema, check);
  }
  return check;
}

const TYPES: Record<JsonType, (d: unknown) => boolean> = {
  string: (d) => typeof d === "string",
  number: (d) => typeof d === "number",
  integer: (d) => typeof d === "number" && !(d % 1) && d === d,
  boolean: (d) => typeof d === "boolean",
  null: (d) => d === null,
  array: Array.isArray,
  object: (d) => !!d && typeof d === "object" && !Array.isArray(d),
};
const isType = (type: JsonType, data: unknown) => TYPES[type]?.(data) ?? false;

const escapePointer = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");
/** A schema path one level into a keyword's map (`#/properties/a~1b`), escaped as Ajv does. */
const into = (sp: string, keyword: string, name: string) => `${sp}/${keyword}/${encodeURIComponent(escapePointer(name))}`;
const NO_PARAMS: Keyed = {};

/** Counts a failure; true when its error is to be built (not in a verdict-only evaluation). */
function failed(cx: Context): boolean {
  cx.failures++;
  return !cx.quiet;
}

function report(cx: Context, schemaPath: string, keyword: string, params: Keyed): void {
  let instancePath = "";
  for (const s of cx.segments) instancePath += `/${typeof s === "number" ? s : escapePointer(s)}`;
  cx.errors.push({ instancePath, schemaPath, keyword, params });
}

/** A failure whose schema path and params are known when compiling. */
function fail(cx: Context, schemaPath: string, keyword: string, params: Keyed = NO_PARAMS): void {
  if (failed(cx)) report(cx, schemaPath, keyword, params);
}

function sequence(checks: (Check | undefined)[]): Check {
  const list = checks.filter((c): c is Check => c !== undefined);
  const [a, b] = list;
  if (list.length < 2) return a ?? noop;
  if (list.length === 2) {
    return (data, cx) => {
      a(data, cx);
      b(data, cx);
    };
  }
  return (data, cx) => {
    for (let i = 0; i < list.length; i++) list[i](data, cx);
  };
}

/** Runs `check`: true when it found nothing. `verdictOnly` builds no errors and leaves no trace. */
function clean(check: Check, data: unknown, cx: Context, verdictOnly = false): boolean {
  const before = cx.failures;
  const quiet = cx.quiet;
  cx.quiet = quiet || verdictOnly;
  check(data, cx);
  cx.quiet = quiet;
  const ok = cx.failures === before;
  if (verdictOnly) cx.failures = before;
  return ok;
}

/** Takes back everything reported since `failures`/`errors` were read (a union branch matched). */
function rollback(cx: Context, failures: number, errors: number): void {
  cx.failures = failures;
  if (cx.errors.length > errors) cx.errors.length = errors;
}

/** Validates `value` one level down (`key` appended to the instance path). */
function at(check: Check, value: unknown, key: Segment, cx: Context): void {
  cx.segments.push(key);
  check(value, cx);
  cx.segments.pop();
}

/** Limits: broken when `test(data, limit)`; Ajv's params. */
const COMPARISON: Keyed = { maximum: "<=", minimum: ">=", exclusiveMaximum: "<", exclusiveMinimum: ">" };
const count = (d: unknown) => Object.keys(d as object).length;
const LIMITS: Record<string, (d: never, v: number) => boolean> = {
  maximum: (d: number, v) => d > v || d !== d,
  minimum: (d: number, v) => d < v || d !== d,
  exclusiveMaximum: (d: number, v) => d >= v || d !== d,
  exclusiveMinimum: (d: number, v) => d <= v || d !== d,
  multipleOf: (d: number, v) => v === 0 || d / v !== parseInt(String(d / v)),
  maxLength: (d: string, v) => ucs2length(d) > v,
  minLength: (d: string, v) => ucs2length(d) < v,
  maxItems: (d: unknown[], v) => d.length > v,
  minItems: (d: unknown[], v) => d.length < v,
  "x-max-total-length": (d: unknown[], v) => d.reduce((n: number, x) => n + (typeof x === "string" ? x.length : 0), 0) > v,
  maxProperties: (d: object, v) => count(d) > v,
  minProperties: (d: object, v) => count(d) < v,
};
const limit: Factory = (s, sp, _group, keyword) => {
  const v = s[keyword] as number;
  const test = LIMITS[keyword];
  const path = `${sp}/${keyword}`;
  const params = keyword in COMPARISON ? { comparison: COMPARISON[keyword], limit: v } : keyword === "multipleOf" ? { multipleOf: v } : { limit: v };
  return (data, cx) => {
    if (test(data as never, v)) fail(cx, path, keyword, params);
  };
};

/** Keywords Ajv applies to any data, in its order. */
const ANY_TYPE: Record<string, Factory> = {
  $ref: (s) => {
    const ref = s.$ref!;
    let target: Check | undefined;
    return (data, cx) => (target ??= rootCheck(typeof ref === "function" ? ref() : ref))(data, cx);
  },
  const: (s, sp) => {
    const value = s.const;
    const path = `${sp}/const`;
    const params = { allowedValue: value };
    return (data, cx) => {
      if (!same(data, value)) fail(cx, path, "const", params);
    };
  },
  enum: (s, sp) => {
    const values = s.enum!;
    const path = `${sp}/enum`;
    const params = { allowedValues: values };
    return (data, cx) => {
      for (let i = 0; i < values.length; i++) if (same(data, values[i])) return;
      fail(cx, path, "enum", params);
    };
  },
  not: (s, sp) => {
    const sub = compile(s.not!, `${sp}/not`);
    const path = `${sp}/not`;
    return (data, cx) => {
      if (clean(sub, data, cx, true)) fail(cx, path, "not");
    };
  },
  anyOf: (s, sp) => {
    const subs = s.anyOf!.map((b, i) => compile(b, `${sp}/anyOf/${i}`));
    const path = `${sp}/anyOf`;
    return (data, cx) => {
      const failures = cx.failures;
      const errors = cx.errors.length;
      for (let i = 0; i < subs.length; i++) {
        if (clean(subs[i], data, cx)) return rollback(cx, failures, errors);
      }
      fail(cx, path, "anyOf");
    };
  },
  oneOf: (s, sp) => {
    const subs = s.oneOf!.map((b, i) => compile(b, `${sp}/oneOf/${i}`));
    const path = `${sp}/oneOf`;
    return (data, cx) => {
      const failures = cx.failures;
      const errors = cx.errors.length;
      let valid = false;
      let passing: number | [number, number] | null = null;
      // Stops at the second passing branch, as Ajv does (the branches after it are not evaluated).
      for (let i = 0; i < subs.length; i++) {
        const ok = clean(subs[i], data, cx);
        if (ok && valid) {
          valid = false;
          passing = [passing as number, i];
          break;
        }
        if (ok) {
          valid = true;
          passing = i;
        }
      }
      if (valid) rollback(cx, failures, errors);
      else if (failed(cx)) report(cx, path, "oneOf", { passingSchemas: passing });
    };
  },
  allOf: (s, sp) => {
    const branches = s.allOf!;
    const checks: (Check | undefined)[] = [];
    for (let i = 0; i < branches.length; i++) {
      // A run of `{if: {properties: {tag: {const: "x"}}}, then: …}` (how the generator writes a tagged union)
      // is dispatched on the tag's value: same verdict and errors, one branch evaluated instead of all.
      const tag = tagOf(branches[i]);
      let end = i;
      while (tag !== undefined && end + 1 < branches.length && tagOf(branches[end + 1]) === tag) end++;
      if (end - i >= 2) {
        checks.push(taggedUnion(tag!, branches.slice(i, end + 1) as SchemaObject[], sp, i));
        i = end;
      } else if (!alwaysValid(branches[i])) {
        checks.push(compile(branches[i], `${sp}/allOf/${i}`));
      }
    }
    return sequence(checks);
  },
  if: (s, sp) => {
    const clause = (k: "then" | "else") => (s[k] === undefined || alwaysValid(s[k]!) ? undefined : compile(s[k]!, `${sp}/${k}`));
    const then = clause("then");
    const otherwise = clause("else");
    if (!then && !otherwise) return undefined;
    const condition = compile(s.if!, `${sp}/if`);
    const path = `${sp}/if`;
    const failingThen = { failingKeyword: "then" };
    const failingElse = { failingKeyword: "else" };
    return (data, cx) => {
      const matched = clean(condition, data, cx, true);
      const sub = matched ? then : otherwise;
      if (sub && !clean(sub, data, cx)) fail(cx, path, "if", matched ? failingThen : failingElse);
    };
  },
};

/** Keywords Ajv applies only to data of one type, by type, in its order. */
const GROUPS: Record<"number" | "string" | "array" | "object", Record<string, Factory>> = {
  number: {
    maximum: limit,
    minimum: limit,
    exclusiveMaximum: limit,
    exclusiveMinimum: limit,
    multipleOf: limit,
    format: formatCheck,
  },
  string: {
    maxLength: limit,
    minLength: limit,
    pattern: (s, sp) => {
      const re = new RegExp(s.pattern!, "u");
      const path = `${sp}/pattern`;
      const params = { pattern: s.pattern };
      return (data, cx) => {
        if (!re.test(data as string)) fail(cx, path, "pattern", params);
      };
    },
    format: formatCheck,
  },
  array: {
    maxItems: limit,
    minItems: limit,
    items: (s, sp) => {
      if (alwaysValid(s.items!)) return undefined;
      const item = compile(s.items!, `${sp}/items`);
      return (data, cx) => {
        const list = data as unknown[];
        const path = cx.segments;
        for (let i = 0; i < list.length; i++) {
          path.push(i);
          item(list[i], cx);
          path.pop();
        }
      };
    },
    uniqueItems: (s, sp) => (s.uniqueItems === true ? uniqueItems(s, sp) : undefined),
    "x-max-total-length": limit,
  },
  object: {
    maxProperties: limit,
    minProperties: limit,
    required: (s, sp) => {
      const required = s.required!;
      const path = `${sp}/required`;
      return (data, cx) => {
        for (let i = 0; i < required.length; i++) {
          if ((data as Keyed)[required[i]] === undefined && failed(cx)) report(cx, path, "required", { missingProperty: required[i] });
        }
      };
    },
    propertyNames: (s, sp) => {
      if (alwaysValid(s.propertyNames!)) return undefined;
      const sub = compile(s.propertyNames!, `${sp}/propertyNames`);
      const path = `${sp}/propertyNames`;
      return (data, cx) => {
        for (const key in data as Keyed) {
          if (!clean(sub, key, cx) && failed(cx)) report(cx, path, "propertyNames", { propertyName: key });
        }
      };
    },
    additionalProperties: (s, sp) => {
      const extra = s.additionalProperties!;
      if (alwaysValid(extra)) return undefined;
      const known = new Set(names(s.properties));
      const patterns = names(s.patternProperties).map((p) => new RegExp(p, "u"));
      const sub = extra === false ? undefined : compile(extra, `${sp}/additionalProperties`);
      const path = `${sp}/additionalProperties`;
      return (data, cx) => {
        for (const key in data as Keyed) {
          if (known.has(key)) continue;
          if (patterns.length && patterns.some((r) => r.test(key))) continue;
          if (sub) at(sub, (data as Keyed)[key], key, cx);
          else if (failed(cx)) report(cx, path, "additionalProperties", { additionalProperty: key });
        }
      };
    },
    properties: (s, sp) => {
      const props = names(s.properties).filter((k) => !alwaysValid(s.properties![k]));
      const subs = props.map((k) => compile(s.properties![k], into(sp, "properties", k)));
      if (!props.length) return undefined;
      return (data, cx) => {
        const path = cx.segments;
        for (let i = 0; i < props.length; i++) {
          const value = (data as Keyed)[props[i]];
          if (value === undefined) continue;
          path.push(props[i]);
          subs[i](value, cx);
          path.pop();
        }
      };
    },
    patternProperties: (s, sp) =>
      sequence(
        names(s.patternProperties).map((p) => {
          const schema = s.patternProperties![p];
          if (alwaysValid(schema)) return undefined;
          const re = new RegExp(p, "u");
          const sub = compile(schema, into(sp, "patternProperties", p));
          return (data, cx) => {
            for (const key in data as Keyed) if (re.test(key)) at(sub, (data as Keyed)[key], key, cx);
          };
        }),
      ),
  },
};
type Group = keyof typeof GROUPS;

/** Keywords that make a schema constrain anything (Ajv's rules); the rest are annotations. */
const RULES = new Set(["type", ...Object.keys(ANY_TYPE), ...Object.values(GROUPS).flatMap(Object.keys)]);

function alwaysValid(schema: Schema): boolean {
  return schema === true || (typeof schema === "object" && !Object.keys(schema).some((k) => RULES.has(k)));
}

/** Ajv's equality for `const`/`enum`: deep for objects, `===` otherwise. */
const same = (data: unknown, value: unknown) => (value !== null && typeof value === "object" ? equal(data, value) : data === value);
const names = (o: object | undefined) => Object.keys(o ?? {}).filter((k) => k !== "__proto__");

function formatCheck(s: SchemaObject & Keyed, sp: string, group: Group): Check | undefined {
  const name = s.format!;
  const format = formats[name];
  // A format checks data of its own type only; one the runtime does not know constrains nothing (the generator
  // refuses unknown formats in specs).
  if (!format || format.type !== group) return undefined;
  const path = `${sp}/format`;
  const params = { format: name };
  return (data, cx) => {
    if (!format.validate(data)) fail(cx, path, "format", params);
  };
}

/** The tag property of `{if: {properties: {<tag>: {const: "<string>"}}}, then: <schema>}`, nothing else in it. */
function tagOf(branch: Schema): string | undefined {
  const only = (o: unknown, keys: string) => typeof o === "object" && o !== null && Object.keys(o).sort().join() === keys;
  if (!only(branch, "if,then") || !only((branch as SchemaObject).if, "properties")) return undefined;
  const properties = ((branch as SchemaObject).if as SchemaObject).properties!;
  const [tag, ...rest] = Object.keys(properties);
  return rest.length === 0 && only(properties[tag], "const") && typeof (properties[tag] as SchemaObject).const === "string" ? tag : undefined;
}

function taggedUnion(tag: string, branches: SchemaObject[], sp: string, first: number): Check {
  const clauses = branches.map((b, k) => {
    const path = `${sp}/allOf/${first + k}`;
    return { check: alwaysValid(b.then!) ? undefined : compile(b.then!, `${path}/then`), path: `${path}/if` };
  });
  const byValue = new Map<unknown, number[]>();
  branches.forEach((b, k) => {
    const value = ((b.if as SchemaObject).properties![tag] as SchemaObject).const;
    byValue.set(value, [...(byValue.get(value) ?? []), k]);
  });
  const failingThen = { failingKeyword: "then" };
  const apply = (k: number, data: unknown, cx: Context) => {
    const { check, path } = clauses[k];
    if (check && !clean(check, data, cx)) fail(cx, path, "if", failingThen);
  };
  return (data, cx) => {
    const value = TYPES.object(data) ? (data as Keyed)[tag] : undefined;
    // Without the tag (or not an object) every condition holds, so every branch applies; with it, at most one.
    if (value === undefined) for (let k = 0; k < clauses.length; k++) apply(k, data, cx);
    else for (const k of byValue.get(value) ?? []) apply(k, data, cx);
  };
}

function uniqueItems(s: SchemaObject, sp: string): Check {
  const item = s.items;
  const types: readonly JsonType[] = typeof item === "object" && item.type !== undefined ? [item.type].flat() : [];
  const path = `${sp}/uniqueItems`;
  // Ajv compares scalars of a declared type by their string key (a lookup table), anything else deeply and
  // pairwise; the two name the duplicate pair differently (the nearest later / earlier one), kept as Ajv has it.
  const scalar = types.length > 0 && !types.some((t) => t === "object" || t === "array");
  const typed = (x: unknown) => types.some((t) => isType(t, x));
  const key = (x: unknown) => String(types.length > 1 && typeof x === "string" ? `${x}_` : x);
  /** The index of another item equal to item `i`, or -1: for scalars the nearest later one, else the nearest earlier. */
  const twin = (list: unknown[], i: number): number => {
    if (!scalar) {
      for (let j = i; j--; ) if (equal(list[i], list[j])) return j;
    } else if (typed(list[i])) {
      for (let j = i + 1; j < list.length; j++) if (typed(list[j]) && key(list[j]) === key(list[i])) return j;
    }
    return -1;
  };
  return (data, cx) => {
    const list = data as unknown[];
    for (let i = list.length; i--; ) {
      const j = twin(list, i);
      if (j < 0) continue;
      if (failed(cx)) report(cx, path, "uniqueItems", { i, j });
      return;
    }
  };
}

function compile(schema: Schema, sp: string): Check {
  if (schema === true) return noop;
  if (schema === false) {
    const path = `${sp}/false schema`;
    return (_data, cx) => fail(cx, path, "false schema");
  }
  const s = schema as SchemaObject & Keyed;
  const present = (k: string) => s[k] !== undefined;
  if (present("$ref") && !Object.keys(s).some((k) => k !== "$ref" && RULES.has(k))) return ANY_TYPE.$ref(s, sp, "object", "$ref")!;

  const types: readonly JsonType[] = s.type === undefined ? [] : [s.type as JsonType | JsonType[]].flat();
  const used = (g: Group) => Object.keys(GROUPS[g]).some(present);
  // Like Ajv: a single type whose keyword group is present is reported inside that group; otherwise up front.
  const late = types.length === 1 && types[0] in GROUPS && used(types[0] as Group) ? types[0] : undefined;
  const typePath = `${sp}/type`;
  const typeParams = { type: s.type };
  const typeError = (cx: Context) => fail(cx, typePath, "type", typeParams);

  const checks: (Check | undefined)[] = [];
  if (types.length > 0 && !late) {
    const tests = types.map((t) => TYPES[t] ?? (() => false));
    const [only] = tests;
    checks.push(
      tests.length === 1
        ? (data, cx) => {
            if (!only(data)) typeError(cx);
          }
        : (data, cx) => {
            if (!tests.some((t) => t(data))) typeError(cx);
          },
    );
  }
  for (const [k, factory] of Object.entries(ANY_TYPE)) if (present(k)) checks.push(factory(s, sp, "object", k));
  for (const [g, keywords] of Object.entries(GROUPS) as [Group, Record<string, Factory>][]) {
    if (!used(g)) continue;
    const inGroup = sequence(Object.entries(keywords).map(([k, factory]) => (present(k) ? factory(s, sp, g, k) : undefined)));
    const test = TYPES[g];
    checks.push(
      late === g
        ? (data, cx) => {
            if (test(data)) inGroup(data, cx);
            else typeError(cx);
          }
        : (data, cx) => {
            if (test(data)) inGroup(data, cx);
          },
    );
  }
  return sequence(checks);
}
