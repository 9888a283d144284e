/**
 * The one check for every redirect target that comes from input (`next`, `redirect_to`).
 *
 * Browsers strip tabs and newlines from a Location and read `\` as `/`, so `/\t/evil.example`
 * or `/\evil.example` reach another host although they look like paths. Rather than guess
 * which strings a browser will misread, the value is resolved against the app's origin as a
 * browser would, and refused when it leaves that origin, when it (or any percent-decoding of
 * it) holds a control character or a backslash, or when its path would start with `//`
 * (read as "another host" by whatever resolves it next).
 *
 * Returns the path + query + hash to redirect to, or null: callers fall back to a fixed page.
 */
export function safeRedirectPath(value: string | null | undefined, origin: string): string | null {
  if (!value || value.length > MAX_LENGTH) return null;
  const decoded = decodeRepeatedly(value);
  if (decoded === null || UNSAFE_CHARACTERS.test(value) || UNSAFE_CHARACTERS.test(decoded)) return null;

  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return null;
  }
  if (url.origin !== new URL(origin).origin) return null;
  const pathDecoded = decodeRepeatedly(url.pathname);
  if (pathDecoded === null || url.pathname.startsWith("//") || pathDecoded.startsWith("//")) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

const MAX_LENGTH = 2048;
/** C0 controls, DEL and the backslash. */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f\\]/;

/** Undoes percent-encoding until nothing changes (double-encoded `%252f` too); null if malformed. */
function decodeRepeatedly(value: string): string | null {
  let current = value;
  for (let round = 0; round < 4; round++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return null;
    }
    if (next === current) return current;
    current = next;
  }
  return current;
}
