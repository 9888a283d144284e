/**
 * A link target for a URL that came from outside (imports, vendors, users): http(s) only, so
 * a `javascript:` or `data:` URL is never rendered as a link. A bare host gets https://.
 */
export function safeHref(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(/^[a-z][a-z0-9+.-]*:/i.test(url) ? url : `https://${url}`);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.toString() : null;
  } catch {
    return null;
  }
}
