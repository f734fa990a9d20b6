/**
 * A loopback HTTP server whose handler scripts each response (status, headers, body, delays, drips, cuts),
 * for tests that must run on a real socket with either transport (Node's undici dispatcher, or fetch).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
  connection: number;
}

export type Handler = (seen: Seen, res: ServerResponse, socket: Socket) => void | Promise<void>;

export interface LocalServer {
  url: string;
  origin: string;
  seen: Seen[];
  connections: number;
  handle(handler: Handler): void;
  close(): Promise<void>;
}

export async function startLocalServer(initial?: Handler): Promise<LocalServer> {
  let handler: Handler = initial ?? ((_, res) => json(res, 200, {}));
  const seen: Seen[] = [];
  let connections = 0;
  const ids = new WeakMap<Socket, number>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const s: Seen = {
      method: req.method ?? "",
      path: req.url ?? "",
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
      connection: ids.get(req.socket) ?? 0,
    };
    seen.push(s);
    try {
      await handler(s, res, req.socket);
    } catch {
      res.destroy();
    }
  });
  server.on("connection", (socket) => {
    connections += 1;
    ids.set(socket, connections);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    origin,
    seen,
    get connections() {
      return connections;
    },
    handle(h) {
      handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Sends the body one byte at a time, `everyMs` apart. */
export async function drip(res: ServerResponse, status: number, text: string, everyMs: number): Promise<void> {
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  for (const ch of text) {
    if (res.destroyed) return;
    res.write(ch);
    await new Promise((r) => setTimeout(r, everyMs));
  }
  res.end();
}

/** Announces the full length, sends part of the body, then drops the connection. */
export function cut(res: ServerResponse, socket: Socket, text: string): void {
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.write(text.slice(0, Math.floor(text.length / 2)));
  setTimeout(() => socket.destroy(), 10);
}
