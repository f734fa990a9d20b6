/**
 * `validateResponses` wired through a client: off (the default) never loads the schemas; "warn" logs the
 * fields and rules that differ (no values); "throw" raises ResponseValidationError carrying the parsed body.
 */
import { describe, expect, it, vi } from "vitest";
import { ActivationApiError, ResponseValidationError } from "../src/errors.js";
import { createRuntime } from "../src/runtime.js";
import type { ResponseSchemas } from "../src/validation.js";
import { errorOf, json, makeApi, scriptedFetch } from "./helpers.js";

const schemas: ResponseSchemas = {
  getThing: { "200": { type: "object", required: ["id"], properties: { id: { type: "string" }, email: { type: "string" } } } },
};

function api() {
  const a = makeApi();
  const load = vi.fn(async () => schemas);
  return { api: { ...a, loadResponseSchemas: load }, load };
}

describe("validateResponses", () => {
  it("off (default): the schemas are never loaded, the body is returned as is", async () => {
    const { api: generated, load } = api();
    const rt = createRuntime(generated, { fetch: scriptedFetch(json(200, { email: 1 })).fetch });
    await expect(rt.call("getThing", { path: { id: "a" } })).resolves.toEqual({ email: 1 });
    expect(load).not.toHaveBeenCalled();
  });

  it('"throw": a body that breaks the documented schema is a ResponseValidationError with the parsed body', async () => {
    const { api: generated, load } = api();
    const rt = createRuntime(generated, { fetch: scriptedFetch(json(200, { email: 1 })).fetch, validateResponses: "throw" });
    const err = (await errorOf(rt.call("getThing", { path: { id: "a" } }))) as ResponseValidationError;
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect(err).toBeInstanceOf(ActivationApiError);
    expect(err.body).toEqual({ email: 1 });
    expect(err.operationId).toBe("getThing");
    expect(err.issues.map((i) => [i.field, i.rule])).toEqual([
      ["body.id", "required"],
      ["body.email", "type string"],
    ]);
    // A conforming body passes; the schemas were loaded once per client api.
    const ok = createRuntime(generated, { fetch: scriptedFetch(json(200, { id: "a" })).fetch, validateResponses: "throw" });
    await expect(ok.call("getThing", { path: { id: "a" } })).resolves.toEqual({ id: "a" });
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('"warn": logs the operation, fields and rules, never the values, and returns the body', async () => {
    const { api: generated } = api();
    const warn = vi.fn();
    const rt = createRuntime(generated, {
      fetch: scriptedFetch(json(200, { email: "ana@example.com" })).fetch,
      validateResponses: "warn",
      logger: { debug() {}, info() {}, warn, error() {} },
    });
    await expect(rt.call("getThing", { path: { id: "a" } })).resolves.toEqual({ email: "ana@example.com" });
    expect(warn).toHaveBeenCalledTimes(1);
    const [message, fields] = warn.mock.calls[0];
    expect(message).toContain("getThing");
    expect(fields).toEqual({ operationId: "getThing", status: 200, issues: [{ field: "body.id", rule: "required" }] });
    expect(JSON.stringify(warn.mock.calls)).not.toContain("ana@example.com");
  });

  it("a per-call option overrides the client's", async () => {
    const { api: generated } = api();
    const rt = createRuntime(generated, { fetch: scriptedFetch(json(200, {})).fetch });
    expect(await errorOf(rt.call("getThing", { path: { id: "a" } }, { validateResponses: "throw" }))).toBeInstanceOf(ResponseValidationError);
  });
});
