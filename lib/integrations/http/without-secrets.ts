/**
 * A vendor's answer as it may be kept for an admin to read (integration_invalid_answers), with
 * what could let someone act as the customer taken out: a PhantomBuster agent's `argument` holds
 * its LinkedIn session cookie, and any key named like a cookie, token, password, secret or API
 * key is another. Each such value becomes "[removed]"; the rest is kept as received.
 */
const SECRET_KEY = /argument|cookie|token|password|secret|session|api[_-]?key|authorization/i;
const REMOVED = "[removed]";

export function withoutSecrets(value: unknown, depth = 0): unknown {
  if (depth > 32) return REMOVED; // deeper than any answer we read: not kept at all
  if (Array.isArray(value)) return value.map((item) => withoutSecrets(item, depth + 1));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, SECRET_KEY.test(key) ? REMOVED : withoutSecrets(inner, depth + 1)]),
  );
}
