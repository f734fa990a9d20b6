/**
 * Turns the generated validators' Ajv errors into `RequestValidationError` issues that name the field in
 * call terms (`body.profiles[0].profile.phoneNumber`) and the rule (`pattern ^\+[0-9]+$`).
 */
import { RequestValidationError, type ValidationIssue } from "./errors.js";
import type { AjvLikeError, CompiledValidator } from "./operation.js";

export interface RequestParts {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  header?: Record<string, unknown>;
  body?: unknown;
}

export function validateRequest(
  operationId: string,
  validate: CompiledValidator | undefined,
  parts: RequestParts,
  maxBodyBytes?: number,
): void {
  if (maxBodyBytes !== undefined && parts.body !== undefined) {
    const bytes = new TextEncoder().encode(JSON.stringify(parts.body)).byteLength;
    if (bytes > maxBodyBytes) {
      throw new RequestValidationError(operationId, [
        { field: "body", rule: `maxBodyBytes ${maxBodyBytes}`, message: `is ${bytes} bytes as JSON; the limit is ${maxBodyBytes}` },
      ]);
    }
  }
  if (!validate) return;
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
  if (validate(data)) return;
  throw new RequestValidationError(operationId, issuesFrom(validate.errors ?? []));
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
  let message = e.message ?? e.keyword;
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
      message = e.message ?? "breaks a conditional rule";
      break;
    default:
      break;
  }
  return { field: field || "(request)", rule, message };
}

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
