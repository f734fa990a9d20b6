/**
 * Request and response validation against the schemas each vendor package generates (`src/generated/schemas.ts`,
 * `src/generated/response-schemas.ts`), turned into issues that name the field in call terms
 * (`body.profiles[0].profile.phoneNumber`) and the rule (`pattern ^\+[0-9]+$`).
 *
 * The contract with the runtime and the generated packages:
 *
 * - Every generated `OperationSpec` carries `requestSchema`: one schema over the call's parts
 *   `{path?, query?, header?, body?}` (unknown parameters are refused; a part is required when the spec requires
 *   one of its members or the body), referencing shared component schemas by identity, so a bundler keeps only
 *   the components the operations in use reach.
 * - `validateRequest(op, parts)` is called once per call, before anything is sent (runtime.ts `prepare()`). It
 *   checks `op.maxBodyBytes` (the JSON body's UTF-8 size) and then `op.requestSchema`, and throws
 *   `RequestValidationError` listing every issue; it returns nothing when the request is valid.
 * - Response schemas are not in the static import graph: `GeneratedApi.loadResponseSchemas?: () =>
 *   Promise<ResponseSchemas>` (generated as `loadResponseSchemas` in operations.ts, a dynamic `import()` of
 *   response-schemas.ts) is called only when a client validates responses. `responseSchemasFor(api)` calls it once
 *   per api and caches the promise (a rejected load is not cached, so a later call tries again).
 * - `validateResponse(op, status, body, schemas)` returns the issues of a success response's parsed body
 *   against the documented schema for that status (`"200"`, else the `"2XX"` range), fields prefixed `body`, or
 *   one `status` issue when the operation documents other success statuses only. An empty list means valid, or
 *   nothing documented to check against (no JSON body for that status). It never throws on bad data.
 */
import { RequestValidationError, type ValidationIssue } from "./errors.js";
import type { AjvLikeError, OperationSpec } from "./operation.js";
import { schemaErrors, type Schema } from "./validator.js";

export { schemaErrors, type JsonType, type Schema, type SchemaObject } from "./validator.js";

export interface RequestParts {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  header?: Record<string, unknown>;
  body?: unknown;
}

/** Success-response schemas by operationId, then by status (`"200"`, `"201"`, `"2XX"`). */
export type ResponseSchemas = Readonly<Record<string, Readonly<Record<string, Schema>>>>;

export function validateRequest(
  op: Pick<OperationSpec, "operationId" | "maxBodyBytes" | "requestSchema">,
  parts: RequestParts,
): void {
  const { operationId, maxBodyBytes, requestSchema } = op;
  if (maxBodyBytes !== undefined && parts.body !== undefined) {
    const bytes = new TextEncoder().encode(JSON.stringify(parts.body)).byteLength;
    if (bytes > maxBodyBytes) {
      throw new RequestValidationError(operationId, [
        { field: "body", rule: `maxBodyBytes ${maxBodyBytes}`, message: `is ${bytes} bytes as JSON; the limit is ${maxBodyBytes}` },
      ]);
    }
  }
  if (requestSchema === undefined) return;
  const data: Record<string, unknown> = {};
  // Undefined members are left out, as they would be on the wire.
  for (const key of ["path", "query", "header"] as const) {
    const v = parts[key];
    if (v && typeof v === "object") {
      const present = dropUndefined(v);
      if (Object.keys(present).length > 0) data[key] = present;
    }
  }
  if (parts.body !== undefined) data.body = parts.body;
  const errors = schemaErrors(requestSchema, data);
  if (errors.length > 0) throw new RequestValidationError(operationId, issuesFrom(errors));
}

export function validateResponse(
  op: Pick<OperationSpec, "operationId" | "successStatuses">,
  status: number,
  body: unknown,
  schemas: ResponseSchemas | undefined,
): ValidationIssue[] {
  const documented = schemas?.[op.operationId] ?? {};
  const schema = documented[String(status)] ?? documented[`${String(status)[0]}XX`];
  if (schema === undefined) {
    const known = op.successStatuses;
    const inRange = Object.keys(documented).some((s) => s === `${String(status)[0]}XX`);
    if (status >= 200 && status < 300 && known.length > 0 && !known.includes(status) && !inRange) {
      return [{ field: "status", rule: `status ${known.join(" | ")}`, message: `${status} is not a documented success status` }];
    }
    return [];
  }
  return issuesFrom(schemaErrors(schema, body, ["body"])).map((issue) =>
    issue.rule === "additionalProperties false" ? { ...issue, message: "is not a documented field of this response" } : issue,
  );
}

const loadedResponseSchemas = new WeakMap<object, Promise<ResponseSchemas | undefined>>();

/** The api's response schemas, loaded on first use (one dynamic import per api); undefined when it has none. */
export function responseSchemasFor(api: { loadResponseSchemas?: () => Promise<ResponseSchemas> }): Promise<ResponseSchemas | undefined> {
  let loading = loadedResponseSchemas.get(api);
  if (!loading) {
    loading = api.loadResponseSchemas ? api.loadResponseSchemas() : Promise.resolve(undefined);
    loading.catch(() => loadedResponseSchemas.delete(api));
    loadedResponseSchemas.set(api, loading);
  }
  return loading;
}

function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

