/**
 * 409 Conflict on customer creation: Contacthub answers with a body that references the customer that
 * already has the same unique properties. These helpers turn that into a typed value, so "create or reuse"
 * needs no body spelunking.
 */
import { ConflictError } from "@activation-kit/core";
import type { components } from "./generated/types.js";

/** The 409 body: the usual error fields, plus `data.customer` on customer creation. */
export type ContacthubConflictBody = components["schemas"]["ConflictBody"];

/** A core ConflictError whose body is typed as Contacthub's 409 body. */
export type ContacthubConflictError = ConflictError<ContacthubConflictBody>;

export interface ExistingCustomer {
  id: string;
  /** Absolute URL of the existing customer, when Contacthub sent one. */
  href?: string;
}

/** True for a 409 from a Contacthub call; narrows `err.body` to {@link ContacthubConflictBody}. */
export function isConflictError(err: unknown): err is ContacthubConflictError {
  return err instanceof ConflictError;
}

/**
 * The customer a 409 says already exists, or `undefined` when `err` is not such a conflict.
 *
 * ```ts
 * try { customer = await ch.customers.createCustomer({ body }); }
 * catch (e) { const existing = existingCustomerOf(e); if (!existing) throw e; customer = await ch.customers.getCustomer({ path: { customerId: existing.id } }); }
 * ```
 */
export function existingCustomerOf(err: unknown): ExistingCustomer | undefined {
  if (!isConflictError(err)) return undefined;
  const body = err.body as ContacthubConflictBody | undefined;
  const customer = body && typeof body === "object" ? body.data?.customer : undefined;
  if (!customer || typeof customer.id !== "string") return undefined;
  return typeof customer.href === "string" ? { id: customer.id, href: customer.href } : { id: customer.id };
}
