/**
 * Typed errors. Every error the SDK throws extends `ActivationKitError`, so callers can catch one class;
 * HTTP failures extend `ActivationApiError` and carry what a caller needs to act on them (status, the vendor's
 * typed body, headers, request id and the request without credentials).
 */

/** The request as it was sent, minus credentials: enough for a caller to store and replay it. */
export interface SentRequest {
  method: string;
  /** Absolute URL without userinfo and without credential-like query parameters. */
  url: string;
  /** The serialised body, when it was text (JSON or form); `undefined` otherwise. */
  body?: string;
  operationId?: string;
}

const inspectCustom = Symbol.for("nodejs.util.inspect.custom");

export class ActivationKitError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  /**
   * What `console.log(err)` / `util.inspect(err)` show: the message, then the request (method, redacted URL,
   * operation), status, request id and number of attempts as plain values, never getters or credentials.
   */
  [inspectCustom](_depth: number, _options: unknown, inspect?: (value: unknown, options?: unknown) => string): string {
    const details: Record<string, unknown> = {};
    for (const key of ["operationId", "status", "requestId", "attempts", "timeoutMs", "resultCode", "issues"] as const) {
      const value = (this as Record<string, unknown>)[key];
      if (value !== undefined) details[key] = value;
    }
    const request = (this as { request?: SentRequest }).request;
    if (request) details.request = { method: request.method, url: request.url, operationId: request.operationId };
    const body = (this as { body?: unknown }).body;
    if (body !== undefined) details.body = body;
    const cause = (this as { cause?: unknown }).cause;
    if (cause !== undefined) details.cause = cause instanceof Error ? `${cause.name}: ${cause.message}` : cause;
    const show = inspect ?? ((v: unknown) => JSON.stringify(v, null, 2));
    return `${this.stack ?? `${this.name}: ${this.message}`} ${show(details, { depth: 6 })}`;
  }

  /** Plain data for JSON logs: name, message and the same details as the inspect view. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, message: this.message };
    for (const key of ["operationId", "status", "requestId", "attempts", "timeoutMs", "resultCode", "issues", "request", "body"]) {
      const value = (this as Record<string, unknown>)[key];
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
}

export interface ApiErrorInit<Body> {
  status: number;
  body: Body;
  headers: Headers;
  request: SentRequest;
  message?: string;
  /** Attempts the call made, retries included. */
  attempts?: number;
}

/** A response with a non-success status (or a vendor envelope that reports failure). */
export class ActivationApiError<Body = unknown> extends ActivationKitError {
  readonly status: number;
  /** The vendor's error body, parsed as JSON when it was JSON. */
  readonly body: Body;
  readonly headers: Headers;
  /** The vendor's request id (`x-request-id`, `request-id`, `x-correlation-id`), when it sent one. */
  readonly requestId: string | undefined;
  readonly request: SentRequest;
  /** Attempts the call made before this error, retries included. */
  readonly attempts: number;

  constructor(init: ApiErrorInit<Body>) {
    super(init.message ?? describeApiError(init.status, init.body, init.request) + attemptsText(init.attempts ?? 1));
    this.attempts = init.attempts ?? 1;
    this.status = init.status;
    this.body = init.body;
    this.headers = init.headers;
    this.request = init.request;
    this.requestId =
      init.headers.get("x-request-id") ??
      init.headers.get("request-id") ??
      init.headers.get("x-correlation-id") ??
      undefined;
  }
}

export class BadRequestError<Body = unknown> extends ActivationApiError<Body> {}
export class AuthenticationError<Body = unknown> extends ActivationApiError<Body> {}
export class PermissionDeniedError<Body = unknown> extends ActivationApiError<Body> {}
export class NotFoundError<Body = unknown> extends ActivationApiError<Body> {}
export class ConflictError<Body = unknown> extends ActivationApiError<Body> {}
export class UnprocessableEntityError<Body = unknown> extends ActivationApiError<Body> {}
export class RateLimitError<Body = unknown> extends ActivationApiError<Body> {}
export class InternalServerError<Body = unknown> extends ActivationApiError<Body> {}

/** Builds the error class that matches an HTTP status. */
export function apiErrorFor<Body>(init: ApiErrorInit<Body>): ActivationApiError<Body> {
  const s = init.status;
  if (s === 400) return new BadRequestError(init);
  if (s === 401) return new AuthenticationError(init);
  if (s === 403) return new PermissionDeniedError(init);
  if (s === 404) return new NotFoundError(init);
  if (s === 409) return new ConflictError(init);
  if (s === 422) return new UnprocessableEntityError(init);
  if (s === 429) return new RateLimitError(init);
  if (s >= 500) return new InternalServerError(init);
  return new ActivationApiError(init);
}

function describeApiError(status: number, body: unknown, request: SentRequest): string {
  const op = request.operationId ? ` (${request.operationId})` : "";
  let detail = "";
  if (body && typeof body === "object") {
    const b = body as Record<string, unknown>;
    const text = b.message ?? b.error ?? b.detail;
    if (typeof text === "string") detail = `: ${text}`;
  } else if (typeof body === "string" && body.length > 0) {
    detail = `: ${body.slice(0, 200)}`;
  }
  return `${status} from ${request.method} ${request.url}${op}${detail}`;
}

/** The request never got a response: DNS, refused connection, reset, TLS. */
export class ConnectionError extends ActivationKitError {
  readonly request: SentRequest;
  readonly attempts: number;
  constructor(request: SentRequest, cause: unknown, attempts = 1) {
    super(`Connection error on ${request.method} ${request.url}${opText(request)}: ${causeText(cause)}${attemptsText(attempts)}`, { cause });
    this.request = request;
    this.attempts = attempts;
  }
}

