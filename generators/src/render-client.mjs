// @ts-check
/**
 * Typed operation functions grouped by tag: `client.<tag>.<operationId>(params, options)` resolves to the
 * success body and throws typed errors; paged operations also get `<operationId>All()` iterators.
 *
 * Each operation also gets named types, `<OperationId>Params` and `<OperationId>Result`, carrying the
 * operation's documentation, and the signatures use them, so a hover at the call site reads
 * `upsertProfiles(params: UpsertProfilesParams, …): Promise<UpsertProfilesResult>` rather than a type
 * computation. `ParamsOf<"id">` / `ResultOf<"id">` stay exported (they are what the named types are made of).
 * `isErrorOf` is core's error-body guard typed with this spec's operations.
 */
import { camel, jsDocText, operationsOf, resolveRef, typeNameOf } from "./spec-walk.mjs";

export function renderClient(doc) {
  const ops = operationsOf(doc);
  const filled = new Set();
  for (const { parameters } of ops) for (const p of parameters) if (p["x-client-config"]) filled.add(p.name);
  const tags = new Map();
  for (const o of ops) {
    const tag = o.op.tags?.[0] ?? "default";
    if (!tags.has(tag)) tags.set(tag, []);
    tags.get(tag).push(o);
  }
  const keys = new Map();
  for (const tag of tags.keys()) {
    const key = camel(tag);
    if (keys.has(key)) throw new Error(`Tags "${keys.get(key)}" and "${tag}" both become client.${key}: rename one in the spec`);
    keys.set(key, tag);
  }
  const tagDescriptions = Object.fromEntries((doc.tags ?? []).map((t) => [t.name, t.description]));
  const filledType = filled.size ? [...filled].sort().map((n) => JSON.stringify(n)).join(" | ") : "never";

  const named = [];
  const iface = [];
  const impl = [];
  const optionality = [];
  for (const [tag, list] of tags) {
    const key = camel(tag);
    iface.push(`  /** ${jsDocText(tag)}${tagDescriptions[tag] ? `: ${jsDocText(tagDescriptions[tag])}` : ""} */`);
    iface.push(`  ${key}: {`);
    impl.push(`    ${key}: {`);
    for (const o of list) {
      const { op } = o;
      const id = op.operationId;
      const T = typeNameOf(id);
      const about = operationDoc(o);
      const optional = paramsOptional(doc, o);
      optionality.push(`  ${id}: ${optional};`);
      named.push(
        ...docComment([`Parameters of \`client.${key}.${id}()\`: ${about[0]}`, ...about.slice(1)], ""),
        `export type ${T}Params = ParamsOf<"${id}">;`,
        ...docComment([`What \`client.${key}.${id}()\` resolves to: ${about[0]}`, ...about.slice(1)], ""),
        `export type ${T}Result = ResultOf<"${id}">;`,
        ``,
      );
      iface.push(...docComment(about, "    "));
      iface.push(`    ${id}(params${optional ? "?" : ""}: ${T}Params, options?: RequestOptions): ApiPromise<${T}Result>;`);
      impl.push(`      ${id}: (...args: unknown[]) => call("${id}", args),`);
      const pg = op["x-pagination"];
      if (pg) {
        iface.push(`    /** Iterates every item of \`${id}\` across pages (\`.pages()\` for whole pages). */`);
        iface.push(
          `    ${id}All(params${optional ? "?" : ""}: ${T}Params, options?: RequestOptions): PageIterable<PageItem<operations["${id}"], ${JSON.stringify(pg.itemsField)}>, ${T}Result>;`,
        );
        impl.push(`      ${id}All: (...args: unknown[]) => pages("${id}", args),`);
      }
    }
    iface.push(`  };`);
    impl.push(`    },`);
  }

  return [
    `import {`,
    `  createErrorGuard,`,
    `  type ApiPromise,`,
    `  type CallParams,`,
    `  type ErrorGuard,`,
    `  type OperationErrorBody,`,
    `  type OperationErrorStatus,`,
    `  type OperationParams,`,
    `  type OperationResult,`,
    `  type PageItem,`,
    `  type PageIterable,`,
    `  type ParamsOptional,`,
    `  type RequestOptions,`,
    `  type Runtime,`,
    `} from "@activation-kit/core";`,
    `import { operations as operationTable } from "./operations.js";`,
    `import type { operations, paths } from "./types.js";`,
    ``,
    `/** Path parameters the client fills from its configuration (\`x-client-config\`), optional at call sites. */`,
    `export type ClientFilledParam = ${filledType};`,
    `/** Parameters of an operation by id: \`{path, query, header, body}\` as it needs them. */`,
    `export type ParamsOf<K extends keyof operations> = OperationParams<operations[K], ClientFilledParam>;`,
    `/** What an operation resolves to, by id. */`,
    `export type ResultOf<K extends keyof operations> = OperationResult<operations[K]>;`,
    `/** The HTTP error statuses an operation documents, by id (\`400 | 401 | …\`). */`,
    `export type ErrorStatusOf<K extends keyof operations> = OperationErrorStatus<operations[K]>;`,
    `/** The documented error body of an operation, for one status or (without \`S\`) any documented one. */`,
    `export type ErrorBodyOf<K extends keyof operations, S extends ErrorStatusOf<K> = ErrorStatusOf<K>> = OperationErrorBody<operations[K], S>;`,
    ``,
    `/**`,
    ` * Narrows a caught error to the \`ActivationApiError\` of one operation, typed with the body the spec`,
    ` * documents: \`isErrorOf(err, "${ops[0]?.op.operationId ?? "operationId"}")\` (a union by \`status\`) or with a status,`,
    ` * \`isErrorOf(err, "${ops[0]?.op.operationId ?? "operationId"}", 400)\`. False for other operations and for statuses the spec does not document.`,
    ` */`,
    `export const isErrorOf: ErrorGuard<operations> = createErrorGuard<operations>(operationTable);`,
    ``,
    ...named,
    `/** Every operation of the spec by name, grouped by tag. */`,
    `export interface ApiOperations {`,
    ...iface,
    `}`,
    ``,
    `// Compile-time check: \`params\` is optional in a signature above exactly when no member of it is required.`,
    `type ParamsOptionalCheck<T extends { [K in keyof operations]: ParamsOptional<ParamsOf<K>> }> = T;`,
    `type ParamsOptionality = ParamsOptionalCheck<{`,
    ...optionality,
    `}>;`,
    ``,
    `/** Binds the operation functions to a runtime (see @activation-kit/core createRuntime). */`,
    `export function bindOperations(runtime: Runtime<paths>): ApiOperations {`,
    `  const call = (id: string, args: unknown[]) =>`,
    `    runtime.call(id, args[0] as CallParams | undefined, args[1] as RequestOptions | undefined) as ApiPromise<never>;`,
    `  const pages = (id: string, args: unknown[]) =>`,
    `    runtime.paginate(id, args[0] as CallParams | undefined, args[1] as RequestOptions | undefined) as PageIterable<never, never>;`,
    `  return {`,
    ...impl,
    `  };`,
    `}`,
    ``,
  ].join("\n");
}

