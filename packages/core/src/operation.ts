/**
 * The shape of the tables the generator writes for each spec (`src/generated/operations.ts`). The runtime
 * reads policy from here, never from vendor code.
 */
import type { RateLimitCost } from "./rate-limit.js";
import type { RuntimePolicy } from "./retry.js";
import type { LazySchema, Schema } from "./validator.js";

/** Omitted fields take OpenAPI's defaults (the generator leaves them out to keep the tables small). */
export interface QueryParamSpec {
  name: string;
  /** OpenAPI `style` (`form`, `spaceDelimited`, `pipeDelimited`, `deepObject`); default `form`. */
  style?: string;
  /** Default: true for `form`, else false. */
  explode?: boolean;
  /** The value is a JSON document (`content: application/json`): serialise with JSON.stringify. */
  json?: boolean;
}

export interface PathParamSpec {
  name: string;
  /** Filled from this client configuration key when the caller leaves it out (`x-client-config`). */
  clientConfig?: string;
}

export type PaginationSpec =
  | { style: "page"; pageParam: string; sizeParam: string; itemsField: string; pageInfoField?: string; maxItems?: number }
  | { style: "skipTake"; skipParam: string; takeParam: string; itemsField: string; maxTake?: number }
  | { style: "offset"; offsetParam: string; nextOffsetField: string; itemsField: string };

/** An operation's table entry. Optional fields are left out when they hold the default (false, "documented", []). */
export interface OperationSpec {
  operationId: string;
  method: "get" | "put" | "post" | "delete" | "patch" | "head" | "options";
  path: string;
  tag: string;
  summary: string;
  deprecated?: boolean;
  provenance?: "documented" | "inferred";
  /** Safe to send again (retries); from `x-idempotent` or the method. */
  idempotent: boolean;
  rateLimitCost?: RateLimitCost;
  pagination?: PaginationSpec;
  /** Media type of the request body (`application/json;charset=utf-8`, `multipart/form-data` …). */
  requestMediaType?: string;
  /** Largest serialised JSON body the vendor accepts, in bytes (`x-max-body-bytes`). */
  maxBodyBytes?: number;
  /** How the success body is read. */
  parseAs: "json" | "text" | "blob" | "stream";
  successStatuses: number[];
  /**
   * Media types each documented success status answers with (`{"200": ["application/json"], "204": []}`), so a
   * body the operation does not document (an HTML page, an empty body) is reported instead of misread.
   */
  responseMediaTypes?: Record<string, string[]>;
  errorStatuses: number[];
  /** Security scheme names that apply; empty = the operation takes no credentials. */
  security: string[];
  pathParams?: PathParamSpec[];
  queryParams?: QueryParamSpec[];
  headerParams?: string[];
  /** Vendor extensions on the operation not interpreted above. */
  extensions?: Record<string, unknown>;
  /**
   * The request as one object `{path?, query?, header?, body?}` (see validation.ts). Generated operations always
   * carry one (a `LazySchema`, parsed on the first call that validates); without it only `maxBodyBytes` is checked.
   */
  requestSchema?: Schema | LazySchema;
}

export interface ServerSpec {
  url: string;
  description?: string;
  variables?: Record<string, { default: string; enum?: string[]; description?: string }>;
}

export interface ApiSpec {
  slug: string;
  title: string;
  version: string;
  servers: ServerSpec[];
  securitySchemes: Record<string, { type: string; scheme?: string; in?: string; name?: string }>;
  policy: RuntimePolicy;
}

