/**
 * Every operation of every spec, called by name through its generated client against a real Prism mock of the
 * same spec: the success path (response checked against the spec, no Prism violation) and every documented
 * error status (forced with `Prefer: code=NNN`) surfacing as the matching typed error. Prints
 * `contract coverage <vendor>: X/Y operations` and fails when X < Y.
 */
import {
  ActivationApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from "@activation-kit/core";
import { afterAll, describe, expect, inject, it } from "vitest";
import { specSlugs } from "../harness/global-setup.js";
import { recordingFetch, testTransport } from "../harness/recording-fetch.js";
import { camel, loadSpec } from "../harness/spec.js";
import { clientFactories } from "../harness/vendors.js";

function expectedErrorClass(status: number): Function {
  if (status === 400) return BadRequestError;
  if (status === 401) return AuthenticationError;
  if (status === 403) return PermissionDeniedError;
  if (status === 404) return NotFoundError;
  if (status === 409) return ConflictError;
  if (status === 422) return UnprocessableEntityError;
  if (status === 429) return RateLimitError;
  if (status >= 500) return InternalServerError;
  return ActivationApiError;
}

describe.each(specSlugs())("contract %s", (slug) => {
  const spec = loadSpec(slug);
  const passed = new Map<string, { success: boolean; errors: boolean }>();
  const mark = (id: string, part: "success" | "errors") => passed.set(id, { ...(passed.get(id) ?? { success: false, errors: false }), [part]: true });

  function client() {
    const port = inject("prismPorts")[slug];
    const rec = recordingFetch();
    // No retries: a forced 429/503 must surface at once.
    const c = clientFactories[slug]({ baseUrl: `http://127.0.0.1:${port}`, ...rec.client, maxRetries: 0, validateResponses: "throw" });
    return { c, rec };
  }

  function method(c: Record<string, any>, tag: string, operationId: string) {
    const fn = c[camel(tag)]?.[operationId];
    if (typeof fn !== "function") throw new Error(`client.${camel(tag)}.${operationId} is not generated`);
    return fn as (params: unknown, options?: unknown) => Promise<unknown>;
  }

  it.each(spec.operations.map((o) => [o.operationId, o] as const))("%s: success response matches the spec", async (id, o) => {
    const { c, rec } = client();
    const data = await method(c, o.tag, id)(spec.exampleParams(o));
    expect(rec.exchanges).toHaveLength(1);
    const [ex] = rec.exchanges;
    expect(ex.violations, `Prism reported a violation: ${ex.violations}`).toBeUndefined();
    expect(o.successStatuses).toContain(ex.status);
    expect(spec.checkResponse(o, ex.status, data)).toEqual([]);
    mark(id, "success");
  });

  it.each(spec.operations.map((o) => [o.operationId, o] as const))("%s: each documented error status is a typed error", async (id, o) => {
    const { c, rec } = client();
    expect(o.errorStatuses.length).toBeGreaterThan(0);
    for (const status of o.errorStatuses) {
      const error = await method(c, o.tag, id)(spec.exampleParams(o), { headers: { prefer: `code=${status}` } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, `status ${status}`).toBeInstanceOf(ActivationApiError);
      const apiError = error as ActivationApiError;
      expect(apiError.constructor, `status ${status}`).toBe(expectedErrorClass(status));
      expect(apiError.status).toBe(status);
      expect(apiError.request.operationId).toBe(id);
      expect(spec.checkResponse(o, status, apiError.body), `error body of ${status}`).toEqual([]);
      // Statuses the spec declares circuit-breaking (Relay42: 401/403) must open the circuit; reset for the next.
      const runtime = c.runtime as unknown as { spec: { policy: { circuitBreakerStatuses?: number[] } }; circuitOpenedBy?: ActivationApiError };
      const breaks = runtime.spec.policy.circuitBreakerStatuses?.includes(status) ?? false;
      expect(runtime.circuitOpenedBy?.status).toBe(breaks ? status : undefined);
      (c.resetCircuit as () => void)();
    }
    expect(rec.exchanges.map((e) => e.violations).filter(Boolean)).toEqual([]);
    expect(rec.exchanges.map((e) => e.status)).toEqual(o.errorStatuses);
    mark(id, "errors");
  });

  afterAll(() => {
    const covered = spec.operations.filter((o) => passed.get(o.operationId)?.success && passed.get(o.operationId)?.errors).length;
    console.log(`contract coverage ${slug} (${testTransport} transport): ${covered}/${spec.operations.length} operations`);
    expect(covered, `contract coverage ${slug}`).toBe(spec.operations.length);
  });
});
