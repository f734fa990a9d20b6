/**
 * The type renderer on schemas no vendor spec has today, so the generated types stay exact when the specs
 * change (more `anyOf`, fewer closed objects): either/or rules, unions beside properties, any-object fields,
 * open objects, defaults, JSON-less corners. Each case states the TypeScript the schema must become.
 */
import { describe, expect, it } from "vitest";
import ts from "typescript";
import { renderTypes } from "../../generators/src/render-types.mjs";

const cases: Record<string, { schema: object; type: string }> = {
  "either/or over shared properties": {
    schema: { type: "object", properties: { a: { type: "string" }, n: { type: "integer" } }, anyOf: [{ required: ["a"] }, { required: ["b"] }] },
    type: "{ a?: string; n?: number; } & ({ a: string; } | { b: unknown; })",
  },
  "either/or inside array items": {
    schema: { type: "array", items: { type: "object", properties: { e: { type: "string" } }, anyOf: [{ required: ["e"] }, { required: ["p"] }] } },
    type: "({ e?: string; } & ({ e: string; } | { p: unknown; }))[]",
  },
  "either/or over a typed map": {
    schema: { type: "object", additionalProperties: { type: "string" }, anyOf: [{ required: ["a"] }, { required: ["b"] }] },
    type: "{ [key: string]: string; } & ({ a: string; } | { b: string; })",
  },
  "oneOf branches lean on the parent": {
    schema: { type: "object", properties: { kind: { type: "string" } }, required: ["kind"], oneOf: [{ properties: { kind: { const: "a" } } }, { required: ["y"] }] },
    type: '{ kind: string; } & ({ kind?: "a"; } | { y: unknown; })',
  },
  "a union of primitives inherits the parent type": {
    schema: { type: "string", anyOf: [{ const: "a" }, { const: "b" }] },
    type: '"a" | "b"',
  },
  "nullable union": { schema: { anyOf: [{ type: "string" }, { type: "null" }] }, type: "string | null" },
  "any object": { schema: { type: "object" }, type: "{ [key: string]: unknown; }" },
  "a closed empty object": { schema: { type: "object", additionalProperties: false }, type: "Record<string, never>" },
  "an object whose documentation is silent on other fields lists only the known ones": {
    schema: { type: "object", properties: { a: { type: "string" } } },
    type: "{ a?: string; }",
  },
  "an object documented as taking more than its known fields keeps an index signature": {
    schema: { type: "object", properties: { a: { type: "string" } }, additionalProperties: true },
    type: "{ a?: string; } & { [key: string]: unknown; }",
  },
  "a required key the schema does not describe": { schema: { type: "object", required: ["id"] }, type: "{ id: unknown; }" },
  "a default does not make a field required": { schema: { type: "object", properties: { d: { type: "boolean", default: true } } }, type: "{ d?: boolean; }" },
  "a file part": { schema: { type: "object", properties: { f: { type: "string", format: "binary" } } }, type: "{ f?: Blob | string; }" },
  "const null": { schema: { const: null }, type: "null" },
  "any value": { schema: {}, type: "unknown" },
};

/** The printed type of components.schemas[name], comments and layout removed. */
function schemaType(output: string, name: string): string {
  const file = ts.createSourceFile("types.ts", output, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  let found: string | undefined;
  const visit = (node: ts.Node) => {
    if (ts.isPropertySignature(node) && node.name.getText(file) === JSON.stringify(name).slice(1, -1) && node.parent.parent && ts.isPropertySignature(node.parent.parent) && node.parent.parent.name.getText(file) === "schemas") {
      const printer = ts.createPrinter({ removeComments: true });
      found = printer.printNode(ts.EmitHint.Unspecified, node.type!, file).replace(/\s+/g, " ");
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (found === undefined) throw new Error(`components.schemas.${name} not rendered`);
  return found;
}

describe("renderTypes", async () => {
  const names = Object.keys(cases).map((_, i) => `S${i}`);
  const schemas = Object.fromEntries(Object.values(cases).map((c, i) => [names[i], c.schema]));
  const output = await renderTypes({ openapi: "3.1.0", info: { title: "cases", version: "1" }, paths: {}, components: { schemas } });
  Object.entries(cases).forEach(([title, c], i) => {
    it(title, () => {
      expect(schemaType(output, names[i])).toBe(c.type.replace(/\s+/g, " "));
    });
  });

  it("parameters serialised as JSON get their schema's type", async () => {
    const out = await renderTypes({
      openapi: "3.1.0",
      info: { title: "p", version: "1" },
      paths: {
        "/x": {
          get: {
            operationId: "getX",
            parameters: [{ name: "ids", in: "query", required: true, content: { "application/json": { schema: { type: "array", items: { type: "string" } } } } }],
            responses: { "204": { description: "none" } },
          },
        },
      },
    });
    expect(out.replace(/\s+/g, " ")).toMatch(/query: \{ ids: string\[\]; \};/);
  });
});
