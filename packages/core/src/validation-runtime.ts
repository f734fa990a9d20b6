/**
 * The checks behind core's validator (validator.ts): string length in code points, JSON equality, and the `format`
 * checks. Also published as `@activation-kit/core/validation-runtime`. Formats with a number type check the range
 * of the named type; each check passes values of the other type (the validator applies it to its own type only).
 */

/** String length in Unicode code points (JSON Schema counts characters, not UTF-16 units). */
export function ucs2length(str: string): number {
  let length = str.length;
  // A high surrogate followed by a low one is one character.
  for (let i = 0; i < str.length; i++) if ((str.charCodeAt(i) & 0xfc00) === 0xd800 && (str.charCodeAt(i + 1) & 0xfc00) === 0xdc00) length--, i++;
  return length;
}

/** Deep equality for `enum`/`const`/`uniqueItems` over JSON values. */
export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a && b && typeof a === "object" && typeof b === "object") {
    const list = Array.isArray(a);
    if (list !== Array.isArray(b)) return false;
    const keys = list ? [...(a as unknown[]).keys()] : Object.keys(a);
    const other = list ? (b as unknown[]).length : Object.keys(b).length;
    return (
      keys.length === other &&
      keys.every((k) => (list || Object.hasOwn(b as object, k)) && equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return a !== a && b !== b; // NaN
}

/** `YYYY-MM-DD` that names a real calendar day. */
export function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(s);
  if (!m) return false;
  const y = +m[1];
  const mo = +m[2];
  const d = +m[3];
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  // 31 days, but 30 in April, June, September, November, and February's 28 or 29.
  return mo >= 1 && mo <= 12 && d >= 1 && d <= (mo === 2 ? (leap ? 29 : 28) : mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31);
}

/** RFC 3339 date-time (time zone required). */
export function isDateTime(s: string): boolean {
  const m = /^(\d{4}-\d\d-\d\d)[Tt ](\d\d):(\d\d):(\d\d)(\.\d+)?([zZ]|[+-]\d\d:\d\d)$/.exec(s);
  return !!m && isDate(m[1]) && +m[2] <= 23 && +m[3] <= 59 && +m[4] <= 60;
}

const STRING_FORMATS: Record<string, RegExp | ((s: string) => boolean)> = {
  date: isDate,
  "date-time": isDateTime,
  time: /^\d\d:\d\d:\d\d(\.\d+)?([zZ]|[+-]\d\d:\d\d)?$/,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uuid: /^[\da-f]{8}(-[\da-f]{4}){3}-[\da-f]{12}$/i,
  uri: /^[a-z][a-z\d+.-]*:\S*$/i,
  "uri-reference": /^\S*$/,
  hostname: /^(?=.{1,253}$)[a-z\d]([a-z\d-]{0,61}[a-z\d])?(\.[a-z\d]([a-z\d-]{0,61}[a-z\d])?)*$/i,
  ipv4: /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)$/,
  byte: /^([A-Za-z\d+/]{4})*([A-Za-z\d+/]{2}==|[A-Za-z\d+/]{3}=)?$/,
  binary: /(?:)/,
  password: /(?:)/,
  url: /^[a-z][a-z\d+.-]*:\/\/\S*$/i,
};

const NUMBER_FORMATS: Record<string, (n: number) => boolean> = {
  int32: (n) => (n | 0) === n,
  int64: Number.isSafeInteger,
  float: Number.isFinite,
  double: Number.isFinite,
};

/** Format checks by name, with the JSON type each applies to. */
export const formats: Record<string, { type: "string" | "number"; validate: (value: unknown) => boolean }> = {};
for (const [type, tests] of [["string", STRING_FORMATS], ["number", NUMBER_FORMATS]] as const) {
  for (const [name, test] of Object.entries<RegExp | ((v: never) => boolean)>(tests)) {
    formats[name] = { type, validate: (v) => typeof v !== type || (typeof test === "function" ? test(v as never) : test.test(v as string)) };
  }
}
