/**
 * Keeps credentials out of everything the SDK prints or throws. The transport registers every secret value
 * it resolves; `scrub` replaces any of them (and credential-looking URL parts) with `[REDACTED]`.
 */

const CREDENTIAL_QUERY_KEYS = /^(api[-_]?key|access[-_]?token|token|secret|password|refresh[-_]?token|client[-_]?secret|key)$/i;
const MIN_SECRET_LENGTH = 4; // shorter values would redact ordinary words

export const REDACTED = "[REDACTED]";

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Secrets longest first, so a secret that contains another is removed whole; rebuilt only when one is added. */
  private ordered: string[] = [];

  add(...values: (string | undefined)[]): void {
    let changed = false;
    for (const v of values) {
      if (v && v.length >= MIN_SECRET_LENGTH && !this.secrets.has(v)) {
        this.secrets.add(v);
        changed = true;
      }
    }
    if (changed) this.ordered = [...this.secrets].sort((a, b) => b.length - a.length);
  }

  scrub(text: string): string;
  scrub(text: string | undefined): string | undefined;
  scrub(text: string | undefined): string | undefined {
    if (text === undefined) return text;
    let out = text;
    for (const s of this.ordered) {
      if (out.includes(s)) out = out.split(s).join(REDACTED);
    }
    return out;
  }

  /**
   * A parsed body (JSON value) with every secret removed from its strings and keys, for vendor bodies that
   * echo a credential into an error. Returns the same reference when nothing matched.
   */
  value<T>(v: T): T {
    if (typeof v === "string") return this.scrub(v) as T;
    if (!v || typeof v !== "object" || this.secrets.size === 0) return v;
    let changed = false;
    const out: Record<string, unknown> | unknown[] = Array.isArray(v) ? [] : {};
    for (const [k, item] of Object.entries(v as object)) {
      const key = this.scrub(k);
      const clean = this.value(item);
      if (key !== k || clean !== item) changed = true;
      (out as Record<string, unknown>)[key] = clean;
    }
    return changed ? (out as T) : v;
  }

  /** URL without userinfo and with credential-like query values masked, then scrubbed. */
  url(raw: string): string {
    try {
      const u = new URL(raw);
      u.username = "";
      u.password = "";
      for (const key of [...u.searchParams.keys()]) {
        if (CREDENTIAL_QUERY_KEYS.test(key)) u.searchParams.set(key, REDACTED);
      }
      return this.scrub(u.toString());
    } catch {
      return this.scrub(raw);
    }
  }
}