/** Summary, the description's first paragraph, method and path, deprecation: one entry per paragraph. */
export function operationDoc({ path, method, op }) {
  const first = String(op.description ?? "").split(/\n\s*\n/)[0].replace(/\s+/g, " ").trim();
  const summary = String(op.summary ?? op.operationId).trim();
  return [
    summary,
    ...(first && first !== summary ? [first] : []),
    `\`${method.toUpperCase()} ${path}\`${op["x-provenance"] === "inferred" ? " (path inferred, not in the vendor's documentation)" : ""}`,
    ...(op.deprecated ? ["@deprecated The vendor deprecated this operation."] : []),
  ];
}

/** A JSDoc block, paragraphs separated by a blank line. */
export function docComment(paragraphs, indent) {
  const lines = [`${indent}/**`];
  paragraphs.forEach((p, i) => {
    if (i > 0) lines.push(`${indent} *`);
    lines.push(`${indent} * ${jsDocText(p).replace(/\s*\n\s*/g, " ")}`);
  });
  lines.push(`${indent} */`);
  return lines;
}

/** True when a call may leave `params` out: no required parameter (besides client-filled ones) and no required body. */
export function paramsOptional(doc, { parameters, op }) {
  if (parameters.some((p) => (p.required || p.in === "path") && !p["x-client-config"])) return false;
  const body = op.requestBody ? resolveRef(doc, op.requestBody) : undefined;
  return !body?.required;
}
