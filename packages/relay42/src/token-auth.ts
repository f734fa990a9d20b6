/**
 * Relay42's token (JWT) flow as a core `custom` auth provider: an API key is exchanged for a refresh token
 * (`POST /users/authenticate`, 48 h), the refresh token for a bearer token (`POST /users/token`, 24 h). The
 * exchanges go through the same generated client as every other call (the operations declare `security: []`),
 * so they share its transport: retries, limiter, circuit and redaction.
 */
import { ActivationKitError, resolveCredential, type Auth, type Credential } from "@activation-kit/core";

/** Token-mode credentials for `createRelay42Client`. */
export interface Relay42TokenAuth {
  /** The API key generated in the Relay42 user settings (a string, or a function that returns it). */
  apiKey: Credential;
  /**
   * How long before a token's expiry it is replaced, so a request never leaves with a token that dies in
   * flight. Default 5 minutes (at most half of a token's lifetime is used as margin).
   */
  refreshMarginMs?: number;
  /** Clock in epoch milliseconds. Default `Date.now`; inject one to test expiry without waiting. */
  now?: () => number;
}

/** The two exchanges, as the generated client performs them. */
export interface TokenExchanges {
  authenticate(apiKey: string): Promise<unknown>;
  token(refreshToken: string): Promise<unknown>;
}

interface Held {
  value: string;
  /** When to stop using it (expiry minus margin), in the provider's clock. */
  renewAt: number;
}

const DEFAULT_MARGIN_MS = 5 * 60_000;

/** Raised when a token endpoint answers 2xx with a body that carries no usable token. Never includes values. */
export class Relay42TokenError extends ActivationKitError {}

/**
 * Holds the refresh and bearer tokens of one client. Every caller that needs a token while one is being fetched
 * waits for that same fetch (no stampede); a token is replaced before it expires; after a 401 the rejected
 * token is replaced once (the transport allows one refresh per call, so a server that keeps answering 401
 * costs one refresh, then the client's circuit opens).
 */
export class Relay42TokenSession {
  private apiKey: string | undefined;
  private refresh: Held | undefined;
  private access: Held | undefined;
  private inFlight: Promise<string> | undefined;
  private readonly now: () => number;
  private readonly marginMs: number;

  constructor(
    private readonly options: Relay42TokenAuth,
    private readonly exchanges: TokenExchanges,
  ) {
    this.now = options.now ?? (() => Date.now());
    this.marginMs = options.refreshMarginMs ?? DEFAULT_MARGIN_MS;
    if (!(this.marginMs >= 0)) throw new RangeError("Relay42: auth.refreshMarginMs must be >= 0");
  }

  /** A bearer token that is valid now, fetching (once, shared) when there is none or it is due. */
  accessToken(): Promise<string> {
    if (this.access && this.now() < this.access.renewAt) return Promise.resolve(this.access.value);
    this.inFlight ??= this.fetchAccess().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /**
   * After a 401: replace the rejected token, unless another call already did (then just retry with the
   * current one). Always worth one more try; the transport never asks twice for the same call.
   */
  async onUnauthorized(rejectedHeaders: Record<string, string>): Promise<boolean> {
    if (this.inFlight) {
      await this.inFlight;
      return true;
    }
    const rejected = rejectedHeaders.authorization;
    if (this.access && rejected !== undefined && rejected !== `Bearer ${this.access.value}`) return true;
    this.access = undefined;
    await this.accessToken();
    return true;
  }

  /** Every secret the session holds, for the redactor. */
  secrets(): string[] {
    return [this.apiKey, this.refresh?.value, this.access?.value].filter((v): v is string => typeof v === "string");
  }

  /** Drops both tokens; the next call starts again from the API key. */
  clear(): void {
    this.refresh = undefined;
    this.access = undefined;
  }

  /** Expiry bookkeeping, for diagnostics (no token values). */
  get state(): { accessTokenRenewAt: number | undefined; refreshTokenRenewAt: number | undefined } {
    return { accessTokenRenewAt: this.access?.renewAt, refreshTokenRenewAt: this.refresh?.renewAt };
  }

  private async fetchAccess(): Promise<string> {
    if (!this.refresh || this.now() >= this.refresh.renewAt) {
      this.refresh = undefined;
      // Resolved before the exchange so the redactor knows the key before the request body is described.
      this.apiKey = await resolveCredential(this.options.apiKey);
      const started = this.now();
      const body = await this.exchanges.authenticate(this.apiKey);
      this.refresh = this.hold(body, "refreshToken", "/users/authenticate", started);
    }
    const started = this.now();
    const body = await this.exchanges.token(this.refresh.value);
    this.access = this.hold(body, "token", "/users/token", started);
    return this.access.value;
  }

  private hold(body: unknown, field: "refreshToken" | "token", endpoint: string, started: number): Held {
    const b = (body ?? {}) as Record<string, unknown>;
    const value = b[field];
    const seconds = b.expiresInSeconds;
    if (typeof value !== "string" || value.length === 0) {
      throw new Relay42TokenError(`Relay42 ${endpoint} answered without a \`${field}\``);
    }
    if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds <= 0) {
      throw new Relay42TokenError(`Relay42 ${endpoint} answered without a positive \`expiresInSeconds\``);
    }
    if (field === "token" && b.tokenType !== undefined && String(b.tokenType).toLowerCase() !== "bearer") {
      throw new Relay42TokenError(`Relay42 ${endpoint} answered with an unsupported tokenType`);
    }
    const lifetimeMs = seconds * 1000;
    // Measured from when the request left, so time spent in flight never makes us hold an expired token.
    return { value, renewAt: started + lifetimeMs - Math.min(this.marginMs, lifetimeMs / 2) };
  }
}

/** The core `custom` auth that sends `Authorization: Bearer <token>` from a session. */
export function tokenAuth(session: Relay42TokenSession): Auth {
  return {
    type: "custom",
    headers: async () => ({ authorization: `Bearer ${await session.accessToken()}` }),
    onUnauthorized: (rejected) => session.onUnauthorized(rejected),
    secrets: () => session.secrets(),
  };
}
