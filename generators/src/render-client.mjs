// @ts-check
/**
 * Typed operation functions grouped by tag: `client.<tag>.<operationId>(params, options)` resolves to the
 * success body and throws typed errors; paged operations also get `<operationId>All()` iterators.
 */
import { camel, jsDocText, operationsOf } from "./spec-walk.mjs";

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
  const tagDescriptions = Object.fromEntries((doc.tags ?? []).map((t) => [t.name, t.description]));
  const filledType = filled.size ? [...filled].sort().map((n) => JSON.stringify(n)).join(" | ") : "never";

  const iface = [];
  const impl = [];
  for (const [tag, list] of tags) {
    const key = camel(tag);
    iface.push(`  /** ${jsDocText(tag)}${tagDescriptions[tag] ? `: ${jsDocText(tagDescriptions[tag])}` : ""} */`);
    iface.push(`  ${key}: {`);
    impl.push(`    ${key}: {`);
    for (const { path, method, op } of list) {
      const id = op.operationId;
      const doc = [
        `    /**`,
        `     * ${jsDocText(op.summary)}`,
        `     *`,
        `     * \`${method.toUpperCase()} ${path}\`${op["x-provenance"] === "inferred" ? " (path inferred, not in the vendor's documentation)" : ""}`,
        ...(op.deprecated ? [`     * @deprecated The vendor deprecated this operation.`] : []),
        `     */`,
      ];
      iface.push(...doc);
      iface.push(`    ${id}(...args: Args<"${id}">): ApiPromise<ResultOf<"${id}">>;`);
      impl.push(`      ${id}: (...args: unknown[]) => call("${id}", args),`);
      const pg = op["x-pagination"];
      if (pg) {
        iface.push(`    /** Iterates every item of \`${id}\` across pages (\`.pages()\` for whole pages). */`);
        iface.push(
          `    ${id}All(...args: Args<"${id}">): PageIterable<PageItem<operations["${id}"], ${JSON.stringify(pg.itemsField)}>, ResultOf<"${id}">>;`,
        );
        impl.push(`      ${id}All: (...args: unknown[]) => pages("${id}", args),`);
      }
    }
    iface.push(`  };`);
    impl.push(`    },`);
  }

  return [
    `import type {`,
    `  ApiPromise,`,
    `  CallParams,`,
    `  OperationParams,`,
    `  OperationResult,`,
    `  PageItem,`,
    `  PageIterable,`,
    `  ParamsOptional,`,
    `  RequestOptions,`,
    `  Runtime,`,
    `} from "@activation-kit/core";`,
    `import type { operations, paths } from "./types.js";`,
    ``,
    `/** Path parameters the client fills from its configuration (\`x-client-config\`), optional at call sites. */`,
    `export type ClientFilledParam = ${filledType};`,
    `export type ParamsOf<K extends keyof operations> = OperationParams<operations[K], ClientFilledParam>;`,
    `export type ResultOf<K extends keyof operations> = OperationResult<operations[K]>;`,
    `type Args<K extends keyof operations> = ParamsOptional<ParamsOf<K>> extends true`,
    `  ? [params?: ParamsOf<K>, options?: RequestOptions]`,
    `  : [params: ParamsOf<K>, options?: RequestOptions];`,
    ``,
    `/** Every operation of the spec by name, grouped by tag. */`,
    `export interface ApiOperations {`,
    ...iface,
    `}`,
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
