/**
 * Whether a request that changes something comes from another site, judged as Next judges
 * server actions: the browser's `Origin` must name the host the request was sent to (the
 * proxy's `x-forwarded-host` when there is one, else `host`). Browsers send `Origin` with every
 * POST, same-origin ones included, and a page cannot forge it; `Origin: null` (a sandboxed
 * frame, a redirect across sites) is refused too. A request without `Origin` (a script, curl)
 * is not a browser's, so it carries no cookies a site could borrow, unless `Sec-Fetch-Site`
 * says a browser sent it from elsewhere.
 */
export function isCrossSite(headers: Headers): boolean {
  const origin = headers.get("origin");
  if (origin === null) return headers.get("sec-fetch-site") === "cross-site";
  const host = (headers.get("x-forwarded-host") ?? headers.get("host") ?? "").split(",")[0]!.trim().toLowerCase();
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    return true;
  }
  return originHost === "" || originHost !== host;
}
