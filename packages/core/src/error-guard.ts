/**
 * Typed access to the error bodies an operation documents. `err.body` of an `ActivationApiError` is `unknown`,
 * because one error class serves every operation of every vendor; each vendor package exports
 * `isErrorOf(err, "<operationId>"[, status])`, this guard typed with its own operations, which narrows `err`
 * to the error of that operation with the body its spec documents for that status:
 *
 *   catch (err) {
 *     if (isErrorOf(err, "upsertProfiles", 400)) console.log(err.body.message); // body typed from the spec
 *     if (isErrorOf(err, "upsertProfiles")) switch (err.status) { case 401: …; case 429: … } // union by status
 *   }
 *
 * At run time the guard checks what the types promise: the error is an `ActivationApiError` from a call of
 * that operation, and its status is one the operation documents (or the status asked for). A status the spec
 * does not document (the vendor's proxy answering 502 with an HTML page) is not matched, so the typed body is
 * never a guess.
 */
import { ActivationApiError } from "./errors.js";
import type { OperationSpec } from "./operation.js";
import type { OperationErrorBody, OperationErrorStatus } from "./types.js";

/** The error of one operation for one documented status: `status` is that literal and `body` its schema. */
export type OperationApiError<Op, S extends number = OperationErrorStatus<Op>> = S extends unknown
  ? ActivationApiError<OperationErrorBody<Op, S>> & { readonly status: S }
  : never;

/**
 * The guard's type for one vendor's `operations` (openapi-typescript's per-operation types). Without a status
 * it narrows to a union discriminated by `status`; with one, to that status's body.
 */
export interface ErrorGuard<Ops> {
  <K extends keyof Ops & string>(error: unknown, operationId: K): error is OperationApiError<Ops[K]>;
  <K extends keyof Ops & string, S extends OperationErrorStatus<Ops[K]>>(
    error: unknown,
    operationId: K,
    status: S,
  ): error is OperationApiError<Ops[K], S>;
}

/** Builds a vendor's guard from its generated operation table (which lists each operation's error statuses). */
export function createErrorGuard<Ops>(
  table: Readonly<Record<string, Pick<OperationSpec, "errorStatuses">>>,
): ErrorGuard<Ops> {
  const guard = (error: unknown, operationId: string, status?: number): boolean => {
    if (!(error instanceof ActivationApiError) || error.request?.operationId !== operationId) return false;
    const documented = table[operationId]?.errorStatuses as readonly (number | string)[] | undefined;
    if (!documented) return false;
    if (status !== undefined && error.status !== status) return false;
    return isDocumented(documented, error.status);
  };
  return guard as ErrorGuard<Ops>;
}

/** A status the operation documents: exactly, by its range (`4XX`), or by a `default` response. */
function isDocumented(documented: readonly (number | string)[], status: number): boolean {
  if (status < 400) return false;
  return documented.includes(status) || documented.includes(`${Math.floor(status / 100)}XX`) || documented.includes("default");
}
