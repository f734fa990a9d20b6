/**
 * Type helpers the generated clients use to derive, from openapi-typescript's `operations` types, the
 * parameters of a by-name call and the body it resolves to.
 */

type NonNever<T> = [T] extends [never] ? false : T extends undefined ? false : true;
type HasRequired<T> = {} extends T ? false : true;

/** Makes the keys in `Filled` optional (parameters the client fills from its configuration). */
type Fillable<T, Filled extends string> = Omit<T, Filled & keyof T> & Partial<Pick<T, Filled & keyof T>>;

type Part<Key extends string, T> = NonNever<T> extends true
  ? HasRequired<NonNullable<T>> extends true
    ? { [K in Key]: NonNullable<T> }
    : { [K in Key]?: NonNullable<T> }
  : { [K in Key]?: never };

type ParamsOf<Op> = Op extends { parameters: infer P } ? P : {};
type Sub<P, K extends string> = P extends { [Q in K]?: infer X } ? X : never;

type BodyPart<Op> = Op extends { requestBody: { content: infer C } }
  ? { body: C[keyof C] }
  : Op extends { requestBody?: { content: infer C } }
    ? { body?: C[keyof C] }
    : { body?: never };

/** Parameters of a by-name call: `{path, query, header, body}` as the operation needs them. */
export type OperationParams<Op, Filled extends string = never> = Part<"path", Fillable<NonNullable<Sub<ParamsOf<Op>, "path">>, Filled>> &
  Part<"query", Sub<ParamsOf<Op>, "query">> &
  Part<"header", Sub<ParamsOf<Op>, "header">> &
  BodyPart<Op>;

type SuccessCode = 200 | 201 | 202 | 203 | 204 | 205 | 206 | 207 | 208 | 226 | "2XX";
type ContentOf<R> = R extends { content: infer C } ? ([keyof C] extends [never] ? undefined : C[keyof C]) : undefined;
type ResponsesOf<Op> = Op extends { responses: infer Rs } ? Rs : {};

/** The body a successful call resolves to (`undefined` for 204 / no content). */
export type OperationResult<Op> = Op extends { responses: infer Rs }
  ? { [K in keyof Rs & SuccessCode]: ContentOf<Rs[K]> }[keyof Rs & SuccessCode]
  : never;

/**
 * The HTTP statuses (4xx and 5xx) an operation documents an error response for, as number literals:
 * `400 | 401 | 403 | 404 | 429 | 500`. A spec's range (`4XX`) or `default` response admits any status of
 * that range (`number`).
 */
export type OperationErrorStatus<Op> = {
  [K in keyof ResponsesOf<Op>]: K extends number
    ? `${K}` extends `4${string}` | `5${string}`
      ? K
      : never
    : K extends "4XX" | "5XX" | "default"
      ? number
      : never;
}[keyof ResponsesOf<Op>];

/** The documented error body for one status, or the union over all error statuses when `S` is left out. */
export type OperationErrorBody<Op, S extends number = OperationErrorStatus<Op>> = S extends unknown
  ? ContentOf<ErrorResponseFor<ResponsesOf<Op>, S>>
  : never;

// Exact status first, then its range (`4XX`), then `default`; `never` (no body type) when none applies.
type ErrorResponseFor<Rs, S extends number> = S extends keyof Rs
  ? Rs[S]
  : RangeOf<S> extends keyof Rs
    ? Rs[RangeOf<S>]
    : "default" extends keyof Rs
      ? Rs["default"]
      : number extends S
        ? { [K in keyof Rs]: K extends SuccessCode ? never : Rs[K] }[keyof Rs]
        : never;
type RangeOf<S extends number> = `${S}` extends `4${string}` ? "4XX" : `${S}` extends `5${string}` ? "5XX" : never;

/** Element type of the list field `Field` of an operation's success body. */
export type PageItem<Op, Field extends string> = OperationResult<Op> extends infer R
  ? R extends { [K in Field]?: infer L }
    ? L extends readonly (infer I)[] | undefined
      ? I
      : never
    : R extends readonly (infer I)[]
      ? I
      : never
  : never;

/** True when every member of `T` is optional, so `params` may be left out. */
export type ParamsOptional<T> = {} extends T ? true : false;
