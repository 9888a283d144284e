import { escapeHtml } from "@/lib/email/html";

/**
 * The HTML part of a campaign email, built from plain text: the body is written as text, so
 * everything in it is escaped, blank lines make paragraphs, line breaks stay, and the http(s)
 * addresses the author wrote become links. Lead values arrive between LEAD_VALUE marks (set by
 * the engine's output escape): they are escaped like the rest but never made links, so a lead
 * field cannot put a clickable address into an email.
 */
export const LEAD_VALUE_START = "\uE000";
export const LEAD_VALUE_END = "\uE001";
const MARKS = /[\uE000\uE001]/g;

/** The engine's output escape for the HTML part: marks where a printed value begins and ends. */
export function markLeadValue(value: unknown): string {
  return LEAD_VALUE_START + String(value ?? "").replace(MARKS, "") + LEAD_VALUE_END;
}

export function stripLeadValueMarks(text: string): string {
  return text.replace(MARKS, "");
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'\uE000\uE001]+/g;
/** Punctuation that ends a sentence rather than the address: "see https://x.com." */
const TRAILING = /[.,;:!?)\]]+$/;

function linkify(text: string): string {
  let html = "";
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0].replace(TRAILING, "");
    const start = match.index;
    html += escapeHtml(text.slice(last, start));
    html += `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
    last = start + url.length;
  }
  return html + escapeHtml(text.slice(last));
}

/**
 * Escaped HTML of a rendered body whose lead values are marked. `inValue`: whether the text
 * starts inside a lead value (a value with a blank line in it spans paragraphs); returned with
 * where the text ends.
 */
function inlineHtml(marked: string, inValue: boolean): { html: string; inValue: boolean } {
  let html = "";
  for (const part of marked.split(/([\uE000\uE001])/)) {
    if (part === LEAD_VALUE_START) inValue = true;
    else if (part === LEAD_VALUE_END) inValue = false;
    else html += inValue ? escapeHtml(part) : linkify(part);
  }
  return { html, inValue };
}

const P = 'style="margin:0 0 14px;line-height:1.5"';

/**
 * Paragraphs of escaped text with its line breaks kept. Whether a paragraph begins inside a
 * lead value is carried over from the one before: a value with a blank line in it (a CSV's
 * quoted cell keeps one) must not have its second half made a link.
 */
export function paragraphsHtml(marked: string): string {
  let inValue = false;
  const paragraphs: string[] = [];
  for (const raw of marked.replace(/\r\n?/g, "\n").split(/\n[ \t]*\n+/)) {
    const p = raw.replace(/^\n+|\n+$/g, "");
    const inline = inlineHtml(p, inValue);
    inValue = inline.inValue;
    if (stripLeadValueMarks(p).trim() !== "") paragraphs.push(`<p ${P}>${inline.html.replace(/\n/g, "<br>\n")}</p>`);
  }
  return paragraphs.join("\n");
}

export function emailDocument({
  body,
  signature,
  postalAddress,
  unsubscribeUrl,
}: {
  body: string;
  signature: string | null;
  postalAddress: string;
  unsubscribeUrl: string;
}): string {
  const sign = signature ? `\n${paragraphsHtml(signature)}` : "";
  const footer =
    `<p style="margin:24px 0 0;color:#71717a;font-size:12px;line-height:1.5">` +
    `${escapeHtml(postalAddress).replace(/\r?\n/g, "<br>")}<br>` +
    `<a href="${escapeHtml(unsubscribeUrl)}" style="color:#71717a">Unsubscribe</a></p>`;
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;font-size:15px;color:#18181b">\n${paragraphsHtml(body)}${sign}\n${footer}\n</body></html>`;
}
