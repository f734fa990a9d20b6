import { describe, expect, it } from "vitest";
import { checkEnvelope, ResultCodeError } from "../src/envelope.js";
import { ActivationApiError } from "../src/errors.js";
import type { ResultEnvelopePolicy } from "../src/retry.js";
import { createRuntime } from "../src/runtime.js";
import { errorOf, json, makeApi, scriptedFetch } from "./helpers.js";

const resultEnvelope: ResultEnvelopePolicy = {
  field: "result_code",
  success: ["Succeeded"],
  partial: ["PartiallySucceeded"],
  errorsField: "errors",
};

describe("result envelope", () => {
  it("a 200 with result_code Failed throws ResultCodeError carrying the body", async () => {
    const body = { result_code: "Failed", message: "list does not exist", errors: [{ code: "E1" }] };
    const f = scriptedFetch(json(200, body, { "x-request-id": "env-1" }));
    const rt = createRuntime(makeApi({ resultEnvelope }), { fetch: f.fetch });
    const err = (await errorOf(rt.call("createThing", { body: { name: "x" } }))) as ResultCodeError;
    expect(err).toBeInstanceOf(ResultCodeError);
    expect(err).toBeInstanceOf(ActivationApiError);
    expect(err.status).toBe(200);
    expect(err.resultCode).toBe("Failed");
    expect(err.body).toEqual(body);
    expect(err.requestId).toBe("env-1");
    expect(err.request).toMatchObject({ method: "POST", operationId: "createThing" });
    expect(err.message).toBe(
      "POST https://api.example.test/v1/things (createThing) answered 200 with result_code Failed: list does not exist",
    );
    // A failure inside a 200 is an answer, not a transient error: no retry.
    expect(f.mock).toHaveBeenCalledTimes(1);
  });

  it("PartiallySucceeded resolves with the data (per-item errors kept)", async () => {
    const body = { result_code: "PartiallySucceeded", items: [1], errors: [{ index: 1, code: "E2" }] };
    const rt = createRuntime(makeApi({ resultEnvelope }), { fetch: scriptedFetch(json(200, body)).fetch });
    await expect(rt.call("createThing", { body: {} })).resolves.toEqual(body);
  });

  it("Succeeded resolves, and bodies without the field pass through", async () => {
    const rt = createRuntime(makeApi({ resultEnvelope }), {
      fetch: scriptedFetch(json(200, { result_code: "Succeeded", id: 1 }), json(200, { id: 2 }), json(200, [1, 2])).fetch,
    });
    await expect(rt.call("createThing", { body: {} })).resolves.toEqual({ result_code: "Succeeded", id: 1 });
    await expect(rt.call("createThing", { body: {} })).resolves.toEqual({ id: 2 });
    await expect(rt.call("createThing", { body: {} })).resolves.toEqual([1, 2]);
  });

  it("without the policy a Failed result_code is just data", async () => {
    const rt = createRuntime(makeApi(), { fetch: scriptedFetch(json(200, { result_code: "Failed" })).fetch });
    await expect(rt.call("createThing", { body: {} })).resolves.toEqual({ result_code: "Failed" });
  });

  it("checkEnvelope on its own", () => {
    const res = new Response(null, { status: 200 });
    const req = { method: "GET", url: "https://x.example/a" };
    expect(() => checkEnvelope(resultEnvelope, { result_code: "ValidationFailed" }, res, req)).toThrow(ResultCodeError);
    expect(() => checkEnvelope(resultEnvelope, { result_code: "Succeeded" }, res, req)).not.toThrow();
    expect(() => checkEnvelope(resultEnvelope, { result_code: 3 }, res, req)).not.toThrow();
    expect(() => checkEnvelope(resultEnvelope, "text", res, req)).not.toThrow();
  });
});
