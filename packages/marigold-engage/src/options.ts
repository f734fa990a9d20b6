/**
 * Marigold Engage's client options, shared by `createMarigoldEngageClient` (index.ts) and
 * `createMarigoldEngageCore` (standalone.ts): the host, the organization filled into every path, and the
 * `X-ApiKey: key:secret` header with both halves redacted.
 */
import { requireOption, resolveCredential, type ClientOptions, type Credential } from "@activation-kit/core";

export interface MarigoldEngageClientOptions extends Omit<ClientOptions, "auth" | "config"> {
  /**
   * API key of the Engage service account (the part before `:` in `X-ApiKey`). A function is called before
   * every attempt, so a rotated key is picked up without rebuilding the client.
   */
  apiKey: Credential;
  /** API secret (the part after `:`). Same rules as `apiKey`; it is never printed, thrown or logged. */
  apiSecret: Credential;
  /** Your Engage host, e.g. `ngpa.slgnt.eu` (fills the `{host}` server variable). Ignored when `baseUrl` is set. */
  host?: string;
  /** Organization name: fills `{organization}` in every path, so calls only pass what differs per call. */
  organization: string;
}

export function marigoldEngageClientOptions(options: MarigoldEngageClientOptions): ClientOptions & { config: { organization: string } } {
  const { apiKey, apiSecret, host, organization, ...rest } = options;
  const key = requireOption(apiKey, "apiKey", "Marigold Engage");
  const secret = requireOption(apiSecret, "apiSecret", "Marigold Engage");
  const org = requireOption(organization, "organization", "Marigold Engage");
  // Every value a key/secret function ever resolved to: the transport asks for them after each `headers()`,
  // so a credential given as an (async) function is redacted exactly like a literal one, rotations included.
  const resolved = new Set<string>([key, secret].filter((c): c is string => typeof c === "string"));
  return {
    ...(host ? { serverVariables: { host } } : {}),
    ...rest,
    config: { organization: org },
    auth: {
      type: "custom",
      headers: async () => {
        const [k, s] = await Promise.all([resolveCredential(key), resolveCredential(secret)]);
        resolved.add(k);
        resolved.add(s);
        return { "x-apikey": `${k}:${s}` };
      },
      // The combined `key:secret` header value is registered by the transport; the halves are added here so a
      // vendor message that echoes only one of them is scrubbed too.
      secrets: () => [...resolved],
    },
  };
}
