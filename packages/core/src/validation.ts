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
 *   the components the operations in use reach. Generated ones are `LazySchema`s (`lazySchema(jsonText, refs)`):
 *   JSON text parsed the first time a call validates against it, so importing a package does not build them all.
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
import type { OperationSpec } from "./operation.js";
import { fieldOf, schemaErrors, type Schema } from "./validator.js";

export { lazySchema, schemaErrors, type JsonType, type LazySchema, type Schema, type SchemaObject } from "./validator.js";

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
  const { maxBodyBytes: limit, requestSchema } = op;
  let issues: ValidationIssue[] = [];
  if (limit !== undefined && parts.body !== undefined) {
    const bytes = new TextEncoder().encode(JSON.stringify(parts.body)).byteLength;
    if (bytes > limit) issues = [{ field: "body", rule: `maxBodyBytes ${limit}`, message: `is ${bytes} bytes as JSON; the limit is ${limit}` }];
  }
  if (requestSchema !== undefined && !issues.length) {
    const data: Record<string, unknown> = {};
    // Undefined members are left out, as they would be on the wire.
    for (const key of ["path", "query", "header"] as const) {
      const part = parts[key];
      if (part && typeof part === "object") {
        const present: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(part)) if (v !== undefined) present[k] = v;
        if (Object.keys(present).length) data[key] = present;
      }
    }
    if (parts.body !== undefined) data.body = parts.body;
    issues = schemaErrors(requestSchema, data);
  }
  if (issues.length) throw new RequestValidationError(op.operationId, issues);
}

export function validateResponse(
  op: Pick<OperationSpec, "operationId" | "successStatuses">,
  status: number,
  body: unknown,
  schemas: ResponseSchemas | undefined,
): ValidationIssue[] {
  const documented = schemas?.[op.operationId] ?? {};
  const range = `${String(status)[0]}XX`;
  const schema = documented[status] ?? documented[range];
  if (schema === undefined) {
    const known = op.successStatuses;
    return status >= 200 && status < 300 && known.length && !known.includes(status) && !(range in documented)
      ? [{ field: "status", rule: `status ${known.join(" | ")}`, message: `${status} is not a documented success status` }]
      : [];
  }
  return schemaErrors(schema, body, ["body"]).map((issue) =>
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

/** A JSON pointer in call terms: `/body/profiles/0/profile/phoneNumber` → `body.profiles[0].profile.phoneNumber`. */
export function fieldName(instancePath: string): string {
  return fieldOf(instancePath ? instancePath.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~")) : []);
}
