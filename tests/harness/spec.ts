/**
 * Reads a bundled spec (packages/<slug>/openapi.json) for the tests: every operation, a request built from its
 * examples alone, and Ajv validators of its responses (so a response is checked against the spec here too).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { repoRoot } from "./global-setup.js";

const METHODS = ["get", "put", "post", "delete", "patch"] as const;
type Json = Record<string, any>;

export interface SpecOperation {
  operationId: string;
  method: string;
  path: string;
  tag: string;
  successStatuses: number[];
  errorStatuses: number[];
  op: Json;
  parameters: Json[];
}

export function loadSpec(slug: string) {
  const doc = JSON.parse(readFileSync(join(repoRoot, "packages", slug, "openapi.json"), "utf8")) as Json;
  const resolve = (node: Json): Json => {
    let cur = node;
    while (cur && typeof cur.$ref === "string") {
      cur = cur.$ref
        .slice(2)
        .split("/")
        .map((s: string) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
        .reduce((o: Json, k: string) => o?.[k], doc);
    }
    return cur;
  };
  const operations: SpecOperation[] = [];
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(resolve);
      const statuses = Object.keys(op.responses);
      operations.push({
        operationId: op.operationId,
        method,
        path,
        tag: op.tags[0],
        successStatuses: statuses.filter((s) => s.startsWith("2")).map(Number),
        errorStatuses: statuses.filter((s) => /^[45]\d\d$/.test(s)).map(Number),
        op,
        parameters,
      });
    }
  }

  const ajv = new Ajv2020.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: "spec.json", components: { schemas: doc.components?.schemas ?? {} } });
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (!node || typeof node !== "object") return node;
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [k, k === "$ref" && typeof v === "string" && v.startsWith("#/") ? `spec.json${v}` : rewrite(v)]),
    );
  };

  /** Checks a response body against the schema the spec declares for that status; returns Ajv's errors. */
  function checkResponse(o: SpecOperation, status: number, body: unknown): string[] {
    const response = resolve(o.op.responses[String(status)] ?? {});
    const media = Object.values<Json>(response.content ?? {})[0];
    if (!media?.schema) return body === undefined || body === null || body === "" ? [] : [`status ${status} declares no body`];
    const validate = ajv.compile(rewrite(media.schema) as object);
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  }

  /** A by-name call's params built only from the spec's examples (required parameters and the body). */
  function exampleParams(o: SpecOperation): Json {
    const params: Json = {};
    for (const p of o.parameters) {
      if (!p.required) continue;
      if (p.in === "header" && ["content-type", "accept", "authorization"].includes(p.name.toLowerCase())) continue;
      const schema = p.schema ?? p.content?.["application/json"]?.schema ?? {};
      const value = p.example ?? Object.values<Json>(p.examples ?? {})[0]?.value ?? schema.example ?? schema.examples?.[0] ?? schema.default ?? schema.enum?.[0];
      if (value === undefined) throw new Error(`${o.operationId}: required ${p.in} parameter ${p.name} has no example`);
      (params[p.in] ??= {})[p.name] = value;
    }
    if (o.op.requestBody) {
      const body = resolve(o.op.requestBody);
      const media = Object.values<Json>(body.content)[0];
      const example = media.example ?? Object.values<Json>(media.examples ?? {}).map((e) => resolve(e))[0]?.value;
      if (example === undefined && body.required) throw new Error(`${o.operationId}: request body has no example`);
      if (example !== undefined) params.body = example;
    }
    return params;
  }

  return { doc, operations, checkResponse, exampleParams };
}

// The client's tag names come from the generator's rule, so the tests find `client.<tag>` exactly as generated.
export { camel } from "../../generators/src/spec-walk.mjs";
