/**
 * @activation-kit/contacthub: typed client for the Contactlab Contacthub API.
 * Operations, types, validators, pagination and retry policy are generated from specs/contacthub/; this file
 * presets the server, the workspace and the bearer token, and adds the Contacthub-specific helpers (bulk-job
 * runs, the resumable update stream, workspace throttling, 409 conflicts).
 */
import {
  createVendorClient,
  type RateLimiter,
  type RequestOptions,
  type VendorClient,
} from "@activation-kit/core";
import { bulkJobHelpers, type BulkJobHelpers } from "./bulk-jobs.js";
import { bindOperations, type ApiOperations } from "./generated/client.js";
import { apiSpec, loadResponseSchemas, operations } from "./generated/operations.js";
import type { paths } from "./generated/types.js";
import { contacthubClientOptions, type ContacthubClientOptions } from "./options.js";
import { updateStreamHelpers, type UpdateStreamHelpers } from "./updates.js";

export interface WorkspaceThrottlingOptions extends Pick<RequestOptions, "signal"> {
  /** Defaults to the client's `workspaceId`. */
  workspaceId?: string;
  /**
   * Requests that may go at once before the steady rate applies. Default 1: never faster than the rate, so a
   * per-minute window on the server can't be overrun by a burst.
   */
  burst?: number;
}

export interface WorkspaceThrottlingLimit {
  /** The workspace's setting; 0 means Contacthub does not throttle it. */
  maxRequestsPerMinute: number;
  /** The limiter now installed on the client (`undefined` when the workspace is not throttled). */
  limiter: RateLimiter | undefined;
}

type Operations = Omit<ApiOperations, "bulkJobs" | "updates"> & {
  /** Generated bulk-job operations, plus `upload` / `waitFor` / `results` / `run` (CSV import in one call). */
  bulkJobs: ApiOperations["bulkJobs"] & BulkJobHelpers;
  /** Generated update-stream operations, plus `stream({from})` (resumable iterator). */
  updates: ApiOperations["updates"] & UpdateStreamHelpers;
};

export type ContacthubClient = VendorClient<Operations, paths> & {
  /**
   * Reads the workspace's `maxRequestsPerMinute` (getWorkspaceThrottling) and makes the client pace itself to
   * it (a RateLimiter at maxRequestsPerMinute / 60 per second), so bulk loops get no 429s. A setting of 0
   * removes the client-side limit. Call it again to pick up a changed setting; it replaces any `rateLimit`
   * given at creation.
   */
  limitToWorkspaceThrottling(options?: WorkspaceThrottlingOptions): Promise<WorkspaceThrottlingLimit>;
};

export function createContacthubClient(options: ContacthubClientOptions): ContacthubClient {
  const client = createVendorClient(
    { spec: apiSpec, operations, loadResponseSchemas },
    (runtime) => {
      const ops = bindOperations(runtime);
      return {
        ...ops,
        bulkJobs: Object.assign(ops.bulkJobs, bulkJobHelpers(runtime)),
        updates: Object.assign(ops.updates, updateStreamHelpers(runtime)),
      };
    },
    contacthubClientOptions(options),
  );
  return Object.assign(client, {
    async limitToWorkspaceThrottling(opts: WorkspaceThrottlingOptions = {}): Promise<WorkspaceThrottlingLimit> {
      const settings = await client.configuration.getWorkspaceThrottling(
        opts.workspaceId === undefined ? {} : { path: { workspaceId: opts.workspaceId } },
        { signal: opts.signal },
      );
      const perMinute = settings?.maxRequestsPerMinute ?? 0;
      const perSecond = perMinute / 60;
      const limiter = client.runtime.setRateLimiter(
        perMinute > 0 ? { perSecond, burst: opts.burst ?? 1 } : undefined,
      );
      return { maxRequestsPerMinute: perMinute, limiter };
    },
  });
}

export type { ContacthubClientOptions } from "./options.js";
export {
  BulkJobTimeoutError,
  toCsvBlob,
  type BulkJob,
  type BulkJobEntity,
  type BulkJobHelpers,
  type BulkJobOperation,
  type BulkJobProgress,
  type BulkJobRef,
  type BulkJobRunResult,
  type BulkJobStatus,
  type BulkJobUpload,
  type BulkJobWaitOptions,
  type CsvSource,
} from "./bulk-jobs.js";
export { type Update, type UpdateStreamHelpers, type UpdateStreamOptions, type UpdateStreamPage } from "./updates.js";
export {
  existingCustomerOf,
  isConflictError,
  type ContacthubConflictBody,
  type ContacthubConflictError,
  type ExistingCustomer,
} from "./conflict.js";
// Everything a user of this package needs (core's errors and option types, the typed error guard, the
// per-operation Params/Result types, one type per schema), generated so that installing this package is enough.
export * from "./generated/exports.js";
export type { ApiOperations as ContacthubOperations } from "./generated/client.js";
export type { components, operations as ContacthubOperationTypes, paths } from "./generated/types.js";
export { apiSpec, loadResponseSchemas, operations } from "./generated/operations.js";
