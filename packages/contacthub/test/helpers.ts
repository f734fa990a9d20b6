/** Test helpers: a loopback node:http server that records what reached it, and a scripted in-memory fetch. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createContacthubClient, type ContacthubClientOptions } from "../src/index.js";

export const WS = "40b8a6c4-2ea6-4c3f-a8b8-1f1b2e9d7a11";
export const NODE = "959356e3-6168-4a92-b4a5-b9d462be6177";
export const JOB = "497f6eca-6276-4993-bfeb-53cbbbba6f08";

export interface Received {
  method: string;
  url: URL;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

export type Handler = (req: Received, res: ServerResponse) => void | Promise<void>;

export interface LocalServer {
  baseUrl: string;
  received: Received[];
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 (a random port); every request is recorded before the handler answers it. */
export async function localServer(handler: Handler): Promise<LocalServer> {
  const received: Received[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const r: Received = { method: req.method ?? "GET", url: new URL(req.url ?? "/", "http://127.0.0.1"), headers: req.headers, body: Buffer.concat(chunks) };
    received.push(r);
    try {
      await handler(r, res);
    } catch (e) {
      res.writeHead(599).end(String(e));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

/** A client with fast, deterministic retries (no jitter, 1 ms) so tests never wait on the real back-off. */
export function client(baseUrl: string, extra: Partial<ContacthubClientOptions> = {}) {
  return createContacthubClient({
    baseUrl,
    token: "ch-test-token",
    workspaceId: WS,
    retry: { initialDelayMs: 1, maxDelayMs: 1, jitter: false },
    ...extra,
  });
}

/** An in-memory fetch (no sockets), for tests on fake timers: answers each request with `respond`. */
export function scriptedFetch(respond: (req: Request) => Response | Promise<Response>) {
  const requests: { method: string; url: URL; at: number }[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    requests.push({ method: req.method, url: new URL(req.url), at: Date.now() });
    return respond(req);
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

export async function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e,
  );
}

/** A customer as the spec's example has it (valid input). */
export const customer = () => ({
  nodeId: NODE,
  externalId: "CRM-000123",
  base: { firstName: "Mario", lastName: "Rossi", contacts: { email: "mario.rossi@example.org" } },
});
