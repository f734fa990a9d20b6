/** Type tests for @activation-kit/contacthub (see releva.types.ts for how they are checked). */
import {
  existingCustomerOf,
  isConflictError,
  isErrorOf,
  RateLimitError,
  type BulkJob,
  type ContacthubClient,
  type ContacthubConflictBody,
  type CreateCustomerParams,
  type CreateCustomerResult,
  type Customer,
  type ErrorBody,
  type GetCustomerParams,
} from "@activation-kit/contacthub";
import { expectTypeOf } from "vitest";

declare const contacthub: ContacthubClient;

// Correct calls compile; `workspaceId` is filled from the client's configuration.
const created = await contacthub.customers.createCustomer({
  body: { nodeId: "node-1", base: { firstName: "Ana", contacts: { email: "ana@example.com" } }, tags: { manual: ["vip"] } },
});
expectTypeOf(created).toEqualTypeOf<CreateCustomerResult>();
const customer = await contacthub.customers.getCustomer({ path: { customerId: "9d1f6f0c-3b4e-4f6a-9a53-2b1c9ad0e4f7" } });
expectTypeOf(customer).toEqualTypeOf<Customer>();
await contacthub.events.createEvent({ body: { customerId: "c-1", type: "viewedPage", context: "WEB", properties: { url: "https://example.com" } } });
for await (const job of contacthub.bulkJobs.listBulkJobsAll({ path: { nodeId: "node-1" } })) expectTypeOf(job).toEqualTypeOf<BulkJob>();

// Common mistakes fail to compile.
// @ts-expect-error TS2741 missing required path parameter (customerId)
await contacthub.customers.getCustomer({ path: {} });
// @ts-expect-error TS2561 misspelt field in an open object (firstNmae in base)
await contacthub.customers.createCustomer({ body: { nodeId: "node-1", base: { firstNmae: "Ana" } } });
// @ts-expect-error TS2322 wrong field type (nodeId is a string)
await contacthub.customers.createCustomer({ body: { nodeId: 1 } });
// @ts-expect-error TS2820 wrong enum literal (event context; TypeScript suggests "WEB")
await contacthub.events.createEvent({ body: { customerId: "c-1", type: "viewedPage", context: "web", properties: {} } });
// @ts-expect-error TS2345 missing required body
await contacthub.customers.createCustomer({});

expectTypeOf(contacthub.customers.getCustomer).parameter(0).toEqualTypeOf<GetCustomerParams>();
expectTypeOf(contacthub.customers.createCustomer).parameter(0).toEqualTypeOf<CreateCustomerParams>();

// Typed error bodies: the documented 409 body is the conflict body, the same type the hand-written helper uses.
declare const caught: unknown;
if (isErrorOf(caught, "createCustomer", 409)) {
  expectTypeOf(caught.body).toEqualTypeOf<ContacthubConflictBody>();
  expectTypeOf(caught.body.data).toEqualTypeOf<{ customer?: { id: string; href?: string } } | undefined>();
}
if (isErrorOf(caught, "getCustomer", 404)) expectTypeOf(caught.body).toEqualTypeOf<ErrorBody>();
if (caught instanceof RateLimitError && isErrorOf(caught, "createCustomer", 429)) expectTypeOf(caught.body.message).toBeString();
if (isConflictError(caught)) expectTypeOf(existingCustomerOf(caught)).toEqualTypeOf<{ id: string; href?: string } | undefined>();
// @ts-expect-error TS2345 a status the operation does not document (getCustomer has no 409)
isErrorOf(caught, "getCustomer", 409);
