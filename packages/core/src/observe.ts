/**
 * Watching what a client does: a logger with levels and per-attempt hooks. Both see only redacted values
 * (URL without credential-like query values, credential headers replaced by `[REDACTED]`), and neither can
 * break a call: an exception thrown by a hook or a logger is reported once at `warn` and otherwise ignored.
 *
 * Order, per attempt: `onRequest` → `onResponse` (a response arrived, any status, body read) or `onError` (no
 * usable response: refused or reset connection, timeout, abort, body cut off) → `onRetry` when another attempt
 * follows (with the delay and the reason).
 */
import type { ActivationKitError } from "./errors.js";

export type LogLevel = "debug" | "info" | "warn" | "error" | "off";
export type LogFields = Record<string, unknown>;

/** `console`, pino-style or any object with these methods. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export type LogFunction = (level: Exclude<LogLevel, "off">, message: string, fields: LogFields) => void;

export interface AttemptInfo {
  operationId: string | undefined;
  /** 1 for the first attempt. */
  attempt: number;
  method: string;
  /** Redacted. */
  url: string;
}

export interface RequestHookInfo extends AttemptInfo {
  /** Request headers, credentials redacted. */
  headers: Record<string, string>;
}

export interface ResponseHookInfo extends AttemptInfo {
  status: number;
  durationMs: number;
  requestId: string | undefined;
  headers: { get(name: string): string | null };
}

export interface RetryHookInfo extends AttemptInfo {
  /** Milliseconds before the next attempt. */
  delayMs: number;
  /** Why: `status 503`, `connection error`, `timeout`. */
  reason: string;
}

export interface ErrorHookInfo extends AttemptInfo {
  durationMs: number;
  error: ActivationKitError;
}

export interface Hooks {
  onRequest?(info: RequestHookInfo): void;
  onResponse?(info: ResponseHookInfo): void;
  onRetry?(info: RetryHookInfo): void;
  onError?(info: ErrorHookInfo): void;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, off: 100 };

/** The client's logger and hooks behind one cheap `active` check for the hot path. */
export class Observer {
  /** True when anything wants per-attempt events (hooks, or a logger at `debug`/`info`). */
  readonly active: boolean;
  private readonly threshold: number;
  private readonly log: LogFunction | undefined;

  constructor(
    private readonly hooks: Hooks = {},
    logger?: Logger | LogFunction,
    level?: LogLevel,
  ) {
    const chosen = level ?? envLevel() ?? "warn";
    this.threshold = LEVELS[chosen] ?? LEVELS.warn;
    const sink = logger ?? (typeof console !== "undefined" ? console : undefined);
    this.log =
      sink === undefined
        ? undefined
        : typeof sink === "function"
          ? sink
          : (lvl, message, fields) => sink[lvl](`[activation-kit] ${message}`, fields);
    this.active = Boolean(hooks.onRequest || hooks.onResponse || hooks.onRetry || hooks.onError) || this.threshold <= LEVELS.info;
  }

  enabled(level: Exclude<LogLevel, "off">): boolean {
    return this.log !== undefined && LEVELS[level] >= this.threshold;
  }

  emit(level: Exclude<LogLevel, "off">, message: string, fields: LogFields): void {
    if (!this.enabled(level)) return;
    try {
      this.log!(level, message, fields);
    } catch {
      // A broken logger must not break the call.
    }
  }

  request(info: RequestHookInfo): void {
    this.emit("debug", `→ ${info.method} ${info.url}${op(info)} attempt ${info.attempt}`, { ...info, headers: undefined });
    this.call("onRequest", info);
  }

  response(info: ResponseHookInfo): void {
    this.emit("debug", `← ${info.status} ${info.method} ${info.url}${op(info)} in ${info.durationMs} ms, attempt ${info.attempt}`, {
      operationId: info.operationId,
      attempt: info.attempt,
      method: info.method,
      url: info.url,
      status: info.status,
      durationMs: info.durationMs,
      requestId: info.requestId,
    });
    this.call("onResponse", info);
  }

  retry(info: RetryHookInfo): void {
    this.emit("info", `retrying ${info.method} ${info.url}${op(info)} in ${info.delayMs} ms after ${info.reason} (attempt ${info.attempt + 1} next)`, {
      ...info,
    });
    this.call("onRetry", info);
  }

  error(info: ErrorHookInfo): void {
    this.emit("debug", `✗ ${info.method} ${info.url}${op(info)} attempt ${info.attempt}: ${info.error.name}: ${info.error.message}`, {
      operationId: info.operationId,
      attempt: info.attempt,
      method: info.method,
      url: info.url,
      durationMs: info.durationMs,
      error: info.error.name,
    });
    this.call("onError", info);
  }

  private call<K extends keyof Hooks>(name: K, info: Parameters<NonNullable<Hooks[K]>>[0]): void {
    const hook = this.hooks[name] as ((i: typeof info) => unknown) | undefined;
    if (!hook) return;
    try {
      const result = hook(info);
      // An async hook is not awaited; its rejection is reported like a throw.
      if (result && typeof (result as Promise<unknown>).then === "function") {
        (result as Promise<unknown>).then(undefined, (e: unknown) => this.hookFailed(name, e));
      }
    } catch (e) {
      this.hookFailed(name, e);
    }
  }

  private hookFailed(name: string, error: unknown): void {
    this.emit("warn", `hook ${name} threw; the call goes on: ${error instanceof Error ? error.message : String(error)}`, { hook: name });
  }
}

function op(info: AttemptInfo): string {
  return info.operationId ? ` (${info.operationId})` : "";
}

function envLevel(): LogLevel | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.ACTIVATION_KIT_LOG?.toLowerCase();
  return value && value in LEVELS ? (value as LogLevel) : undefined;
}
