// @ts-check
/** Helpers shared by the renderers: walk operations, resolve local refs, name things. */

/** @typedef {Record<string, any>} Json */

export const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];

/**
 * Every operation of the bundled doc, in spec order, with path-level parameters merged in.
 * @param {Json} doc
 * @returns {{path: string, method: string, op: Json, parameters: Json[]}[]}
 */
export function operationsOf(doc) {
  const out = [];
  for (const [path, rawItem] of Object.entries(doc.paths ?? {})) {
    const item = resolveRef(doc, rawItem);
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = new Map();
      for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        const r = resolveRef(doc, p);
        params.set(`${r.in}:${r.name}`, r);
      }
      out.push({ path, method, op, parameters: [...params.values()] });
    }
  }
  return out;
}

/**
 * Follows local `$ref`s to the node they point at.
 * @param {Json} doc
 * @param {any} node
 * @returns {any}
 */
export function resolveRef(doc, node) {
  let cur = node;
  const seen = new Set();
  while (cur && typeof cur === "object" && typeof cur.$ref === "string" && cur.$ref.startsWith("#/")) {
    if (seen.has(cur.$ref)) throw new Error(`Circular $ref ${cur.$ref}`);
    seen.add(cur.$ref);
    cur = cur.$ref
      .slice(2)
      .split("/")
      .map((/** @type {string} */ s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce((/** @type {any} */ o, /** @type {string} */ k) => o?.[k], doc);
    if (cur === undefined) throw new Error(`Unresolved $ref ${[...seen].pop()}`);
  }
  return cur;
}

/**
 * A tag as a person would type it as a property name: `AB journey` → `abJourney`, `Bulk-jobs` → `bulkJobs`,
 * `Data-protection` → `dataProtection`, `SMS campaigns` → `smsCampaigns`, `Send SMS` → `sendSms`,
 * `HTTPServer` → `httpServer`, `V2 profiles` → `v2Profiles`. The text is split into words at non-alphanumerics and at case changes (an
 * acronym ends before the capital that starts the next word), every word is lower-cased, and words after the
 * first are capitalised: acronyms are treated as words, as TypeScript's own style and the Google style guide
 * do (`XmlHttpRequest`, not `XMLHTTPRequest`), so a name is predictable without knowing which acronyms exist.
 */
/**
 * @param {string} text
 * @returns {string}
 */
export function camel(text) {
  const words = String(text)
    .split(/[^A-Za-z0-9]+/)
    .flatMap((chunk) => chunk.match(/[A-Z]+(?![a-z])[0-9]*|[A-Z]?[a-z]+[0-9]*|[0-9]+[a-z]*/g) ?? [])
    .map((w) => w.toLowerCase());
  if (words.length === 0) throw new Error(`Cannot make a name of ${JSON.stringify(text)}`);
  const name = words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join("");
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/**
 * An operationId as the start of a type name: `upsertProfiles` → `UpsertProfiles` (only the first letter).
 * @param {string} operationId
 */
export function typeNameOf(operationId) {
  return operationId[0].toUpperCase() + operationId.slice(1);
}

/** @param {unknown} text */
export function jsDocText(text) {
  return String(text ?? "").replace(/\*\//g, "*\\/").trim();
}
