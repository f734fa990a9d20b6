/**
 * The checks behind core's validator (validator.ts): string length in code points, JSON equality, and the `format`
 * checks. Also published as `@activation-kit/core/validation-runtime`. Formats with a number type check the range
 * of the named type; each check passes values of the other type (the validator applies it to its own type only).
 */

/** String length in Unicode code points (JSON Schema counts characters, not UTF-16 units). */
export function ucs2length(str: string): number {
  let length = 0;
  let pos = 0;
  const len = str.length;
  while (pos < len) {
    length++;
    const value = str.charCodeAt(pos++);
    if (value >= 0xd800 && value <= 0xdbff && pos < len) {
      const extra = str.charCodeAt(pos);
      if ((extra & 0xfc00) === 0xdc00) pos++;
    }
  }
  return length;
}

/** Deep equality for `enum`/`const`/`uniqueItems` over JSON values. */
export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a && b && typeof a === "object" && typeof b === "object") {
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    if (Array.isArray(a)) {
      const bb = b as unknown[];
      if (a.length !== bb.length) return false;
      for (let i = 0; i < a.length; i++) if (!equal(a[i], bb[i])) return false;
      return true;
    }
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    if (ka.length !== kb.length) return false;
    for (const k of ka) {
      if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
      if (!equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
    }
    return true;
  }
  return a !== a && b !== b; // NaN
}

const DAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

/** `YYYY-MM-DD` that names a real calendar day. */
export function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const y = +m[1], mo = +m[2], d = +m[3];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= (mo === 2 && !isLeap(y) ? 28 : DAYS[mo]);
}

/** RFC 3339 date-time (time zone required). */
export function isDateTime(s: string): boolean {
  const m = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(z|Z|[+-]\d{2}:\d{2})$/.exec(s);
  return !!m && isDate(m[1]) && +m[2] <= 23 && +m[3] <= 59 && +m[4] <= 60;
}

/** Format checks by name. Numbers' formats check the range of the named type. */
const checks: Record<string, (value: unknown) => boolean> = {
  date: (v) => typeof v !== "string" || isDate(v),
  "date-time": (v) => typeof v !== "string" || isDateTime(v),
  time: (v) => typeof v !== "string" || /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?(z|Z|[+-]\d{2}:\d{2})?$/.test(v),
  email: (v) => typeof v !== "string" || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
  uuid: (v) => typeof v !== "string" || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  uri: (v) => typeof v !== "string" || /^[a-z][a-z0-9+.-]*:[^\s]*$/i.test(v),
  "uri-reference": (v) => typeof v !== "string" || !/\s/.test(v),
  hostname: (v) => typeof v !== "string" || /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(v),
  ipv4: (v) => typeof v !== "string" || /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/.test(v),
  int32: (v) => typeof v !== "number" || (Number.isInteger(v) && v >= -2147483648 && v <= 2147483647),
  int64: (v) => typeof v !== "number" || Number.isSafeInteger(v),
  float: (v) => typeof v !== "number" || Number.isFinite(v),
  double: (v) => typeof v !== "number" || Number.isFinite(v),
  byte: (v) => typeof v !== "string" || /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(v),
  binary: () => true,
  password: () => true,
  url: (v) => typeof v !== "string" || /^[a-z][a-z0-9+.-]*:\/\/[^\s]*$/i.test(v),
};

const NUMBER_FORMATS = new Set(["int32", "int64", "float", "double"]);

/** Format checks by name, with the JSON type each applies to. */
export const formats: Record<string, { type: "string" | "number"; validate: (value: unknown) => boolean }> = Object.fromEntries(
  Object.entries(checks).map(([name, validate]) => [name, { type: NUMBER_FORMATS.has(name) ? "number" : "string", validate }]),
);
