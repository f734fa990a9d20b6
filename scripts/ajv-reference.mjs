// @ts-check
/**
 * Ajv set up the way the clients' validators were compiled before core validated schemas as data: the spec's
 * `x-max-total-length` keyword, and the spec's components added as one document that request and response schemas
 * reference. Shared by the validation benchmark (scripts/bench-validation.mjs) and the oracle test that holds core's
 * validator to Ajv's verdicts (tests/unit/validator-vs-ajv.test.ts).
 */
import { _, str } from "ajv";

/** The `$id` of the document holding the spec's components. */
export const SPEC_ID = "spec.json";

/**
 * Adds `x-max-total-length` (largest sum of the lengths of an array's strings, in UTF-16 units) to `ajv`.
 * @param {import("ajv").default} ajv
 */
export function addSpecKeywords(ajv) {
  ajv.addKeyword({
    keyword: "x-max-total-length",
    type: "array",
    schemaType: "number",
    code(cxt) {
      cxt.fail(_`${cxt.data}.reduce((n, s) => n + (typeof s === "string" ? s.length : 0), 0) > ${cxt.schema}`);
    },
    error: { message: ({ schema }) => str`must have at most ${schema} characters in total`, params: ({ schema }) => _`{limit: ${schema}}` },
  });
  return ajv;
}

/**
 * `schema` with every local reference (`#/components/schemas/X`) pointing into the components document.
 * @param {any} node
 * @returns {any}
 */
export function toSpecRefs(node) {
  if (Array.isArray(node)) return node.map(toSpecRefs);
  if (!node || typeof node !== "object") return node;
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === "$ref" && typeof v === "string" ? `${SPEC_ID}${v}` : toSpecRefs(v)]));
}

/**
 * Adds the spec's components to `ajv` as the document `SPEC_ID`.
 * @param {import("ajv").default} ajv
 * @param {Map<string, unknown>} components
 */
export function addSpecComponents(ajv, components) {
  ajv.addSchema({ $id: SPEC_ID, components: { schemas: Object.fromEntries([...components].map(([name, schema]) => [name, toSpecRefs(schema)])) } });
  return ajv;
}
