/**
 * Vendors that report failure inside a 200 (Marigold's `result_code`): the spec's `resultEnvelope` policy says
 * which values are success, which are partial success (data returned, per-item errors kept), and anything
 * else throws a typed error carrying the envelope.
 */
import { ActivationApiError, type SentRequest } from "./errors.js";
import type { ResultEnvelopePolicy } from "./retry.js";

/** A 2xx response whose envelope reports failure (`result_code: Failed`, `ValidationFailed`, …). */
export class ResultCodeError<Body = unknown> extends ActivationApiError<Body> {
  readonly resultCode: string;
  constructor(init: { status: number; body: Body; headers: Headers; request: SentRequest; resultCode: string; attempts?: number }) {
    const msg = (init.body as { message?: unknown })?.message;
    super({
      ...init,
      message: `${init.request.method} ${init.request.url}${init.request.operationId ? ` (${init.request.operationId})` : ""} answered ${init.status} with result_code ${init.resultCode}${typeof msg === "string" ? `: ${msg}` : ""}`,
    });
    this.resultCode = init.resultCode;
  }
}

/** `scrub` cleans the body before it goes into the thrown error (the runtime passes its redactor). */
export function checkEnvelope(
  policy: ResultEnvelopePolicy,
  data: unknown,
  response: { status: number; headers: Headers },
  request: SentRequest,
  scrub: (body: unknown) => unknown = (body) => body,
  attempts = 1,
): void {
  if (!data || typeof data !== "object") return;
  const code = (data as Record<string, unknown>)[policy.field];
  if (typeof code !== "string") return;
  if (policy.success.includes(code) || policy.partial?.includes(code)) return;
  throw new ResultCodeError({ status: response.status, body: scrub(data), headers: response.headers, request, resultCode: code, attempts });
}
