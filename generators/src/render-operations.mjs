// @ts-check
/** The operation table (with each operation's request schema) and spec-level policy, as a typed TS module the runtime reads. */
import { schemaExportNames } from "./render-schemas.mjs";
import { jsDocText, operationsOf, resolveRef } from "./spec-walk.mjs";

const SAFE_METHODS = new Set(["get", "head", "put", "delete", "options"]);
const DEFAULT_POLICY = {
  retry: { maxRetries: 2, initialDelayMs: 500, maxDelayMs: 8000, retryStatuses: [408, 429, 500, 502, 503, 504] },
  neverRetryStatuses: [401, 403],
};

export function renderOperations(slug, doc) {
  const rootSecurity = doc.security ?? [];
  const requestSchemaNames = schemaExportNames(doc).requests;
  const table = {};
  for (const { path, method, op, parameters } of operationsOf(doc)) {
    if (!op.operationId) throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
    if (table[op.operationId]) throw new Error(`Duplicate operationId ${op.operationId}`);
    const body = op.requestBody ? resolveRef(doc, op.requestBody) : undefined;
    const mediaTypes = Object.keys(body?.content ?? {});
    const statuses = Object.keys(op.responses ?? {});
    const success = statuses.filter((s) => /^2/.test(s)).map(Number).filter(Number.isFinite);
    const successContent = success
      .map((s) => resolveRef(doc, op.responses[String(s)]))
      .flatMap((r) => Object.keys(r?.content ?? {}));
    const security = (op.security ?? rootSecurity).flatMap((req) => Object.keys(req));
    const extensions = Object.fromEntries(
      Object.entries(op).filter(
        ([k]) => k.startsWith("x-") && !["x-idempotent", "x-provenance", "x-rate-limit-cost", "x-pagination"].includes(k),
      ),
    );
    const pathParams = parameters
      .filter((p) => p.in === "path")
      .map((p) => ({ name: p.name, ...(p["x-client-config"] ? { clientConfig: p["x-client-config"] } : {}) }));
    // Only what differs from OpenAPI's defaults (style form, explode for form, not JSON): the runtime fills in the rest.
    const queryParams = parameters
      .filter((p) => p.in === "query")
      .map((p) => {
        const style = p.style ?? "form";
        const explode = p.explode ?? style === "form";
        return {
          name: p.name,
          ...(style !== "form" ? { style } : {}),
          ...(explode !== (style === "form") ? { explode } : {}),
          ...(p.content?.["application/json"] ? { json: true } : {}),
        };
      });
    const headerParams = parameters.filter((p) => p.in === "header").map((p) => p.name);
    table[op.operationId] = {
      operationId: op.operationId,
      method,
      path,
      tag: op.tags?.[0] ?? "default",
      summary: op.summary ?? "",
      ...(op.deprecated === true ? { deprecated: true } : {}),
      ...(op["x-provenance"] === "inferred" ? { provenance: "inferred" } : {}),
      idempotent: typeof op["x-idempotent"] === "boolean" ? op["x-idempotent"] : SAFE_METHODS.has(method),
      ...(op["x-rate-limit-cost"] ? { rateLimitCost: op["x-rate-limit-cost"] } : {}),
      ...(op["x-pagination"] ? { pagination: op["x-pagination"] } : {}),
      ...(mediaTypes.length ? { requestMediaType: mediaTypes[0] } : {}),
      ...(mediaTypes.length && body.content[mediaTypes[0]]["x-max-body-bytes"]
        ? { maxBodyBytes: body.content[mediaTypes[0]]["x-max-body-bytes"] }
        : {}),
      parseAs: parseAsFor(successContent),
      successStatuses: success,
      responseMediaTypes: Object.fromEntries(
        success.map((s) => [String(s), Object.keys(resolveRef(doc, op.responses[String(s)])?.content ?? {})]),
      ),
      errorStatuses: statuses.filter((s) => !/^2/.test(s)).map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
      security: [...new Set(security)],
      ...(pathParams.length ? { pathParams } : {}),
      ...(queryParams.length ? { queryParams } : {}),
      ...(headerParams.length ? { headerParams } : {}),
      ...(Object.keys(extensions).length ? { extensions } : {}),
      // Replaced by an identifier below: the request schema constant in schemas.ts.
      requestSchema: `\u0000schemas.${requestSchemaNames.get(op.operationId)}\u0000`,
    };
  }
  const policy = doc["x-runtime-policy"] ?? DEFAULT_POLICY;
  const spec = {
    slug,
    title: doc.info.title,
    version: String(doc.info.version),
    servers: (doc.servers ?? []).map((s) => ({
      url: s.url,
      ...(s.description ? { description: s.description } : {}),
      ...(s.variables ? { variables: s.variables } : {}),
    })),
    securitySchemes: Object.fromEntries(
      Object.entries(doc.components?.securitySchemes ?? {}).map(([name, raw]) => {
        const s = resolveRef(doc, raw);
        return [name, { type: s.type, ...(s.scheme ? { scheme: s.scheme } : {}), ...(s.in ? { in: s.in } : {}), ...(s.name ? { name: s.name } : {}) }];
      }),
    ),
    policy: stripDescriptions(policy),
  };
  const ids = Object.keys(table);
  const reserved = new Set(["apiSpec", "operations", "loadResponseSchemas", "schemas", "OperationId"]);
  for (const id of ids) if (reserved.has(id)) throw new Error(`operationId ${id} collides with a name operations.ts exports`);
  // One constant per operation, so a bundle that calls one standalone function keeps only its entry (and the
  // schemas it references); one line each, so a spec change shows as a one-line diff per operation.
  const entries = ids.map((id) => {
    const op = table[id];
    const text = JSON.stringify(op).replace(/"\\u0000(schemas\.[\w$]+)\\u0000"/g, "$1");
    return [`/** ${jsDocText(op.summary)}: \`${op.method.toUpperCase()} ${op.path}\` */`, `export const ${id}: OperationSpec = ${text};`].join("\n");
  });
  return [
    `import type { ApiSpec, OperationSpec, ResponseSchemas } from "@activation-kit/core";`,
    `import * as schemas from "./schemas.js";`,
    ``,
    `/** The spec's identity, servers, security schemes and runtime policy (\`x-runtime-policy\`). */`,
    `export const apiSpec: ApiSpec = ${JSON.stringify(spec, null, 2)};`,
    ``,
    ...entries.flatMap((e) => [e, ``]),
    `export type OperationId = ${ids.map((id) => JSON.stringify(id)).join(" | ") || "never"};`,
    ``,
    `/** Every operation by name: method, path, tag and the policy the runtime applies to it. */`,
    `export const operations: { readonly [K in OperationId]: OperationSpec } = {`,
    ...ids.map((id) => `  ${id},`),
    `};`,
    ``,
    `/** The documented success-response schemas, imported only when a client validates responses. */`,
    `export const loadResponseSchemas = (): Promise<ResponseSchemas> =>`,
    `  import("./response-schemas.js").then((m) => m.responseSchemas);`,
    ``,
  ].join("\n");
}

function parseAsFor(contentTypes) {
  if (contentTypes.length === 0) return "json";
  if (contentTypes.some((c) => /json/.test(c))) return "json";
  if (contentTypes.some((c) => /^text\//.test(c))) return "text";
  return "blob";
}

function stripDescriptions(policy) {
  return JSON.parse(JSON.stringify(policy, (k, v) => (k === "description" ? undefined : v)));
}
