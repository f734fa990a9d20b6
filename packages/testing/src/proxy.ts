/**
 * The loopback front of a mock: forwards every request to Prism unchanged, except that a forced status adds
 * Prism's own `Prefer: code=NNN` to the next matching request(s); records what went through. It runs in the
 * process that called `startMock`, so `forceStatus()` takes effect synchronously, before the next request.
 */
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { SpecModel } from "./spec.js";

export interface ForcedStatus {
  status: number;
  /** Requests still to be answered with `status`. */
  remaining: number;
  /** Only requests routed to this operation. */
  operation: string | undefined;
}

/** One request that went through the mock. */
export interface MockRequest {
  method: string;
  /** Path and query, as the client sent them. */
  url: string;
  /** The operation the request was routed to (`undefined`: no operation of the spec has this path and method). */
  operation: string | undefined;
  /** Status of the answer. */
  status: number;
  /** The status that was forced for this request by `forceStatus`, if any. */
  forcedStatus: number | undefined;
}

// Hop-by-hop headers describe one connection, not the message: never forwarded.
const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"];

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out = { ...headers };
  for (const h of HOP_BY_HOP) delete out[h];
  return out;
}

export interface ForcingProxy {
  server: Server;
  port: number;
  forced: ForcedStatus[];
  requests: MockRequest[];
  close(): Promise<void>;
}

export interface ForcingProxyOptions {
  port: number;
  upstreamPort: () => number;
  spec: SpecModel;
  /** Why Prism did not answer, for the 502 it gets instead. */
  onUpstreamError: () => string;
  /** Keep every request in `requests` (off for a long-running command). */
  record: boolean;
  onRequest?: (request: MockRequest) => void;
}

export async function startForcingProxy(options: ForcingProxyOptions): Promise<ForcingProxy> {
  const forced: ForcedStatus[] = [];
  const requests: MockRequest[] = [];
  const agent = new Agent({ keepAlive: true });
  const done = (request: MockRequest) => {
    if (options.record) requests.push(request);
    options.onRequest?.(request);
  };

  const server = createServer((req, res) => {
    const url = req.url ?? "/";
    const method = req.method ?? "GET";
    const operation = options.spec.match(method, new URL(url, "http://mock").pathname)?.operationId;
    // Only requests to an operation of the API take a forced status (not a CORS preflight, not a wrong path).
    const index = operation === undefined ? -1 : forced.findIndex((f) => f.remaining > 0 && (f.operation === undefined || f.operation === operation));
    const rule = index >= 0 ? forced[index] : undefined;
    if (rule) {
      rule.remaining -= 1;
      if (rule.remaining <= 0) forced.splice(index, 1);
    }
    const headers = withoutHopByHop(req.headers);
    if (rule) {
      const prefer = headers.prefer ? `${String(headers.prefer)}, ` : "";
      headers.prefer = `${prefer}code=${rule.status}`;
    }
    const upstream = httpRequest(
      { host: "127.0.0.1", port: options.upstreamPort(), method, path: url, headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, withoutHopByHop(answer.headers));
        answer.pipe(res);
        done({ method, url, operation, status: answer.statusCode ?? 502, forcedStatus: rule?.status });
      },
    );
    upstream.on("error", () => {
      const detail = options.onUpstreamError();
      if (!res.headersSent) {
        res.writeHead(502, { "content-type": "application/problem+json" });
        res.end(JSON.stringify({ title: "The Prism mock process is not answering", status: 502, detail }));
      } else {
        res.destroy();
      }
      done({ method, url, operation, status: 502, forcedStatus: rule?.status });
    });
    req.pipe(upstream);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        e.code === "EADDRINUSE"
          ? new Error(`port ${options.port} on 127.0.0.1 is already in use: pick another, or omit \`port\` for a free one`)
          : e,
      ),
    );
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  server.unref();

  return {
    server,
    port: (server.address() as AddressInfo).port,
    forced,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
