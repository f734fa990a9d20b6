/**
 * Contacthub's client options, shared by `createContacthubClient` (index.ts) and `createContacthubCore`
 * (standalone.ts): the token as a bearer credential and the workspace filled into workspace-scoped paths.
 */
import { requireOption, type ClientOptions, type Credential } from "@activation-kit/core";

export interface ContacthubClientOptions extends Omit<ClientOptions, "auth" | "config"> {
  /**
   * Bearer token (a source token from the Contacthub UI), or a function returning one. A function is called
   * before every attempt, so an OAuth2 token your code refreshes is picked up without rebuilding the client.
   */
  token: Credential;
  /** Workspace id: fills `{workspaceId}` in every workspace-scoped path (a call may still pass its own). */
  workspaceId?: string;
}

export function contacthubClientOptions(options: ContacthubClientOptions): ClientOptions {
  const { token, workspaceId, ...rest } = options;
  return {
    ...rest,
    config: workspaceId ? { workspaceId } : {},
    auth: { type: "bearer", token: requireOption(token, "token", "Contacthub") },
  };
}
