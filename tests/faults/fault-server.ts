/**
 * A loopback server for the fault-injection suite. It plays the endpoints the suite calls through the generated
 * clients (Releva `upsertProfiles`, Contacthub `createCustomer` and `getCustomer`; Relay42 paths are scripted by
 * each test) and, on each attempt, injects the fault the test's plan names for that call (`x-call-id` header) and
 * attempt number.
 *
 * It keeps what a real vendor would: the profiles and customers it stored, and per business key (a profile's
 * email, a customer's externalId) how many times it ACTED on a request. "Sent twice" is allowed where the
 * request is safe to repeat; "processed twice" is what the suite forbids for a non-idempotent request.
 *
 * A second server on another port is "another origin": the `redirect` fault sends the client there, and it
 * records whether the credential came along (it must not).
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** Every fault the server (or, for `refused`, the client's address) can inject. */
export const FAULT_CLASSES = [
  "429-seconds",
  "429-date",
  "503-json",
  "502-html",
  "reset-before",
  "reset-after",
  "stall",
  "drip",
  "cut",
  "malformed",
  "redirect",
  "slow",
  "refused",
] as const;
export type FaultClass = (typeof FAULT_CLASSES)[number];
/** `status 401`: answers that status, with `x-should-retry: true` (a server asking for a retry it must not get). */
export type StatusFault = `status ${number}`;
export type Fault = FaultClass | StatusFault | "ok";

/** What each fault does, for the printed report and the reader. */
export const FAULT_DESCRIPTIONS: Record<FaultClass, string> = {
  "429-seconds": "429 with Retry-After in seconds (not acted on)",
  "429-date": "429 with Retry-After as an HTTP date (not acted on)",
  "503-json": "503 with a JSON body echoing the credential (not acted on)",
  "502-html": "502 with an HTML body echoing the credential (not acted on)",
  "reset-before": "connection reset after reading the request, before acting",
  "reset-after": "connection reset after acting, before the headers",
  stall: "acts, then never sends the headers",
  drip: "acts, sends 200 headers, then one body byte every 15 ms (seconds past the timeout)",
  cut: "acts, announces the full length, sends half the body, resets",
  malformed: "acts, answers 2xx with malformed JSON echoing the credential",
  redirect: "307 to another origin, which acts (and must not see the credential)",
  slow: "acts, sends headers and body slowly but within the timeout",
  refused: "nothing listens on the client's port (connection refused)",
};

export interface Arrival {
  callId: string | undefined;
  /** 1 for the first request of this call id on this origin. */
  attempt: number;
  origin: "main" | "other";
  method: string;
  path: string;
  /** performance.now() when the request was fully read. */
  at: number;
  /** Date.now() at the same moment (to compare with an HTTP date). */
  wall: number;
  /** The Retry-After the server answered with, if it did. */
  retryAfter?: string;
  authorization: string | undefined;
  fault: Fault;
}

export interface ScriptedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  arrival: Arrival;
}

/** Answers a request the built-in vendor routes do not (e.g. Relay42's, scripted per test). */
export type ScriptedHandler = (request: ScriptedRequest, res: ServerResponse, socket: Socket) => void | Promise<void>;

export interface FaultServer {
  origin: string;
  otherOrigin: string;
  /** The fault for a call's attempt (default: none). */
  plan: (callId: string | undefined, attempt: number) => Fault;
  /** Requests under `/relay42` go here. */
  scripted: ScriptedHandler | undefined;
  arrivals: Arrival[];
  /** Business key (profile email, customer externalId) → times the server acted on it. */
  acted: Map<string, number>;
  /** Releva profiles as last stored, by email. */
  profiles: Map<string, unknown>;
  /** Contacthub customers by externalId. */
  customers: Map<string, { id: string; body: unknown }>;
  reset(): void;
  close(): Promise<void>;
}

export const CONTACTHUB_NODE = "959356e3-6168-4a92-b4a5-b9d462be6177";

