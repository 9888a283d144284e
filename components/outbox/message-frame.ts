/**
 * The policy inside the message frame: no requests at all (no remote images, styles, fonts,
 * tracking pixels), inline styles and data: images allowed so that emails still look like
 * emails. A srcdoc frame also inherits the page's own CSP; the stricter of the two applies.
 */
export const MESSAGE_FRAME_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; form-action 'none'";

/**
 * The srcdoc of a sandboxed message frame. The policy comes first in <head>, before any of the
 * message, so nothing in the message loads before it applies; a <meta> policy inside the
 * message's body is ignored by browsers and could only tighten it anyway.
 */
export function messageFrameDocument(html: string): string {
  return [
    "<!doctype html><html><head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${MESSAGE_FRAME_CSP}">`,
    '<base target="_blank">',
    "</head><body>",
    html,
    "</body></html>",
  ].join("");
}
