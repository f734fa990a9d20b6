/**
 * Records every attempt that actually left the client and its response, noting Prism's `sl-violations` header
 * (Prism sets it when a request or its own response breaks the spec). The suites run once per transport
 * (`ACTIVATION_KIT_TEST_TRANSPORT=node|fetch`, default node): on the node transport the recorder is an
 * `onResponse` hook, on the fetch transport a recording `fetch`; `client` holds the options to pass either way.
 */
import type { ClientOptions } from "@activation-kit/core";

export interface Exchange {
  method: string;
  url: string;
  status: number;
  violations?: string;
}

export type TestTransport = "node" | "fetch";

export const testTransport: TestTransport = process.env.ACTIVATION_KIT_TEST_TRANSPORT === "fetch" ? "fetch" : "node";

export function recordingFetch(transport: TestTransport = testTransport): {
  fetch: typeof fetch;
  exchanges: Exchange[];
  client: Pick<ClientOptions, "fetch" | "hooks" | "transport">;
} {
  const exchanges: Exchange[] = [];
  const f: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const response = await fetch(request);
    exchanges.push({
      method: request.method,
      url: request.url,
      status: response.status,
      violations: response.headers.get("sl-violations") ?? undefined,
    });
    return response;
  };
  const client: Pick<ClientOptions, "fetch" | "hooks" | "transport"> =
    transport === "fetch"
      ? { fetch: f }
      : {
          transport: "node",
          hooks: {
            onResponse: (r) =>
              exchanges.push({ method: r.method, url: r.url, status: r.status, violations: r.headers.get("sl-violations") ?? undefined }),
          },
        };
  return { fetch: f, exchanges, client };
}
