/**
 * A real HTTP server on 127.0.0.1 that plays a Marigold Engage backend from a handler, and records every
 * request that reached it (method, path, query, headers, parsed JSON body).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach } from "vitest";
import { createMarigoldEngageClient, type MarigoldEngageClientOptions } from "../src/index.js";

export interface Received {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: any;
}

export interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Delay before answering, in ms (real time: only used to reorder concurrent answers). */
  delayMs?: number;
}

export type Handler = (req: Received, n: number) => Reply | Promise<Reply>;

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

export async function mockEngage(handler: Handler) {
  const received: Received[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const r: Received = { method: req.method ?? "", path: url.pathname, query: url.searchParams, headers: req.headers, body: text ? JSON.parse(text) : undefined };
    received.push(r);
    const reply = await handler(r, received.length);
    if (reply.delayMs) await new Promise((ok) => setTimeout(ok, reply.delayMs));
    inFlight -= 1;
    res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
    res.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  servers.push({ close: () => new Promise<void>((ok) => server.close(() => ok())) });
  return {
    baseUrl: `http://127.0.0.1:${port}/Portal/Api`,
    received,
    get maxInFlight() {
      return maxInFlight;
    },
    client(options: Partial<MarigoldEngageClientOptions> = {}) {
      return createMarigoldEngageClient({
        apiKey: "mg-key-0001",
        apiSecret: "mg-secret-0002",
        organization: "marigold_1",
        baseUrl: `http://127.0.0.1:${port}/Portal/Api`,
        maxRetries: 0,
        ...options,
      });
    },
  };
}

/** Settles a promise into its rejection (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<any> {
  const r = await p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (r.ok) throw new Error(`expected a rejection, got ${JSON.stringify(r.value)}`);
  return r.error;
}

/** A transactional answer that echoes the items and fails those whose recipient starts with "bad". */
export function echoSend(items: { recipient: string; sg_external_id?: string }[], idOf: (recipient: string) => string) {
  const response_data = items.map((it) =>
    it.recipient.startsWith("bad") ? { ...it, errors: [{ error_code: "NotFound", description: `No user found for recipient '${it.recipient}'` }] } : { ...it, errors: [] },
  );
  const failed = response_data.filter((d) => d.errors.length > 0).length;
  return {
    result_code: failed === 0 ? "Succeeded" : "PartiallySucceeded",
    errors: failed === 0 ? [] : [{ error_code: "Failed", description: `${failed} of ${items.length} messages could not be sent` }],
    response_data,
    messages: response_data.filter((d) => d.errors.length === 0).map((d) => ({ id: idOf(d.recipient) })),
  };
}
