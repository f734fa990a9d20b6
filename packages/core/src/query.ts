/**
 * Query strings serialised the way each parameter's spec says (style, explode, JSON content), so a path-style
 * call and a by-name call put the same bytes on the wire. openapi-fetch's default serialiser only knows one
 * style for the whole client.
 */
import type { QueryParamSpec } from "./operation.js";

export function serializeQuery(query: Record<string, unknown> | undefined, specs: QueryParamSpec[] = []): string {
  if (!query) return "";
  const bySpec = new Map(specs.map((s) => [s.name, s]));
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const found = bySpec.get(name);
    const style = found?.style ?? "form";
    const spec = { style, explode: found?.explode ?? style === "form", json: found?.json ?? false };
    const key = encodeURIComponent(name);
    if (spec.json) {
      parts.push(`${key}=${encodeURIComponent(JSON.stringify(value))}`);
    } else if (Array.isArray(value)) {
      if (value.length === 0) continue;
      if (spec.style === "form" && spec.explode) {
        for (const v of value) parts.push(`${key}=${encodeURIComponent(String(v))}`);
      } else {
        const sep = spec.style === "spaceDelimited" ? "%20" : spec.style === "pipeDelimited" ? "|" : ",";
        parts.push(`${key}=${value.map((v) => encodeURIComponent(String(v))).join(sep)}`);
      }
    } else if (typeof value === "object") {
      const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
      if (spec.style === "deepObject") {
        for (const [k, v] of entries) parts.push(`${key}[${encodeURIComponent(k)}]=${encodeURIComponent(String(v))}`);
      } else if (spec.explode) {
        for (const [k, v] of entries) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
      } else {
        parts.push(`${key}=${entries.map(([k, v]) => `${encodeURIComponent(k)},${encodeURIComponent(String(v))}`).join(",")}`);
      }
    } else {
      parts.push(`${key}=${encodeURIComponent(String(value))}`);
    }
  }
  return parts.join("&");
}
