// @ts-check
/** Helpers shared by the renderers: walk operations, resolve local refs, name things. */

export const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];

/** Every operation of the bundled doc, in spec order, with path-level parameters merged in. */
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

export function resolveRef(doc, node) {
  let cur = node;
  const seen = new Set();
  while (cur && typeof cur === "object" && typeof cur.$ref === "string" && cur.$ref.startsWith("#/")) {
    if (seen.has(cur.$ref)) throw new Error(`Circular $ref ${cur.$ref}`);
    seen.add(cur.$ref);
    cur = cur.$ref
      .slice(2)
      .split("/")
      .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce((o, k) => o?.[k], doc);
    if (cur === undefined) throw new Error(`Unresolved $ref ${[...seen].pop()}`);
  }
  return cur;
}

/** `Bulk-jobs` → `bulkJobs`, `Journey orchestration` → `journeyOrchestration`. */
export function camel(text) {
  const words = String(text).split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words.map((w, i) => (i === 0 ? w[0].toLowerCase() + w.slice(1) : w[0].toUpperCase() + w.slice(1))).join("");
}

export function jsDocText(text) {
  return String(text ?? "").replace(/\*\//g, "*\\/").trim();
}
