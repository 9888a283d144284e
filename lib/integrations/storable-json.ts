/**
 * A vendor's JSON as PostgreSQL's jsonb can hold it: jsonb refuses a NUL character (U+0000) in
 * any string or key ("unsupported Unicode escape sequence"), and one NUL in a payload failed
 * the statement that stores the whole page, chunk or delivery, again on every retry. Every
 * vendor client and webhook receiver passes what it parsed through here: the NULs are dropped,
 * everything else stays as the vendor sent it.
 */
export function withoutNul<T>(value: T): T {
  if (typeof value === "string") return (value.includes("\u0000") ? value.replaceAll("\u0000", "") : value) as T;
  if (Array.isArray(value)) return value.map(withoutNul) as T;
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [withoutNul(key), withoutNul(item)])) as T;
  }
  return value;
}
