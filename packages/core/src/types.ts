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

type SuccessCode = 200 | 201 | 202 | 203 | 204 | 206 | "2XX";
type ContentOf<R> = R extends { content: infer C } ? ([keyof C] extends [never] ? undefined : C[keyof C]) : undefined;

/** The body a successful call resolves to (`undefined` for 204 / no content). */
export type OperationResult<Op> = Op extends { responses: infer Rs }
  ? { [K in keyof Rs & SuccessCode]: ContentOf<Rs[K]> }[keyof Rs & SuccessCode]
  : never;

/** The error bodies the operation declares (4xx/5xx), as a union. */
export type OperationErrorBody<Op> = Op extends { responses: infer Rs }
  ? { [K in Exclude<keyof Rs, SuccessCode>]: ContentOf<Rs[K]> }[Exclude<keyof Rs, SuccessCode>]
  : never;

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
