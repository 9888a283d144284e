/**
 * The response of every CSV people download (lead and suppression exports, analytics tables, an
 * import's problem rows): a UTF-8 CSV that is never cached, its data rows counted in
 * `x-row-count`, and its name given both ways RFC 6266 allows, so an accented name survives.
 */
export function csvDownload(body: BodyInit, fileName: string, rowCount: number): Response {
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": attachmentDisposition(fileName),
      "cache-control": "no-store",
      "x-row-count": String(rowCount),
    },
  });
}

/**
 * `attachment; filename="<ASCII>"; filename*=UTF-8''<percent-encoded>`: browsers take the UTF-8
 * form (RFC 5987), older clients the ASCII one. A name can come from an upload, so control
 * characters (a CR or LF would end the header) become `_` in both, and the ASCII form also loses
 * what would end or escape its quoted string or split the parameters (`"`, `\`, `;`).
 */
function attachmentDisposition(fileName: string): string {
  // toWellFormed: encodeURIComponent throws on a lone surrogate.
  const name = fileName.toWellFormed().replaceAll(/\p{Cc}/gu, "_");
  const ascii = name.replaceAll(/[^\x20-\x7e]|["\\;]/gu, "_");
  // encodeURIComponent leaves ' ( ) * as they are; RFC 5987's attr-char does not allow them.
  const encoded = encodeURIComponent(name).replaceAll(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
