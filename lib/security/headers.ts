/**
 * Security headers (DESIGN.md §11, defence in depth). Two layers, because no single place sees
 * every response: next.config.ts sends the static ones on every path, static files and
 * /auth/v1 included; the proxy adds the page CSP with a fresh nonce per request, and HSTS,
 * which depends on APP_URL at run time rather than at build time.
 */

export type Header = { key: string; value: string };

/** Sent on every response by next.config.ts; each also holds without a page CSP. */
export function staticSecurityHeaders({ https }: { https: boolean }): Header[] {
  return [
    // Invite and confirm URLs carry tokens: other sites see only our origin.
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    // For browsers that predate CSP's frame-ancestors; the CSP says the same.
    { key: "X-Frame-Options", value: "DENY" },
    ...(https ? [hstsHeader()] : []),
  ];
}

export function hstsHeader(): Header {
  return { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" };
}

/**
 * The CSP of every response the proxy sees (pages, actions, /api routes): scripts only with
 * this request's nonce ('strict-dynamic' lets Next's own loader add its chunks), no plugins,
 * no framing by anyone, forms and <base> only to this origin, nothing fetched from elsewhere.
 *
 * Styles allow 'unsafe-inline': React's `style` props, Radix and sonner set inline styles, and
 * the Dev outbox shows email HTML in a sandboxed srcdoc frame, which inherits this policy and
 * whose emails carry inline style attributes. A nonce in style-src would disable that.
 * Development adds 'unsafe-eval', which React needs for its debugging aids.
 */
export function contentSecurityPolicy({ nonce, development }: { nonce: string; development: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * The CSP of responses the proxy does not see (static files, /auth/v1, the outbox API, the
 * Inngest endpoint): none of them is a page, so nothing may load and nobody may frame them.
 */
export const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The unsubscribe pages (app/unsubscribe/[token]): plain HTML with inline styles and a form
 * that posts to itself, so nothing may load or run. The token is in the URL: no referrer leaves.
 * Served outside the proxy (no session is read or refreshed there), so next.config.ts sends
 * these for that path after the site-wide ones, which they override.
 */
export const UNSUBSCRIBE_PAGE_HEADERS: Header[] = [
  {
    key: "Content-Security-Policy",
    value: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  },
  { key: "Referrer-Policy", value: "no-referrer" },
];

export function generateNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
