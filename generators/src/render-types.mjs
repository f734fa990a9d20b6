// @ts-check
/**
 * Types through openapi-typescript's Node API, from a copy of the spec rewritten so that the types say what the
 * validators enforce. openapi-typescript (7.x) is exact for most of JSON Schema but gets a few constructs wrong,
 * and each one below is corrected for any spec, not for one schema:
 *
 * 1. `anyOf` beside other keywords becomes `core | branch | branch` (JSON Schema means `core & (branch | …)`),
 *    and a branch that only lists `required` keys (an either/or rule such as "email or phoneNumber") becomes
 *    `unknown`, so the whole type collapsed to `unknown`. Here each branch is completed from its parent (the
 *    parent's `type`, and the parent's schema of every key the branch requires) and `anyOf` moves under `allOf`,
 *    which openapi-typescript renders as an intersection: `{email?: string; …} & ({email: string} | {phoneNumber:
 *    string})`. `oneOf` is already intersected with its parent; its branches are completed the same way.
 * 2. `{type: object}` with nothing else (any object) became `Record<string, never>` (only `{}`); it becomes
 *    `{[key: string]: unknown}`. A closed empty object (`additionalProperties: false`) stays `Record<string, never>`.
 * 3. A property with a `default` became required (openapi-typescript's `defaultNonNullable`), so callers had to
 *    send what the vendor fills in for them; `defaultNonNullable: false` keeps it optional.
 * 4. A parameter serialised as JSON (`content: {application/json: {schema}}`) became `string`; it gets its
 *    schema's type (the runtime JSON-encodes it).
 * 5. `format: binary` (a file part of a multipart body) became `string`; it is `Blob | string`, what the runtime
 *    accepts for a file part.
 *
 * Open objects. The validators accept keys a schema does not list (the spec is open where the vendor's
 * documentation is silent) and send them as they are. Where the documentation is silent (the schema has no
 * `additionalProperties`), the types list the known keys only: no `[key: string]: unknown` index signature,
 * because such a signature turns off TypeScript's excess-property check and a misspelt field (`firstNmae`) would
 * compile and reach the vendor. This is the Stripe / OpenAI (Stainless) SDK policy: request and response types are
 * closed interfaces of the documented fields, and the escape hatch for a field the spec does not list is the one
 * those SDKs document: build the object in a variable first (the excess-property check only applies to object
 * literals written in place) or put `// @ts-expect-error` on the line; the client validates and sends it
 * unchanged. Where the spec says other keys are expected (`additionalProperties: true` or a schema beside its
 * properties: a documented partial list, such as Contacthub's extended-property definitions, which take any JSON
 * Schema keyword), the index signature stays, so the vendor's own samples compile. Objects with no declared
 * properties (free-form maps, "key-value map" in the docs) keep their index signature too: there is no field to
 * misspell, and a typed map (`additionalProperties: {type: string}`) keeps its value type.
 */
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";

/** @typedef {Record<string, any>} Json */

/**
 * The TypeScript types of a bundled spec (`paths`, `components`, `operations`).
 * @param {Json} doc
 * @returns {Promise<string>}
 */
export async function renderTypes(doc) {
  const prepared = prepareForTypes(structuredClone(doc));
  const ast = await openapiTS(/** @type {import("openapi-typescript").OpenAPI3} */ (prepared), {
    alphabetize: false,
    exportType: false,
    silent: true,
    defaultNonNullable: false,
    transform(schema) {
      if (schema.format === "binary" && typeIncludes(schema, "string")) {
        return ts.factory.createUnionTypeNode([
          ts.factory.createTypeReferenceNode("Blob"),
          ts.factory.createKeywordTypeNode(ts.SyntaxKind.StringKeyword),
        ]);
      }
      return undefined;
    },
  });
  return astToString(ast);
}

/** Annotation and example keywords: no effect on what a value may be, never walked as schemas. */
const ANNOTATIONS = new Set([
  "title",
  "description",
  "default",
  "examples",
  "example",
  "deprecated",
  "readOnly",
  "writeOnly",
  "$comment",
  "externalDocs",
  "xml",
  "discriminator",
]);

/**
 * Rewrites every schema of the (cloned) document in place; returns it.
 * @param {Json} doc
 */
export function prepareForTypes(doc) {
  const schemas = doc.components?.schemas;
  if (schemas) delete doc.components.schemas;
  walkDocument(doc);
  if (schemas) {
    for (const name of Object.keys(schemas)) schemas[name] = normalizeSchema(schemas[name]);
    doc.components.schemas = schemas;
  }
  return doc;
}

/**
 * Finds the schemas outside `components.schemas`: parameters, headers, media types (request and response).
 * @param {any} node
 */
function walkDocument(node) {
  if (!node || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const item of node) walkDocument(item);
    return;
  }
  // A parameter or header serialised as a JSON document has `content` instead of `schema`.
  if (typeof node.in === "string" && typeof node.name === "string" && !node.schema && node.content) {
    const media = Object.values(node.content)[0];
    if (media && typeof media === "object" && media.schema) node.schema = media.schema;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === "example" || key === "examples" || key.startsWith("x-")) continue;
    if (key === "schema" && isObject(value)) node.schema = normalizeSchema(value);
    else walkDocument(value);
  }
}

