import { describe, expect, it } from "vitest";
import { RequestValidationError } from "../src/errors.js";
import type { AjvLikeError } from "../src/operation.js";
import { createRuntime } from "../src/runtime.js";
import { fieldName, issuesFrom, validateRequest } from "../src/validation.js";
import { errorOf, json, makeApi, op, scriptedFetch } from "./helpers.js";

const PROFILE = "#/properties/body/properties/profiles/items/properties/profile";

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

describe("issuesFrom", () => {
  it("pattern: names the field and the rule", () => {
    const errors: AjvLikeError[] = [
      {
        instancePath: "/body/profiles/0/profile/phoneNumber",
        schemaPath: `${PROFILE}/properties/phoneNumber/pattern`,
        keyword: "pattern",
        params: { pattern: "^\\+[0-9]+$" },
        message: 'must match pattern "^\\+[0-9]+$"',
      },
    ];
    expect(issuesFrom(errors)).toEqual([
      { field: "body.profiles[0].profile.phoneNumber", rule: "pattern ^\\+[0-9]+$", message: "must match ^\\+[0-9]+$" },
    ]);
  });

  it("required: the missing property joins the field", () => {
    const errors: AjvLikeError[] = [
      { instancePath: "/body/profiles/0", schemaPath: "#/.../required", keyword: "required", params: { missingProperty: "profile" } },
      { instancePath: "", schemaPath: "#/required", keyword: "required", params: { missingProperty: "body" } },
    ];
    expect(issuesFrom(errors)).toEqual([
      { field: "body.profiles[0].profile", rule: "required", message: "is required" },
      { field: "body", rule: "required", message: "is required" },
    ]);
  });

  it("additionalProperties: names the unknown key", () => {
    const errors: AjvLikeError[] = [
      {
        instancePath: "/body/profiles/0/profile",
        schemaPath: `${PROFILE}/additionalProperties`,
        keyword: "additionalProperties",
        params: { additionalProperty: "phone_number" },
        message: "must NOT have additional properties",
      },
      {
        instancePath: "/body",
        schemaPath: "#/properties/body/additionalProperties",
        keyword: "additionalProperties",
        params: { additionalProperty: "x-y" },
      },
    ];
    const issues = issuesFrom(errors);
    expect(issues[0]).toEqual({
      field: "body.profiles[0].profile.phone_number",
      rule: "additionalProperties false",
      message: "is not a known field here (unknown fields are rejected, not dropped)",
    });
    expect(issues[1].field).toBe('body["x-y"]');
  });

  it("an anyOf of required branches folds into one issue", () => {
    const errors: AjvLikeError[] = [
      {
        instancePath: "/body/profiles/0/profile",
        schemaPath: `${PROFILE}/anyOf/0/required`,
        keyword: "required",
        params: { missingProperty: "email" },
      },
      {
        instancePath: "/body/profiles/0/profile",
        schemaPath: `${PROFILE}/anyOf/1/required`,
        keyword: "required",
        params: { missingProperty: "phoneNumber" },
      },
      {
        instancePath: "/body/profiles/0/profile",
        schemaPath: `${PROFILE}/anyOf`,
        keyword: "anyOf",
        params: {},
        message: "must match a schema in anyOf",
      },
    ];
    expect(issuesFrom(errors)).toEqual([
      {
        field: "body.profiles[0].profile",
        rule: "anyOf required email | phoneNumber",
        message: "needs at least one of: email, phoneNumber",
      },
    ]);
  });

  it("an anyOf of shapes names the closest branch; unrelated errors stay separate", () => {
    const errors: AjvLikeError[] = [
      { instancePath: "/body/id", schemaPath: "#/properties/body/properties/id/anyOf/0/type", keyword: "type", params: { type: "string" } },
      { instancePath: "/body/id", schemaPath: "#/properties/body/properties/id/anyOf/1/type", keyword: "type", params: { type: "integer" } },
      { instancePath: "/body/id", schemaPath: "#/properties/body/properties/id/anyOf", keyword: "anyOf", params: {} },
      { instancePath: "/query/size", schemaPath: "#/properties/query/properties/size/maximum", keyword: "maximum", params: { limit: 100 }, message: "must be <= 100" },
      { instancePath: "/query/sort", schemaPath: "#/properties/query/properties/sort/enum", keyword: "enum", params: { allowedValues: ["asc", "desc"] } },
    ];
    const issues = issuesFrom(errors);
    expect(issues).toHaveLength(3);
    expect(issues[0]).toEqual({ field: "body.id", rule: "anyOf", message: "matches none of the allowed shapes (closest: body.id: must be string)" });
    expect(issues[1]).toEqual({ field: "query.size", rule: "maximum 100", message: "must be <= 100" });
    expect(issues[2]).toEqual({ field: "query.sort", rule: 'enum "asc" | "desc"', message: 'must be one of "asc", "desc"' });
  });

  it("oneOf matching several shapes, and duplicate errors reported once", () => {
    const errors: AjvLikeError[] = [
      { instancePath: "/body", schemaPath: "#/properties/body/oneOf", keyword: "oneOf", params: { passingSchemas: [0, 1] } },
      { instancePath: "/body/n", schemaPath: "#/a/type", keyword: "type", params: { type: "number" } },
      { instancePath: "/body/n", schemaPath: "#/b/type", keyword: "type", params: { type: "number" } },
    ];
    expect(issuesFrom(errors)).toEqual([
      { field: "body", rule: "oneOf", message: "matches more than one of the allowed shapes" },
      { field: "body.n", rule: "type number", message: "must be number" },
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
