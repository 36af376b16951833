/**
 * Text that ends up in a mail header (a subject, a display name) must stay on its line: a CR or LF in it would
 * start a header of the sender's choosing (`Eve\r\nBcc: attacker@evil.example`). Every such field is made
 * header-safe where it enters (import) and again where a header is built from it (render), so neither a
 * forgotten importer nor a model's output can break out.
 */

// C0 controls (CR, LF, TAB, NUL…), DEL, C1 controls (NEL among them), and Unicode's line and paragraph separators.
// eslint-disable-next-line no-control-regex
const breaksOrControls = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
const loneSurrogates = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// Anything the replacements below would change: a control or separator, any surrogate, a double space, space at an end.
// eslint-disable-next-line no-control-regex
const needsCleaning = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\uD800-\uDFFF]| {2}|^\s|\s$/;

/** The value on one line: each run of control characters becomes one space, the ends are trimmed. */
export function headerSafe(value: string): string {
  // Most values are clean already: one test instead of four passes over every imported cell.
  if (!needsCleaning.test(value)) return value;
  return value.replace(loneSurrogates, '').replace(breaksOrControls, ' ').replace(/ {2,}/g, ' ').trim();
}

/** True when the value can go into a header exactly as it stands. */
export function isHeaderSafe(value: string): boolean {
  return headerSafe(value) === value;
}

/** Every string field of a record made header-safe; other values pass through untouched. */
export function headerSafeFields<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, typeof value === 'string' ? headerSafe(value) : value])) as T;
}