/**
 * An attempt took longer than `timeoutMs` (headers and body), or the whole call, retries and back-off included,
 * took longer than `totalTimeoutMs` (`scope: "call"`).
 */
export class TimeoutError extends ActivationKitError {
  readonly request: SentRequest;
  readonly timeoutMs: number;
  readonly scope: "attempt" | "call";
  readonly attempts: number;
  constructor(request: SentRequest, timeoutMs: number, attempts = 1, scope: "attempt" | "call" = "attempt") {
    super(
      `${request.method} ${request.url}${opText(request)} timed out after ${timeoutMs} ms` +
        `${scope === "call" ? " (totalTimeoutMs, retries included)" : ""}${attemptsText(attempts)}`,
    );
    this.request = request;
    this.timeoutMs = timeoutMs;
    this.scope = scope;
    this.attempts = attempts;
  }
}

/** The caller's `AbortSignal` fired. */
export class AbortError extends ActivationKitError {
  readonly request: SentRequest;
  readonly attempts: number;
  constructor(request: SentRequest, reason?: unknown, attempts = 0) {
    super(`${request.method} ${request.url}${opText(request)} was aborted${reason === undefined ? "" : `: ${causeText(reason)}`}`, {
      cause: reason,
    });
    this.request = request;
    this.attempts = attempts;
  }
}

/**
 * The client refuses to send because an earlier response said to stop (for example Relay42's 401/403, which
 * lock the account when repeated). `reset()` on the client closes the circuit again.
 */
export class CircuitOpenError extends ActivationKitError {
  readonly cause: ActivationApiError;
  readonly request: SentRequest;
  /** Attempts this call made before the circuit stopped it (0 when it opened before the call started). */
  readonly attempts: number;
  constructor(request: SentRequest, cause: ActivationApiError, attempts = 0) {
    super(
      `Not sent: ${request.method} ${request.url}. The client stopped after a ${cause.status} response and stays ` +
        `stopped until you call client.resetCircuit() (repeated failures can lock the account).`,
      { cause },
    );
    this.cause = cause;
    this.request = request;
    this.attempts = attempts;
  }
}

/** One reason why input was rejected before sending. */
export interface ValidationIssue {
  /** Where, in call terms: `body.profiles[0].profile.phoneNumber`, `query.size`, `path.siteNumber`. */
  field: string;
  /** The rule, as the schema states it: `pattern ^\+[0-9]+$`, `maxLength 255`, `required`, `enum a|b`. */
  rule: string;
  message: string;
}

/** Input rejected before anything was sent, naming each field and the rule it breaks. */
export class RequestValidationError extends ActivationKitError {
  readonly operationId: string;
  readonly issues: readonly ValidationIssue[];
  constructor(operationId: string, issues: ValidationIssue[]) {
    const lines = issues.map((i) => `  - ${i.field}: ${i.message} (rule: ${i.rule})`);
    super(`Invalid request for ${operationId}, nothing was sent:\n${lines.join("\n")}`);
    this.operationId = operationId;
    this.issues = issues;
  }
}

/**
 * A client option or call option that cannot work: a plain-HTTP base URL to a remote host, a missing or empty
 * credential, an unknown retry policy.
 */
export class ConfigurationError extends ActivationKitError {}

/**
 * A response the client cannot read as the operation documents it: malformed or truncated JSON, an empty body
 * where the operation declares one, or a media type it does not declare (an HTML page from a captive proxy on a
 * 200). Carries the status, operation, request id and the first characters of the body (credentials redacted).
 */
export class ResponseParseError extends ActivationApiError<string> {
  /** The response's media type, as sent. */
  readonly contentType: string | undefined;
  constructor(init: ApiErrorInit<string> & { contentType: string | undefined; reason: string; cause?: unknown }) {
    super({
      ...init,
      message:
        `${init.status} from ${init.request.method} ${init.request.url}${opText(init.request)} could not be read: ${init.reason}` +
        `${init.body ? ` (body starts: ${JSON.stringify(init.body.slice(0, 120))})` : ""}`,
    });
    this.contentType = init.contentType;
    if (init.cause !== undefined) Object.defineProperty(this, "cause", { value: init.cause, enumerable: false, configurable: true });
  }
}

/**
 * `validateResponses: "throw"`: a success body that does not match the operation's documented response schema
 * (the vendor changed its API). `body` is the parsed body, kept so the caller can still use it.
 */
export class ResponseValidationError<Body = unknown> extends ActivationApiError<Body> {
  readonly operationId: string;
  readonly issues: readonly ValidationIssue[];
  constructor(init: ApiErrorInit<Body> & { operationId: string; issues: ValidationIssue[] }) {
    const lines = init.issues.map((i) => `  - ${i.field}: ${i.message} (rule: ${i.rule})`);
    super({
      ...init,
      message: `The ${init.status} response of ${init.operationId} does not match its documented schema:\n${lines.join("\n")}`,
    });
    this.operationId = init.operationId;
    this.issues = init.issues;
  }
}

function opText(request: SentRequest): string {
  return request.operationId ? ` (${request.operationId})` : "";
}

function attemptsText(attempts: number): string {
  return attempts > 1 ? ` after ${attempts} attempts` : "";
}

function causeText(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    const code = inner && typeof inner === "object" && "code" in inner ? ` (${String((inner as { code: unknown }).code)})` : "";
    return `${cause.message}${code}`;
  }
  return String(cause);
}
