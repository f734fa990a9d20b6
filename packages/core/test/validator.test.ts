import { describe, expect, it, vi } from "vitest";
import { RequestValidationError, type ValidationIssue } from "../src/errors.js";
import { lazySchema, responseSchemasFor, schemaErrors, validateRequest, validateResponse, type LazySchema, type ResponseSchemas, type Schema } from "../src/validation.js";

const issues = (schema: Schema, data: unknown): ValidationIssue[] => schemaErrors(schema, data);

describe("schemaErrors: keywords", () => {
  it("type, one or a list with null", () => {
    const s: Schema = { type: "object", properties: { a: { type: ["string", "null"] }, n: { type: "integer" } } };
    expect(issues(s, { a: null, n: 3 })).toEqual([]);
    expect(issues(s, { a: 1, n: 1.5 })).toEqual([
      { field: "a", rule: "type string,null", message: "must be string,null" },
      { field: "n", rule: "type integer", message: "must be integer" },
    ]);
    expect(issues(s, [])).toEqual([{ field: "(request)", rule: "type object", message: "must be object" }]);
  });

  it("lengths count code points, not UTF-16 units; patterns are unicode", () => {
    const s: Schema = { type: "string", maxLength: 2, pattern: "^\\p{Emoji}+$" };
    expect(issues(s, "😀😀")).toEqual([]);
    expect(issues(s, "😀😀😀")).toEqual([{ field: "(request)", rule: "maxLength 2", message: "must NOT have more than 2 characters" }]);
    expect(issues(s, "ab")).toEqual([{ field: "(request)", rule: "pattern ^\\p{Emoji}+$", message: "must match ^\\p{Emoji}+$" }]);
  });

  it("numbers: ranges, exclusive ranges, multipleOf, number formats", () => {
    const s: Schema = { type: "number", exclusiveMinimum: 0, maximum: 10, multipleOf: 0.5, format: "int32" };
    expect(issues(s, 2.5)).toEqual([{ field: "(request)", rule: "format int32", message: "must be a valid int32" }]);
    expect(issues(s, 0).map((i) => i.rule)).toEqual(["exclusiveMinimum 0"]);
    expect(issues(s, 10.25).map((i) => i.message)).toEqual(["must be <= 10", "must be multiple of 0.5", "must be a valid int32"]);
  });

  it("strings: formats", () => {
    const s: Schema = { type: "object", properties: { d: { type: "string", format: "date" }, t: { type: "string", format: "date-time" } } };
    expect(issues(s, { d: "2024-02-29", t: "2024-01-31T10:00:00Z" })).toEqual([]);
    expect(issues(s, { d: "2023-02-29", t: "2024-01-31" }).map((i) => `${i.field} ${i.rule}`)).toEqual(["d format date", "t format date-time"]);
  });

  it("enum and const compare JSON values deeply", () => {
    const s: Schema = { type: "object", properties: { e: { enum: ["a", { b: [1] }] }, c: { const: { v: [1, 2] } } } };
    expect(issues(s, { e: { b: [1] }, c: { v: [1, 2] } })).toEqual([]);
    expect(issues(s, { e: "b", c: { v: [2, 1] } })).toEqual([
      { field: "e", rule: 'enum "a" | {"b":[1]}', message: 'must be one of "a", {"b":[1]}' },
      { field: "c", rule: 'const {"v":[1,2]}', message: 'must be {"v":[1,2]}' },
    ]);
  });

  it("objects: required, unknown fields, pattern properties, property names, sizes", () => {
    const o: Schema = {
      type: "object",
      required: ["id"],
      properties: { id: { type: "string" }, x: {} },
      patternProperties: { "^n_": { type: "integer" } },
      additionalProperties: false,
      propertyNames: { maxLength: 4 },
      maxProperties: 3,
    };
    const s: Schema = { type: "object", properties: { o } };
    expect(issues(s, { o: { id: "1", n_a: 2 } })).toEqual([]);
    const unknown = "is not a known field here (unknown fields are rejected, not dropped)";
    expect(issues(s, { o: { x: 1, n_a: "2", "o/ther": true, long_: 1 } })).toEqual([
      { field: "o", rule: "maxProperties 3", message: "must NOT have more than 3 properties" },
      { field: "o.id", rule: "required", message: "is required" },
      { field: "o", rule: "maxLength 4", message: "must NOT have more than 4 characters" },
      { field: 'o["o/ther"]', rule: "propertyNames", message: "is not an allowed property name" },
      { field: "o.long_", rule: "propertyNames", message: "is not an allowed property name" },
      { field: 'o["o/ther"]', rule: "additionalProperties false", message: unknown },
      { field: "o.long_", rule: "additionalProperties false", message: unknown },
      { field: "o.n_a", rule: "type integer", message: "must be integer" },
    ]);
  });

  it("an object without additionalProperties accepts fields it does not list (open schemas stay open)", () => {
    expect(issues({ type: "object", properties: { a: { type: "string" } } }, { a: "x", b: 1 })).toEqual([]);
  });

  it("arrays: sizes, items, uniqueItems, x-max-total-length", () => {
    const s: Schema = { type: "array", minItems: 1, maxItems: 3, items: { type: "string" }, uniqueItems: true, "x-max-total-length": 6 };
    expect(issues(s, ["ab", "cd"])).toEqual([]);
    // The limit itself is allowed; one character more is not.
    expect(issues(s, ["abc", "def"])).toEqual([]);
    expect(issues(s, ["abc", "defg"]).map((i) => i.rule)).toEqual(["maxTotalLength 6"]);
    expect(issues(s, [])).toEqual([{ field: "(request)", rule: "minItems 1", message: "must NOT have fewer than 1 items" }]);
    expect(issues(s, ["abcd", "abcd", 1, "x"]).map((i) => `${i.field} ${i.rule}`)).toEqual([
      "(request) maxItems 3",
      "[2] type string",
      "(request) uniqueItems",
      "(request) maxTotalLength 6",
    ]);
  });

  it("not, if/then/else", () => {
    const s: Schema = {
      type: "object",
      properties: { kind: { not: { const: "legacy" } } },
      if: { properties: { kind: { const: "sms" } }, required: ["kind"] },
      then: { required: ["phone"] },
      else: { required: ["email"] },
    };
    expect(issues(s, { kind: "sms", phone: "+1" })).toEqual([]);
    expect(issues(s, { kind: "sms" })).toEqual([{ field: "phone", rule: "required", message: "is required" }]);
    // Ajv's order: keywords for any type (here `if`) before the object ones (`properties`).
    expect(issues(s, { kind: "legacy" })).toEqual([
      { field: "email", rule: "required", message: "is required" },
      { field: "kind", rule: 'not const "legacy"', message: 'must not be "legacy"' },
    ]);
  });

  it("not: a refused enum, const or type is named; other refusals are generic", () => {
    // Contacthub's "Create a source" refuses legacy providers this way.
    const provider: Schema = { type: "string", not: { enum: ["Javascript", "MAGENTO"] } };
    expect(issues(provider, "WEB")).toEqual([]);
    expect(issues(provider, "MAGENTO")).toEqual([{ field: "(request)", rule: 'not enum "Javascript" | "MAGENTO"', message: 'must not be one of "Javascript", "MAGENTO"' }]);
    expect(issues({ not: { type: ["string", "null"] } }, null)).toEqual([{ field: "(request)", rule: "not type string,null", message: "must not be string,null" }]);
    expect(issues({ not: { type: "string", minLength: 2 } }, "ab")).toEqual([{ field: "(request)", rule: "not", message: "must NOT be valid" }]);
    expect(issues({ not: { type: "string", minLength: 2 } }, "a")).toEqual([]);
  });

  it("anyOf of required fields folds into one issue; a union of shapes names the closest", () => {
    const either: Schema = { properties: { profile: { type: "object", anyOf: [{ required: ["email"] }, { required: ["phoneNumber"] }] } } };
    expect(issues(either, { profile: {} })).toEqual([
      { field: "profile", rule: "anyOf required email | phoneNumber", message: "needs at least one of: email, phoneNumber" },
    ]);
    const id: Schema = { type: "object", properties: { id: { anyOf: [{ type: "string", minLength: 3 }, { type: "integer" }] } } };
    expect(issues(id, { id: "ab" })).toEqual([
      { field: "id", rule: "anyOf", message: "matches none of the allowed shapes (closest: id: must NOT have fewer than 3 characters)" },
    ]);
  });

  it("a union's closest branch lists that branch's real failures (if/then and nested unions included)", () => {
    const x: Schema = {
      anyOf: [
        { type: "object", if: { required: ["kind"] }, then: { required: ["id"] } },
        { type: "object", anyOf: [{ required: ["a"] }, { required: ["b"] }], required: ["c"] },
        { type: "string", minLength: 2 },
      ],
    };
    const s: Schema = { properties: { x } };
    expect(issues(s, { x: { kind: "k", id: 1 } })).toEqual([]);
    expect(issues(s, { x: { kind: "k" } })).toEqual([{ field: "x", rule: "anyOf", message: "matches none of the allowed shapes (closest: x: is required)" }]);
    expect(issues(s, { x: "" })).toEqual([{ field: "x", rule: "anyOf", message: "matches none of the allowed shapes (closest: x: must be object)" }]);
    const nested: Schema = { properties: { x: { anyOf: [{ anyOf: [{ required: ["a"] }, { required: ["b"] }] }, { required: ["p", "q", "r", "s"] }] } } };
    expect(issues(nested, { x: {} })).toEqual([
      { field: "x", rule: "anyOf", message: "matches none of the allowed shapes (closest: x: is required; x: is required; x: needs at least one of: a, b)" },
    ]);
  });

  it("oneOf: none, exactly one, more than one", () => {
    const s: Schema = { properties: { n: { oneOf: [{ type: "integer" }, { type: "number", minimum: 10 }] } } };
    expect(issues(s, { n: 3 })).toEqual([]);
    expect(issues(s, { n: 12 })).toEqual([{ field: "n", rule: "oneOf", message: "matches more than one of the allowed shapes" }]);
    expect(issues(s, { n: "x" })).toEqual([{ field: "n", rule: "oneOf", message: "matches none of the allowed shapes (closest: n: must be integer)" }]);
  });

  it("$ref by identity and through a function: a recursive tree, errors named at depth", () => {
    const Node: Schema = {
      type: "object",
      required: ["name"],
      additionalProperties: false,
      properties: { name: { type: "string" }, children: { type: "array", items: { $ref: () => Node } } },
    };
    const Tree: Schema = { type: "object", properties: { root: { $ref: Node } } };
    expect(issues(Tree, { root: { name: "a", children: [{ name: "b", children: [{ name: "c" }] }] } })).toEqual([]);
    expect(issues(Tree, { root: { name: "a", children: [{ name: "b", children: [{ nom: "c" }] }] } })).toEqual([
      { field: "root.children[0].children[0].name", rule: "required", message: "is required" },
      {
        field: "root.children[0].children[0].nom",
        rule: "additionalProperties false",
        message: "is not a known field here (unknown fields are rejected, not dropped)",
      },
    ]);
  });

  it("a tagged union (allOf of if/then, as the generator writes it) reports only the chosen branch", () => {
    const View: Schema = { type: "object", additionalProperties: false, required: ["kind", "url"], properties: { kind: { const: "view" }, url: { type: "string" } } };
    const Buy: Schema = { type: "object", additionalProperties: false, required: ["kind", "sku"], properties: { kind: { const: "buy" }, sku: { type: "string" } } };
    const Event: Schema = {
      allOf: [
        { required: ["kind"], properties: { kind: { enum: ["view", "buy"] } } },
        { if: { properties: { kind: { const: "view" } } }, then: { $ref: View } },
        { if: { properties: { kind: { const: "buy" } } }, then: { $ref: Buy } },
      ],
    };
    expect(issues(Event, { kind: "buy", sku: "1", url: "https://example.com" })).toEqual([
      { field: "url", rule: "additionalProperties false", message: "is not a known field here (unknown fields are rejected, not dropped)" },
    ]);
    expect(issues(Event, { kind: "click" })).toEqual([{ field: "kind", rule: 'enum "view" | "buy"', message: 'must be one of "view", "buy"' }]);
  });

  it("boolean schemas, and keys that need quoting or JSON-pointer escaping", () => {
    const s: Schema = { properties: { x: { type: "object", properties: { "a/b~c": false, ok: true } } } };
    expect(issues(s, { x: { ok: 1 } })).toEqual([]);
    expect(issues(s, { x: { "a/b~c": 1 } })).toEqual([{ field: 'x["a/b~c"]', rule: "false schema", message: "boolean schema is false" }]);
  });

  it("lazySchema: JSON text parsed at first use, once; numeric $ref members are references, recursive ones too", () => {
    const parse = vi.spyOn(JSON, "parse");
    try {
      // Node refers to itself and to Name, defined after it (the refs list is read only when the text is parsed).
      const Node: LazySchema = lazySchema(
        '{"type":"object","required":["name"],"additionalProperties":false,"properties":{"name":{"$ref":1},"children":{"type":"array","items":{"$ref":0}}}}',
        () => [Node, Name],
      );
      const Name: LazySchema = lazySchema('{"type":"string","minLength":1}');
      // A property that happens to be called "$ref" (its value a schema, not a number) stays a property.
      const Odd: LazySchema = lazySchema('{"type":"object","properties":{"$ref":{"type":"integer"}},"required":["$ref"]}', () => []);
      expect(parse).not.toHaveBeenCalled();
      expect(schemaErrors(Node, { name: "a", children: [{ name: "b", children: [{ name: "" }] }] })).toEqual([
        { field: "children[0].children[0].name", rule: "minLength 1", message: "must NOT have fewer than 1 characters" },
      ]);
      expect(schemaErrors(Node, { name: "a", children: [{ nom: "b" }] }).map((i) => `${i.field} ${i.rule}`)).toEqual([
        "children[0].name required",
        "children[0].nom additionalProperties false",
      ]);
      expect(parse).toHaveBeenCalledTimes(2); // Node and Name, each once however often they are used
      expect(Node()).toBe(Node());
      expect(schemaErrors(Odd, { $ref: "x" })).toEqual([{ field: "$ref", rule: "type integer", message: "must be integer" }]);
      expect(schemaErrors(Odd, {})).toEqual([{ field: "$ref", rule: "required", message: "is required" }]);
      // As an operation's request schema, through validateRequest.
      expect(() => validateRequest({ operationId: "put", requestSchema: lazySchema('{"type":"object","properties":{"body":{"$ref":0}}}', () => [Name]) }, { body: "" })).toThrow(
        RequestValidationError,
      );
    } finally {
      parse.mockRestore();
    }
  });

  it("one schema object gives the same answers however often it is used (compiled once, cached)", () => {
    const s: Schema = { type: "object", required: ["a"] };
    const first = issues(s, {});
    for (let i = 0; i < 3; i++) expect(issues(s, {})).toEqual(first);
    expect(issues(s, { a: 1 })).toEqual([]);
  });
});

