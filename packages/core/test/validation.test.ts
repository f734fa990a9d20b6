import { describe, expect, it } from "vitest";
import { RequestValidationError } from "../src/errors.js";
import { createRuntime } from "../src/runtime.js";
import { fieldName, schemaErrors, validateRequest, type Schema } from "../src/validation.js";
import { errorOf, json, makeApi, op, scriptedFetch } from "./helpers.js";

describe("fieldName", () => {
  it("turns instance paths into call terms", () => {
    expect(fieldName("/body/profiles/0/profile/phoneNumber")).toBe("body.profiles[0].profile.phoneNumber");
    expect(fieldName("/query/size")).toBe("query.size");
    expect(fieldName("/path/siteNumber")).toBe("path.siteNumber");
    expect(fieldName("/body/0/1")).toBe("body[0][1]");
    expect(fieldName("")).toBe("");
  });

  it("quotes keys that are not identifiers and unescapes JSON pointer tokens", () => {
    expect(fieldName("/body/a~1b/weird key/x~0y")).toBe('body["a/b"]["weird key"]["x~y"]');
    expect(fieldName("/body/custom-field")).toBe('body["custom-field"]');
  });
});

describe("issues", () => {
  // The request shape of a generated operation: `{path, query, header, body}`.
  const Profile: Schema = {
    type: "object",
    anyOf: [{ required: ["email"] }, { required: ["phoneNumber"] }],
    properties: { email: { type: "string" }, phoneNumber: { type: "string", pattern: "^\\+[0-9]+$" } },
    additionalProperties: false,
  };
  const request: Schema = {
    type: "object",
    properties: {
      query: { type: "object", properties: { size: { type: "integer", maximum: 100 }, sort: { enum: ["asc", "desc"] } } },
      body: {
        type: "object",
        required: ["profiles"],
        properties: {
          profiles: { type: "array", items: { type: "object", required: ["profile"], properties: { profile: { $ref: Profile } } } },
          id: { anyOf: [{ type: "string" }, { type: "integer" }] },
          n: { oneOf: [{ type: "number" }, { type: "integer" }] },
        },
        additionalProperties: false,
      },
    },
    required: ["body"],
  };

  it("pattern: names the field and the rule", () => {
    expect(schemaErrors(request, { body: { profiles: [{ profile: { phoneNumber: "123" } }] } })).toEqual([
      { field: "body.profiles[0].profile.phoneNumber", rule: "pattern ^\\+[0-9]+$", message: "must match ^\\+[0-9]+$" },
    ]);
  });

  it("required: the missing property joins the field", () => {
    expect(schemaErrors(request, {})).toEqual([{ field: "body", rule: "required", message: "is required" }]);
    expect(schemaErrors(request, { body: { profiles: [{}] } })).toEqual([{ field: "body.profiles[0].profile", rule: "required", message: "is required" }]);
  });

  it("additionalProperties: names the unknown key", () => {
    const issues = schemaErrors(request, { body: { profiles: [{ profile: { email: "a@b.c", phone_number: "1" } }], "x-y": 1 } });
    expect(issues[0]).toEqual({
      field: 'body["x-y"]',
      rule: "additionalProperties false",
      message: "is not a known field here (unknown fields are rejected, not dropped)",
    });
    expect(issues[1].field).toBe("body.profiles[0].profile.phone_number");
  });

  it("an anyOf of required branches folds into one issue", () => {
    expect(schemaErrors(request, { body: { profiles: [{ profile: {} }] } })).toEqual([
      { field: "body.profiles[0].profile", rule: "anyOf required email | phoneNumber", message: "needs at least one of: email, phoneNumber" },
    ]);
  });

  it("an anyOf of shapes names the closest branch; unrelated issues stay separate", () => {
    const issues = schemaErrors(request, { query: { size: 500, sort: "up" }, body: { profiles: [], id: true } });
    expect(issues).toEqual([
      { field: "query.size", rule: "maximum 100", message: "must be <= 100" },
      { field: "query.sort", rule: 'enum "asc" | "desc"', message: 'must be one of "asc", "desc"' },
      { field: "body.id", rule: "anyOf", message: "matches none of the allowed shapes (closest: body.id: must be string)" },
    ]);
  });

  it("oneOf matching several shapes, and the same issue reported once", () => {
    expect(schemaErrors(request, { body: { profiles: [], n: 1 } })).toEqual([
      { field: "body.n", rule: "oneOf", message: "matches more than one of the allowed shapes" },
    ]);
    const twice: Schema = { type: "object", allOf: [{ properties: { n: { type: "number" } } }, { properties: { n: { type: "number" } } }] };
    expect(schemaErrors(twice, { n: "x" })).toEqual([{ field: "n", rule: "type number", message: "must be number" }]);
    // A failure folded into a union does not hide the same rule failing outside it.
    const both: Schema = { properties: { x: { allOf: [{ anyOf: [{ type: "string" }, { type: "integer", minimum: 5 }] }, { type: "string" }] } } };
    expect(schemaErrors(both, { x: 3 })).toEqual([
      { field: "x", rule: "anyOf", message: "matches none of the allowed shapes (closest: x: must be string)" },
      { field: "x", rule: "type string", message: "must be string" },
    ]);
  });

  it("a referenced schema's own failures inside a union branch are reported beside the union", () => {
    // How a nullable reference is generated: `anyOf: [{$ref: X}, {type: "null"}]`.
    const X: Schema = { type: "object", properties: { kind: { enum: ["A", "B"] } } };
    const nullable: Schema = { type: "object", properties: { x: { anyOf: [{ $ref: X }, { type: "null" }] } } };
    expect(schemaErrors(nullable, { x: null })).toEqual([]);
    expect(schemaErrors(nullable, { x: { kind: "C" } })).toEqual([
      { field: "x.kind", rule: 'enum "A" | "B"', message: 'must be one of "A", "B"' },
      { field: "x", rule: "anyOf", message: "matches none of the allowed shapes (closest: x: must be null)" },
    ]);
  });
});