/** @param {Json} schema @param {string} type */
function typeIncludes(schema, type) {
  return schema.type === type || (Array.isArray(schema.type) && schema.type.includes(type));
}

/** @type {(v: unknown) => v is Json} */
const isObject = (v) => !!v && typeof v === "object" && !Array.isArray(v);

/**
 * One schema and everything under it, rewritten bottom-up.
 * @param {any} schema
 * @returns {any}
 */
export function normalizeSchema(schema) {
  if (!isObject(schema) || typeof schema.$ref === "string") return schema;
  const s = { ...schema };
  for (const key of ["items", "additionalProperties", "not", "if", "then", "else", "contains", "unevaluatedProperties", "unevaluatedItems"]) {
    if (isObject(s[key])) s[key] = normalizeSchema(s[key]);
  }
  for (const key of ["properties", "patternProperties", "$defs", "dependentSchemas"]) {
    if (isObject(s[key])) s[key] = Object.fromEntries(Object.entries(s[key]).map(([k, v]) => [k, normalizeSchema(v)]));
  }
  for (const key of ["allOf", "anyOf", "oneOf", "prefixItems"]) {
    if (Array.isArray(s[key])) s[key] = s[key].map(normalizeSchema);
  }
  if (Array.isArray(s.items)) s.items = s.items.map(normalizeSchema);

  // `const: null` is skipped by openapi-typescript (it reads as "no const"): say it with `type`.
  if ("const" in s && s.const === null) {
    delete s.const;
    s.type = "null";
  }

  // A required key the schema does not describe is still required: give it the schema extra keys have.
  if (Array.isArray(s.required) && (typeIncludes(s, "object") || isObject(s.properties))) {
    const missing = s.required.filter((/** @type {unknown} */ k) => typeof k === "string" && !(isObject(s.properties) && k in s.properties));
    if (missing.length > 0) {
      const extra = isObject(s.additionalProperties) ? s.additionalProperties : {};
      s.properties = { ...s.properties, ...Object.fromEntries(missing.map((/** @type {string} */ k) => [k, extra])) };
    }
  }

  const hasProperties = isObject(s.properties) && Object.keys(s.properties).length > 0;

  for (const key of ["anyOf", "oneOf"]) {
    if (Array.isArray(s[key])) s[key] = s[key].map((branch) => completeBranch(branch, s));
  }
  // `anyOf` with a constraining parent: parent & (branch | branch). openapi-typescript intersects `allOf`.
  // When the parent says nothing but `type`, the completed branches already carry it: the union alone is exact.
  if (Array.isArray(s.anyOf) && constrains(s, ["anyOf"])) {
    if (!constrains(s, ["anyOf", "type"])) delete s.type;
    else {
      s.allOf = [...(s.allOf ?? []), { anyOf: s.anyOf }];
      delete s.anyOf;
    }
  }

  // Any object at all: `{[key: string]: unknown}`, not `Record<string, never>`.
  if (
    typeIncludes(s, "object") &&
    !hasProperties &&
    s.additionalProperties === undefined &&
    !isObject(s.patternProperties) &&
    !["allOf", "anyOf", "oneOf", "enum", "const"].some((k) => k in s)
  ) {
    s.additionalProperties = true;
  }
  return s;
}

/**
 * True when the schema says something about a value besides the keywords in `ignore`.
 * @param {Json} schema
 * @param {string[]} ignore
 */
function constrains(schema, ignore) {
  return Object.keys(schema).some((k) => !ANNOTATIONS.has(k) && !ignore.includes(k) && !k.startsWith("x-"));
}

/**
 * A union branch is evaluated against the same value as its parent, so it may lean on the parent: it inherits
 * the parent's `type` when it has none, and each key it requires gets the parent's schema for that key. Without
 * this, `{required: [email]}` has no type of its own and openapi-typescript renders it `unknown`.
 * @param {any} branch
 * @param {Json} parent
 */
function completeBranch(branch, parent) {
  if (!isObject(branch) || typeof branch.$ref === "string") return branch;
  const b = { ...branch };
  if (b.type === undefined && parent.type !== undefined) b.type = parent.type;
  const required = Array.isArray(b.required) ? b.required : [];
  if (required.length > 0 || isObject(b.properties)) {
    if (b.type === undefined) b.type = "object";
    const own = isObject(b.properties) ? b.properties : {};
    /** @type {Json} */
    const fromParent = {};
    for (const key of required) {
      if (key in own) continue;
      const inherited = parent.properties?.[key] ?? (isObject(parent.additionalProperties) ? parent.additionalProperties : {});
      fromParent[key] = inherited;
    }
    b.properties = { ...fromParent, ...own };
    // The branch's other keys are the parent's business: no index signature of its own.
    if (b.additionalProperties === true) delete b.additionalProperties;
  }
  return b;
}
