// @ts-check
/**
 * `src/generated/functions.ts`: one standalone function per operation, `upsertProfiles(core, params, options)`,
 * over the engine a vendor's `create<Vendor>Core()` returns (`@activation-kit/<vendor>/standalone`). Each function
 * imports only its own operation entry (and through it, its request schema), so an app that calls one operation
 * bundles that operation and the runtime, not the whole client. Same validation, policy, errors and
 * `.withResponse()` as `client.<tag>.<operationId>()`; the parameter and result types are the client's.
 */
import { docComment, operationDoc, paramsOptional } from "./render-client.mjs";
import { camel, operationsOf, typeNameOf } from "./spec-walk.mjs";

/** @param {Record<string, any>} doc @param {string} slug */
export function renderFunctions(doc, slug) {
  const ops = operationsOf(doc);
  const lines = [];
  const types = [];
  let pages = false;
  for (const o of ops) {
    const id = o.op.operationId;
    const T = typeNameOf(id);
    const optional = paramsOptional(doc, o);
    types.push(`${T}Params`, `${T}Result`);
    lines.push(
      ...docComment(
        [...operationDoc(o), `Standalone form of \`client.${camel(o.op.tags?.[0] ?? "default")}.${id}()\`, for the core client of \`@activation-kit/${slug}/standalone\`.`],
        "",
      ),
      `export function ${id}(core: CoreClient, params${optional ? "?" : ""}: ${T}Params, options?: RequestOptions): ApiPromise<${T}Result> {`,
      `  return core.request(op.${id}, params, options) as ApiPromise<${T}Result>;`,
      `}`,
      ``,
    );
    const pg = o.op["x-pagination"];
    if (pg) {
      pages = true;
      lines.push(
        `/** Every item of \`${id}\` across pages (\`.pages()\` for whole pages). */`,
        `export function ${id}All(core: CoreClient, params${optional ? "?" : ""}: ${T}Params, options?: RequestOptions): PageIterable<PageItem<operations["${id}"], ${JSON.stringify(pg.itemsField)}>, ${T}Result> {`,
        `  return paginate(op.${id}.pagination!, (p) => core.request(op.${id}, p, options), params ?? {}) as PageIterable<never, never>;`,
        `}`,
        ``,
      );
    }
  }
  return [
    `import {`,
    ...(pages ? [`  paginate,`] : []),
    `  type ApiPromise,`,
    `  type CoreClient,`,
    ...(pages ? [`  type PageItem,`, `  type PageIterable,`] : []),
    `  type RequestOptions,`,
    `} from "@activation-kit/core";`,
    `import type { ${types.join(", ")} } from "./client.js";`,
    `import * as op from "./operations.js";`,
    ...(pages ? [`import type { operations } from "./types.js";`] : []),
    ``,
    ...lines,
  ].join("\n");
}
