// @ts-check
/**
 * `src/generated/exports.ts`: everything a user of one vendor package needs, so installing that package is
 * enough (its index re-exports this file with `export *`):
 *  - core's user-facing surface: every error class a call can throw, the client and per-call option types,
 *    the pager type, the rate limiter a caller may share between clients;
 *  - the typed error guard and the per-operation `<OperationId>Params` / `<OperationId>Result` types;
 *  - one named type per schema of the spec (`Profile`, `ProfileUpsert`, …), documented with its description.
 * This list is the one place the surface is written down; a test checks that every error class core exports
 * is reachable from every vendor package.
 */
import { jsDocText, operationsOf, typeNameOf } from "./spec-walk.mjs";

/** Values of @activation-kit/core a vendor package re-exports. */
export const CORE_VALUES = [
  "ActivationKitError",
  "ActivationApiError",
  "BadRequestError",
  "AuthenticationError",
  "PermissionDeniedError",
  "NotFoundError",
  "ConflictError",
  "UnprocessableEntityError",
  "RateLimitError",
  "InternalServerError",
  "ResultCodeError",
  "ConnectionError",
  "TimeoutError",
  "AbortError",
  "CircuitOpenError",
  "RequestValidationError",
  "ConfigurationError",
  "ResponseParseError",
  "ResponseValidationError",
  "RateLimiter",
];

/** Types of @activation-kit/core a vendor package re-exports. */
export const CORE_TYPES = [
  "ClientOptions",
  "RequestOptions",
  "Credential",
  "ValidationIssue",
  "SentRequest",
  "PageIterable",
  "RateLimiterOptions",
  "RetryPolicy",
  "OperationApiError",
  "ApiPromise",
  "WithResponse",
  "Hooks",
  "Logger",
  "LogFunction",
  "LogLevel",
  "ResponseValidationMode",
];

/** What generated client.ts exports besides the per-operation types. */
const CLIENT_EXPORTS = ["isErrorOf", "ParamsOf", "ResultOf", "ErrorBodyOf", "ErrorStatusOf"];

// TypeScript's utility types and the JavaScript / web globals everyone uses: a schema with one of these names
// (`Error`, `Event`) is not exported by that name, because importing it would shadow the built-in in the user's
// module; it stays reachable as `components["schemas"]["<Name>"]`. A fixed list, so the output does not depend
// on the Node version running the generator.
const RESERVED_NAMES = new Set([
  "Error", "Event", "EventTarget", "Date", "Map", "Set", "WeakMap", "WeakSet", "JSON", "Math", "RegExp", "Blob",
  "File", "FormData", "Headers", "Request", "Response", "URL", "URLSearchParams", "AbortSignal", "ReadableStream",
  "Partial", "Required", "Readonly", "Record", "Pick", "Omit", "Exclude", "Extract", "NonNullable", "Parameters",
  "ConstructorParameters", "ReturnType", "InstanceType", "ThisParameterType", "OmitThisParameter", "ThisType",
  "Awaited", "Uppercase", "Lowercase", "Capitalize", "Uncapitalize", "NoInfer", "Array", "Promise", "PromiseLike",
  "Iterable", "AsyncIterable", "Function", "Object", "String", "Number", "Boolean", "Symbol", "BigInt",
]);

/**
 * The re-export of core's user-facing surface, shared by every vendor package's exports.ts and the facade's
 * generated core-surface.ts, so the list exists once.
 */
export function renderCoreSurface() {
  return [`export {`, ...CORE_VALUES.map((n) => `  ${n},`), ...CORE_TYPES.map((n) => `  type ${n},`), `} from "@activation-kit/core";`].join("\n");
}

export function renderExports(doc) {
  const operationTypes = operationsOf(doc).flatMap(({ op }) => [`${typeNameOf(op.operationId)}Params`, `${typeNameOf(op.operationId)}Result`]);
  const taken = new Set([...CORE_VALUES, ...CORE_TYPES, ...CLIENT_EXPORTS, ...operationTypes]);
  const models = [];
  const skipped = [];
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
    // A global (`Error`, `Event`, `Blob` …), a built-in type or a name the package already exports would be
    // shadowed or shadow something; such a schema is reachable as components["schemas"][name].
    if (!/^[A-Z][A-Za-z0-9_]*$/.test(name) || taken.has(name) || RESERVED_NAMES.has(name)) {
      skipped.push(name);
      continue;
    }
    const about = String(schema?.description ?? "").split(/\n\s*\n/)[0].replace(/\s+/g, " ").trim();
    if (about) models.push(`/** ${jsDocText(about)} */`);
    models.push(`export type ${name} = components["schemas"][${JSON.stringify(name)}];`);
  }
  return [
    renderCoreSurface(),
    `export {`,
    ...CLIENT_EXPORTS.map((n) => (n === "isErrorOf" ? `  ${n},` : `  type ${n},`)),
    ...operationTypes.map((n) => `  type ${n},`),
    `} from "./client.js";`,
    `import type { components } from "./types.js";`,
    ``,
    ...(skipped.length
      ? [`// Schemas without a named export here (the name is a global or already taken): ${skipped.join(", ")}.`, `// Use components["schemas"]["<Name>"].`, ``]
      : []),
    ...models,
    ``,
  ].join("\n");
}
