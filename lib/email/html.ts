const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Every value interpolated into email HTML goes through this. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A plain, client-safe email body: a heading, paragraphs and one call-to-action button. */
export function renderActionEmail({
  heading,
  paragraphs,
  actionLabel,
  actionUrl,
  footer,
}: {
  heading: string;
  paragraphs: string[];
  actionLabel: string;
  actionUrl: string;
  footer: string;
}): { html: string; text: string } {
  const body = paragraphs.map((p) => `<p style="margin:0 0 16px;line-height:1.5">${escapeHtml(p)}</p>`).join("");
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#18181b;background:#fafafa;padding:24px">
<div style="max-width:520px;margin:0 auto;background:#fff;border:1px solid #e4e4e7;border-radius:8px;padding:24px">
<h1 style="font-size:18px;margin:0 0 16px">${escapeHtml(heading)}</h1>${body}
<p style="margin:24px 0"><a href="${escapeHtml(actionUrl)}" style="background:#4f46e5;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(actionLabel)}</a></p>
<p style="margin:0;color:#71717a;font-size:12px;line-height:1.5">${escapeHtml(footer)}<br>${escapeHtml(actionUrl)}</p>
</div></body></html>`;
  const text = `${heading}\n\n${paragraphs.join("\n\n")}\n\n${actionLabel}: ${actionUrl}\n\n${footer}\n`;
  return { html, text };
}