describe("validateRequest with a generated-style request schema", () => {
  const Customer: Schema = { type: "object", required: ["email"], properties: { email: { type: "string", format: "email" } } };
  const op = {
    operationId: "createCustomer",
    requestSchema: {
      type: "object",
      properties: {
        path: { type: "object", properties: { workspaceId: { type: "string", format: "uuid" } }, required: ["workspaceId"], additionalProperties: false },
        body: { $ref: Customer },
      },
      required: ["path", "body"],
      additionalProperties: false,
    },
  } as const;

  it("names every issue in call terms; unknown parameters are refused", () => {
    let error: unknown;
    try {
      validateRequest(op, { path: { workspaceId: "nope" }, query: { page: 1 }, body: {} });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).issues).toEqual([
      { field: "query", rule: "additionalProperties false", message: "is not a known field here (unknown fields are rejected, not dropped)" },
      { field: "path.workspaceId", rule: "format uuid", message: "must be a valid uuid" },
      { field: "body.email", rule: "required", message: "is required" },
    ]);
  });

  it("a missing body is named", () => {
    expect(() => validateRequest(op, { path: { workspaceId: "4ccee44e-5cea-457e-a94d-fc7ed086ae6f" } })).toThrow(/body: is required/);
  });
});

describe("validateResponse", () => {
  const Profile: Schema = { type: "object", additionalProperties: false, required: ["id"], properties: { id: { type: "string" } } };
  const schemas: ResponseSchemas = {
    getProfile: { "200": { $ref: Profile } },
    listProfiles: { "2XX": { type: "array", items: { $ref: Profile } } },
  };
  const getProfile = { operationId: "getProfile", successStatuses: [200] };

  it("checks the body against the schema of its status; fields start at body", () => {
    expect(validateResponse(getProfile, 200, { id: "p1" }, schemas)).toEqual([]);
    expect(validateResponse(getProfile, 200, { id: 1, extra: true }, schemas)).toEqual([
      { field: "body.extra", rule: "additionalProperties false", message: "is not a documented field of this response" },
      { field: "body.id", rule: "type string", message: "must be string" },
    ]);
  });

  it("falls back to the status range", () => {
    const list = { operationId: "listProfiles", successStatuses: [] };
    expect(validateResponse(list, 206, [{ id: "a" }, {}], schemas)).toEqual([{ field: "body[1].id", rule: "required", message: "is required" }]);
  });

  it("an undocumented success status is an issue; no schema for a documented status is nothing to check", () => {
    expect(validateResponse(getProfile, 203, { id: "p1" }, schemas)).toEqual([
      { field: "status", rule: "status 200", message: "203 is not a documented success status" },
    ]);
    expect(validateResponse({ operationId: "deleteProfile", successStatuses: [204] }, 204, undefined, schemas)).toEqual([]);
    expect(validateResponse(getProfile, 200, { nonsense: true }, undefined)).toEqual([]);
  });
});

describe("responseSchemasFor", () => {
  it("loads once per api, only when asked; a failed load is tried again", async () => {
    const table: ResponseSchemas = { a: { "200": true } };
    const loader = vi.fn().mockRejectedValueOnce(new Error("offline")).mockResolvedValue(table);
    const api = { loadResponseSchemas: loader };
    expect(loader).not.toHaveBeenCalled();
    await expect(responseSchemasFor(api)).rejects.toThrow("offline");
    await expect(responseSchemasFor(api)).resolves.toBe(table);
    await expect(responseSchemasFor(api)).resolves.toBe(table);
    expect(loader).toHaveBeenCalledTimes(2);
    await expect(responseSchemasFor({})).resolves.toBeUndefined();
  });
});
