/**
 * A vendor's JSON as PostgreSQL's jsonb can hold it. jsonb refuses a NUL character (U+0000) in
 * any string or key ("unsupported Unicode escape sequence") and half of a UTF-16 surrogate pair
 * ("\ud800" without its partner: "invalid input syntax for type json"), and one such character in
 * a payload failed the statement that stores the whole page, chunk or delivery, again on every
 * retry. Every vendor client and webhook receiver passes what it parsed through here: NULs are
 * dropped, a lone surrogate becomes U+FFFD (as text columns store it), everything else stays as
 * the vendor sent it.
 */
export function storableJson<T>(value: T): T {
  if (typeof value === "string") return storableText(value) as T;
  if (Array.isArray(value)) return value.map(storableJson) as T;
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [storableText(key), storableJson(item)])) as T;
  }
  return value;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function storableText(text: string): string {
  const withoutNul = text.includes("\u0000") ? text.replaceAll("\u0000", "") : text;
  return withoutNul.replace(LONE_SURROGATE, "\uFFFD");
}
