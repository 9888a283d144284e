import "server-only";
import { fetchPublicPage, type PublicFetchOptions } from "@/lib/security/public-fetch";

/**
 * The readable text of a company's public homepage, for the lead-insight prompt when a run
 * asks for it: fetched through fetchPublicPage (public addresses only, checked after DNS and on
 * every redirect, http(s) only, no cookies, a size and a time limit), HTML reduced to its words,
 * cut to HOMEPAGE_MAX_CHARS. A page that cannot be had (refused, down, not HTML) is null: the
 * lead is enriched from its fields alone.
 */
export const HOMEPAGE_MAX_CHARS = 2_000;
/** The most tokens a homepage adds to a prompt (≈ 4 characters a token, rounded up): the estimate's upper bound. */
export const HOMEPAGE_MAX_TOKENS = 700;

const MAX_BYTES = 400 * 1024;
const TIMEOUT_MS = 6_000;

export type HomepageOptions = PublicFetchOptions & {
  /** Tests only: where a domain's homepage is served. */
  urlOf?: (domain: string) => string;
};

export async function fetchHomepageText(domain: string, options: HomepageOptions = {}): Promise<string | null> {
  if (!/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(domain)) return null;
  const { urlOf, ...fetchOptions } = options;
  try {
    const page = await fetchPublicPage(urlOf ? urlOf(domain) : `https://${domain}/`, {
      maxBytes: MAX_BYTES,
      timeoutMs: TIMEOUT_MS,
      ...fetchOptions,
    });
    if (page.status < 200 || page.status >= 300) return null;
    if (page.contentType && !/text\/html|text\/plain|application\/xhtml/i.test(page.contentType)) return null;
    const text = htmlToText(page.body);
    return text.length > 0 ? text.slice(0, HOMEPAGE_MAX_CHARS) : null;
  } catch {
    return null;
  }
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** The words a visitor reads: the title, the description and the body's text, without scripts, styles or markup. */
export function htmlToText(html: string): string {
  const description = /<meta[^>]+name=["']description["'][^>]*content=["']([^"']*)["']/i.exec(html)?.[1] ?? "";
  const body = html
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/<(script|style|noscript|svg|template|iframe)\b[\s\S]*?<\/\1\s*>/gi, " ")
    .replace(/<[^>]*>/g, " ");
  return `${description} ${body}`
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (match, name: string) => {
      if (name.startsWith("#x") || name.startsWith("#X")) return safeChar(parseInt(name.slice(2), 16));
      if (name.startsWith("#")) return safeChar(Number(name.slice(1)));
      return ENTITIES[name.toLowerCase()] ?? match;
    })
    .replace(/\s+/g, " ")
    .trim();
}

function safeChar(code: number): string {
  return Number.isInteger(code) && code > 31 && code < 0x110000 ? String.fromCodePoint(code) : " ";
}