/** A stable uuid per externalId, so a created customer's id can be checked. */
export function customerIdFor(externalId: string): string {
  let h = 0x811c9dc5;
  for (const ch of externalId) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return `c0ffee00-0000-4000-8000-${h.toString(16).padStart(12, "0")}`;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startFaultServer(): Promise<FaultServer> {
  const state = {
    plan: ((() => "ok") as FaultServer["plan"]),
    scripted: undefined as ScriptedHandler | undefined,
    arrivals: [] as Arrival[],
    acted: new Map<string, number>(),
    profiles: new Map<string, unknown>(),
    customers: new Map<string, { id: string; body: unknown }>(),
    attemptsByCall: new Map<string, number>(),
  };
  let otherOrigin = "";

  const handler = (where: "main" | "other") => async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    try {
      for await (const c of req) chunks.push(c as Buffer);
    } catch {
      return; // the client went away while sending
    }
    const body = Buffer.concat(chunks).toString("utf8");
    const callId = header(req.headers["x-call-id"]);
    const key = `${where} ${callId ?? ""}`;
    const attempt = (state.attemptsByCall.get(key) ?? 0) + 1;
    state.attemptsByCall.set(key, attempt);
    const path = req.url ?? "";
    // Another origin never injects faults: it is where a redirect lands.
    const fault: Fault = where === "main" ? state.plan(callId, attempt) : "ok";
    const arrival: Arrival = {
      callId,
      attempt,
      origin: where,
      method: req.method ?? "",
      path,
      at: performance.now(),
      wall: Date.now(),
      authorization: header(req.headers.authorization),
      fault,
    };
    state.arrivals.push(arrival);
    const socket = req.socket;
    try {
      if (path.startsWith("/relay42/") && state.scripted) {
        await state.scripted({ method: arrival.method, path, headers: req.headers, body, arrival }, res, socket);
        return;
      }
      await serve(fault, arrival, body, res, socket);
    } catch {
      res.destroy();
    }
  };

  /** Stores what the request asks for and returns the vendor's success answer; counts the act. */
  function act(method: string, pathname: string, body: string): { status: number; payload: unknown } {
    if (method === "POST" && pathname === "/releva/profiles") {
      const parsed = JSON.parse(body) as { profiles: { profile: { email: string } }[] };
      for (const item of parsed.profiles) {
        state.profiles.set(item.profile.email, item.profile);
        state.acted.set(item.profile.email, (state.acted.get(item.profile.email) ?? 0) + 1);
      }
      return { status: 202, payload: {} };
    }
    if (method === "POST" && /^\/contacthub\/workspaces\/[^/]+\/customers$/.test(pathname)) {
      const parsed = JSON.parse(body) as { externalId: string };
      const id = customerIdFor(parsed.externalId);
      state.customers.set(parsed.externalId, { id, body: parsed });
      state.acted.set(parsed.externalId, (state.acted.get(parsed.externalId) ?? 0) + 1);
      return { status: 201, payload: { ...parsed, id, enabled: true } };
    }
    const get = /^\/contacthub\/workspaces\/[^/]+\/customers\/([^/]+)$/.exec(pathname);
    if (method === "GET" && get) {
      const id = decodeURIComponent(get[1]);
      return { status: 200, payload: { id, nodeId: CONTACTHUB_NODE, externalId: `ext-${id}`, enabled: true } };
    }
    return { status: 404, payload: { message: `no route ${method} ${pathname}` } };
  }

  async function serve(fault: Fault, arrival: Arrival, body: string, res: ServerResponse, socket: Socket): Promise<void> {
    const pathname = new URL(arrival.path, "http://x").pathname;
    const requestId = `req-${arrival.callId}-${arrival.attempt}`;
    const echo = arrival.authorization ?? "";
    if (fault.startsWith("status ")) {
      const status = Number(fault.slice("status ".length));
      return send(res, status, { message: `status ${status}` }, { "x-should-retry": "true", "x-request-id": requestId });
    }
    switch (fault as FaultClass | "ok") {
      case "429-seconds":
      case "429-date":
        arrival.retryAfter = fault === "429-seconds" ? "1" : new Date(Date.now() + 2000).toUTCString();
        return send(res, 429, { message: "rate limited" }, { "retry-after": arrival.retryAfter, "x-request-id": requestId });
      case "503-json":
        return send(res, 503, { message: `overloaded (your header: ${echo})` }, { "x-request-id": requestId });
      case "502-html": {
        const html = `<html><body><h1>502 Bad Gateway</h1><!-- upstream saw ${echo} --></body></html>`;
        res.writeHead(502, { "content-type": "text/html; charset=utf-8", "content-length": Buffer.byteLength(html), "x-request-id": requestId });
        res.end(html);
        return;
      }
      case "reset-before":
        socket.resetAndDestroy();
        return;
      case "reset-after":
        act(arrival.method, pathname, body);
        socket.resetAndDestroy();
        return;
      case "stall":
        act(arrival.method, pathname, body);
        // Never answers; the client's attempt timeout ends it (the socket closes).
        await new Promise<void>((resolve) => res.once("close", resolve));
        return;
      case "drip": {
        const { status, payload } = act(arrival.method, pathname, body);
        const text = JSON.stringify(payload) + " ".repeat(300);
        res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "x-request-id": requestId });
        for (const ch of text) {
          if (res.destroyed || socket.destroyed) return;
          res.write(ch);
          await delay(15);
        }
        res.end();
        return;
      }
      case "cut": {
        const { status, payload } = act(arrival.method, pathname, body);
        const text = JSON.stringify(payload) + " ".repeat(2000);
        res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "x-request-id": requestId });
        res.write(text.slice(0, Math.floor(text.length / 2)));
        await delay(10);
        socket.resetAndDestroy();
        return;
      }
      case "malformed": {
        const { status } = act(arrival.method, pathname, body);
        const text = `{"echo": ${JSON.stringify(echo)}, "profiles": [`;
        res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "x-request-id": requestId });
        res.end(text);
        return;
      }
      case "redirect":
        res.writeHead(307, { location: `${otherOrigin}${arrival.path}`, "content-length": "0" });
        res.end();
        return;
      case "slow": {
        await delay(40);
        const { status, payload } = act(arrival.method, pathname, body);
        const text = JSON.stringify(payload);
        res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "x-request-id": requestId });
        const half = Math.floor(text.length / 2);
        res.write(text.slice(0, half));
        await delay(40);
        res.end(text.slice(half));
        return;
      }
      case "refused": // decided by the client's address; the server never sees it
      case "ok": {
        const { status, payload } = act(arrival.method, pathname, body);
        return send(res, status, payload, { "x-request-id": requestId });
      }
    }
  }

  const main = await listen(handler("main"));
  const other = await listen(handler("other"));
  otherOrigin = other.origin;

  return {
    origin: main.origin,
    otherOrigin,
    get plan() {
      return state.plan;
    },
    set plan(p) {
      state.plan = p;
    },
    get scripted() {
      return state.scripted;
    },
    set scripted(h) {
      state.scripted = h;
    },
    arrivals: state.arrivals,
    acted: state.acted,
    profiles: state.profiles,
    customers: state.customers,
    reset() {
      state.arrivals.length = 0;
      state.acted.clear();
      state.profiles.clear();
      state.customers.clear();
      state.attemptsByCall.clear();
      state.plan = () => "ok";
      state.scripted = undefined;
    },
    close: async () => {
      await Promise.all([main.close(), other.close()]);
    },
  };
}

export function send(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(", ") : v;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer(handler);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An address where nothing listens: a port taken from the OS and released again. */
export async function refusedOrigin(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
