/**
 * Shared fixtures for the core runtime tests: a small hand-built generated API (the shape the generator
 * writes in `src/generated/operations.ts`) and a scripted fetch double.
 */
import { vi } from "vitest";
import type { ApiSpec, OperationSpec } from "../src/operation.js";
import type { RuntimePolicy } from "../src/retry.js";
import type { GeneratedApi } from "../src/runtime.js";

export const BASE_URL = "https://api.example.test/v1";

export function op(partial: Partial<OperationSpec> & Pick<OperationSpec, "operationId" | "method" | "path">): OperationSpec {
  return {
    tag: "Test",
    summary: partial.operationId,
    deprecated: false,
    provenance: "documented",
    idempotent: ["get", "head", "put", "delete", "options"].includes(partial.method),
    parseAs: "json",
    successStatuses: [200],
    errorStatuses: [400, 401, 403, 404, 429, 500, 503],
    security: ["bearerAuth"],
    pathParams: [],
    queryParams: [],
    headerParams: [],
    extensions: {},
    ...(partial.method === "post" ? { requestMediaType: "application/json" } : {}),
    ...partial,
  };
}

export const defaultPolicy = (): RuntimePolicy => ({
  retry: {
    maxRetries: 2,
    initialDelayMs: 1000,
    maxDelayMs: 8000,
    jitter: false,
    retryStatuses: [408, 429, 500, 502, 503, 504],
  },
  neverRetryStatuses: [401, 403],
});

export function makeApi(policy: Partial<RuntimePolicy> = {}, extraOps: OperationSpec[] = []): GeneratedApi {
  const spec: ApiSpec = {
    slug: "testvendor",
    title: "Test Vendor API",
    version: "1",
    servers: [{ url: BASE_URL }],
    securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } },
    policy: { ...defaultPolicy(), ...policy },
  };
  const operations: Record<string, OperationSpec> = {
    getThing: op({ operationId: "getThing", method: "get", path: "/things/{id}", pathParams: [{ name: "id" }] }),
    createThing: op({ operationId: "createThing", method: "post", path: "/things" }),
    upsertThings: op({ operationId: "upsertThings", method: "post", path: "/things/upsert", idempotent: true }),
  };
  for (const o of extraOps) operations[o.operationId] = o;
  return { spec, operations };
}

export type Step = Response | Error | ((request: Request) => Response | Promise<Response>);

/** A fetch double that plays `steps` in order (the last one repeats) and records every Request it got. */
export function scriptedFetch(...steps: Step[]) {
  const requests: Request[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    requests.push(request);
    const step = steps[Math.min(requests.length - 1, steps.length - 1)];
    if (step instanceof Error) throw step;
    if (typeof step === "function") return step(request);
    return fresh(step);
  });
  return { fetch: fn as unknown as typeof fetch, mock: fn, requests };
}

/**
 * A new Response with the same status, headers and body text. (Not `clone()`: cancelling one branch of a teed
 * body waits for the other branch, which the script keeps, so a clone's `body.cancel()` would never settle.)
 */
async function fresh(r: Response): Promise<Response> {
  const text = await r.clone().text();
  return new Response(text === "" ? null : text, { status: r.status, statusText: r.statusText, headers: r.headers });
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** Settles a promise into a value or an error, so a rejection is never unhandled while timers advance. */
export function settle<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

export async function errorOf(p: Promise<unknown>): Promise<unknown> {
  const r = await settle(p);
  if (r.ok) throw new Error(`expected a rejection, got ${JSON.stringify(r.value)}`);
  return r.error;
}