export function issuesFrom(errors: AjvLikeError[]): ValidationIssue[] {
  // A union (anyOf/oneOf) reports one error per failed branch plus its own; callers want one line that says
  // which alternatives exist, so branch errors under a failed union are folded into it.
  const unions = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf");
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const union = unions.find((u) => u !== e && isBranchOf(e, u));
    if (union) continue;
    // `if/then` adds its own "must match then" error beside the real ones from `then`: keep only the real ones.
    if (e.keyword === "if" && errors.some((o) => o !== e && o.keyword !== "if" && o.instancePath.startsWith(e.instancePath))) continue;
    let issue: ValidationIssue;
    if (e.keyword === "anyOf" || e.keyword === "oneOf") {
      issue = unionIssue(e, errors);
    } else {
      issue = plainIssue(e);
    }
    const key = `${issue.field}|${issue.rule}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

function isBranchOf(e: AjvLikeError, union: AjvLikeError): boolean {
  const base = union.schemaPath.replace(/\/(anyOf|oneOf)$/, "");
  return (
    e.schemaPath.startsWith(`${base}/${union.keyword}/`) &&
    (e.instancePath === union.instancePath || e.instancePath.startsWith(`${union.instancePath}/`))
  );
}

function unionIssue(u: AjvLikeError, all: AjvLikeError[]): ValidationIssue {
  const field = fieldName(u.instancePath);
  if (u.keyword === "oneOf" && u.params.passingSchemas) {
    return { field, rule: "oneOf", message: "matches more than one of the allowed shapes" };
  }
  const branches = all.filter((e) => e !== u && isBranchOf(e, u));
  const requiredOnly = branches.length > 0 && branches.every((b) => b.keyword === "required" && b.instancePath === u.instancePath);
  if (requiredOnly) {
    const names = branches.map((b) => String(b.params.missingProperty));
    return {
      field,
      rule: `${u.keyword} required ${names.join(" | ")}`,
      message: `needs at least one of: ${names.join(", ")}`,
    };
  }
  // Name the branch that came closest (fewest errors) so the message points at the real mistake.
  const byBranch = new Map<string, AjvLikeError[]>();
  const base = u.schemaPath.replace(/\/(anyOf|oneOf)$/, "");
  for (const b of branches) {
    const idx = b.schemaPath.slice(base.length).split("/")[2];
    byBranch.set(idx, [...(byBranch.get(idx) ?? []), b]);
  }
  const closest = [...byBranch.values()].sort((a, b) => a.length - b.length)[0] ?? [];
  const detail = closest.map((b) => `${fieldName(b.instancePath) || field}: ${plainIssue(b).message}`).join("; ");
  return {
    field,
    rule: u.keyword,
    message: `matches none of the allowed shapes${detail ? ` (closest: ${detail})` : ""}`,
  };
}

function plainIssue(e: AjvLikeError): ValidationIssue {
  const p = e.params;
  let field = fieldName(e.instancePath);
  let rule = e.keyword;
  let message = e.message ?? ajvMessage(e);
  switch (e.keyword) {
    case "required":
      field = joinField(field, String(p.missingProperty));
      rule = "required";
      message = "is required";
      break;
    case "additionalProperties":
      field = joinField(field, String(p.additionalProperty));
      rule = "additionalProperties false";
      message = "is not a known field here (unknown fields are rejected, not dropped)";
      break;
    case "enum":
      rule = `enum ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(" | ")}`;
      message = `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
      break;
    case "const":
      rule = `const ${JSON.stringify(p.allowedValue)}`;
      message = `must be ${JSON.stringify(p.allowedValue)}`;
      break;
    case "pattern":
      rule = `pattern ${String(p.pattern)}`;
      message = `must match ${String(p.pattern)}`;
      break;
    case "format":
      rule = `format ${String(p.format)}`;
      message = `must be a valid ${String(p.format)}`;
      break;
    case "type":
      rule = `type ${String(p.type)}`;
      message = `must be ${String(p.type)}`;
      break;
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
    case "minLength":
    case "maxLength":
    case "minItems":
    case "maxItems":
    case "minProperties":
    case "maxProperties":
      rule = `${e.keyword} ${String(p.limit)}`;
      break;
    case "x-max-total-length":
      rule = `maxTotalLength ${String(p.limit)}`;
      message = `must have at most ${String(p.limit)} characters in total`;
      break;
    case "propertyNames":
      field = joinField(field, String(p.propertyName));
      rule = "propertyNames";
      message = "is not an allowed property name";
      break;
    case "if":
      rule = `if/then`;
      break;
    default:
      break;
  }
  return { field: field || "(request)", rule, message };
}

/** Ajv's wording for the rules whose message is shown as Ajv gives it (the validator reports params only). */
function ajvMessage({ keyword, params: p }: AjvLikeError): string {
  if (keyword in LIMIT_NOUNS) return `must NOT have ${keyword.startsWith("max") ? "more" : "fewer"} than ${p.limit} ${LIMIT_NOUNS[keyword]}`;
  switch (keyword) {
    case "maximum":
    case "minimum":
    case "exclusiveMaximum":
    case "exclusiveMinimum":
      return `must be ${p.comparison} ${p.limit}`;
    case "multipleOf":
      return `must be multiple of ${p.multipleOf}`;
    case "uniqueItems":
      return `must NOT have duplicate items (items ## ${p.j} and ${p.i} are identical)`;
    case "not":
      return "must NOT be valid";
    case "if":
      return `must match "${p.failingKeyword}" schema`;
    case "false schema":
      return "boolean schema is false";
    default:
      return keyword;
  }
}

const LIMIT_NOUNS: Record<string, string> = {
  maxLength: "characters",
  minLength: "characters",
  maxItems: "items",
  minItems: "items",
  maxProperties: "properties",
  minProperties: "properties",
};

function joinField(base: string, key: string): string {
  if (!base) return key;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

/** `/body/profiles/0/profile/phoneNumber` → `body.profiles[0].profile.phoneNumber`. */
export function fieldName(instancePath: string): string {
  if (!instancePath) return "";
  let out = "";
  for (const raw of instancePath.slice(1).split("/")) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else out = joinField(out, seg);
  }
  return out;
}
