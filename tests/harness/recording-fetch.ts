/**
 * A fetch that records every request that actually left the client and every response, and notes Prism's
 * `sl-violations` header (Prism sets it when a request or its own response breaks the spec).
 */
export interface Exchange {
  method: string;
  url: string;
  status: number;
  violations?: string;
}

export function recordingFetch(): { fetch: typeof fetch; exchanges: Exchange[] } {
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
  return { fetch: f, exchanges };
}