describe("validateRequest", () => {
  // Parts as the call gives them; the schema says what each part may hold.
  const listThings = {
    operationId: "listThings",
    requestSchema: {
      type: "object",
      properties: {
        query: { type: "object", properties: { size: { type: "integer", maximum: 100 } }, additionalProperties: false },
      },
      additionalProperties: false,
    },
  } as const;

  it("checks the present parts only and throws RequestValidationError listing each issue", () => {
    let err: unknown;
    try {
      // `path: {}`, `body: undefined` and `page: undefined` are not sent, so they are not "unknown" either.
      validateRequest(listThings, { path: {}, query: { size: 500, page: undefined }, body: undefined });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RequestValidationError);
    const e = err as RequestValidationError;
    expect(e.operationId).toBe("listThings");
    expect(e.issues).toEqual([{ field: "query.size", rule: "maximum 100", message: "must be <= 100" }]);
    expect(e.message).toBe("Invalid request for listThings, nothing was sent:\n  - query.size: must be <= 100 (rule: maximum 100)");
  });

  it("does nothing without a schema or when valid", () => {
    expect(() => validateRequest({ operationId: "x" }, { body: 1 })).not.toThrow();
    expect(() => validateRequest(listThings, { query: { size: 100 } })).not.toThrow();
  });

  it("maxBodyBytes: the JSON body's UTF-8 size, before the schema", () => {
    const op = { operationId: "send", maxBodyBytes: 10, requestSchema: { type: "object", properties: { body: { type: "string" } } } } as const;
    expect(() => validateRequest(op, { body: "ééééé" })).toThrow(RequestValidationError); // 12 bytes as JSON
    try {
      validateRequest(op, { body: "ééééé" });
    } catch (e) {
      expect((e as RequestValidationError).issues).toEqual([{ field: "body", rule: "maxBodyBytes 10", message: "is 12 bytes as JSON; the limit is 10" }]);
    }
    expect(() => validateRequest(op, { body: "abc" })).not.toThrow();
  });

  it("through the runtime: invalid input is rejected before fetch; validate:false sends it", async () => {
    const api = makeApi();
    api.operations.createThing = {
      ...api.operations.createThing,
      requestSchema: { type: "object", properties: { body: { type: "object", required: ["name"] } } },
    };
    const f = scriptedFetch(json(201, { id: "1" }));
    const rt = createRuntime(api, { fetch: f.fetch });
    const err = await errorOf(rt.call("createThing", { body: {} }));
    expect(err).toBeInstanceOf(RequestValidationError);
    expect((err as RequestValidationError).issues).toEqual([{ field: "body.name", rule: "required", message: "is required" }]);
    expect(f.mock).not.toHaveBeenCalled();
    await expect(rt.call("createThing", { body: {} }, { validate: false })).resolves.toEqual({ id: "1" });
    expect(f.mock).toHaveBeenCalledTimes(1);
  });

  it("missing path parameters are named, and x-client-config fills them", async () => {
    const site = op({ operationId: "getSite", method: "get", path: "/sites/{siteNumber}", pathParams: [{ name: "siteNumber", clientConfig: "siteNumber" }] });
    const f = scriptedFetch(json(200, { ok: true }));
    const bare = createRuntime(makeApi({}, [site]), { fetch: f.fetch });
    const err = (await errorOf(bare.call("getSite"))) as RequestValidationError;
    expect(err).toBeInstanceOf(RequestValidationError);
    expect(err.issues).toEqual([
      { field: "path.siteNumber", rule: "required", message: "is required (or set `config.siteNumber` on the client)" },
    ]);
    expect(f.mock).not.toHaveBeenCalled();

    const configured = createRuntime(makeApi({}, [site]), { fetch: f.fetch, config: { siteNumber: 42 } });
    await configured.call("getSite");
    expect(f.requests[0].url).toBe("https://api.example.test/v1/sites/42");
  });
});
