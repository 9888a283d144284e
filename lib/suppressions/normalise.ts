import type { SuppressionKind } from "@/db/schema/campaign-enums";

/**
 * How a suppression is written down (browser-safe: the form and the CSV import use it too).
 * Stored lower-cased and trimmed (the table's check constraints say the same), so a lead's
 * address matches whatever its case: `Ann@Example.COM` is `ann@example.com`. A domain is given
 * bare (`example.com`) or as people often write it (`@example.com`, `*@example.com`), and
 * matches every address at exactly that domain (not its subdomains: `mail.example.com` is
 * another domain, as the audience's count treats it).
 *
 * A lead's address is always ASCII (the lead schema's email check), so an entry is stored in
 * the form a lead's address can take: a domain typed in Unicode (`bücher.de`) is kept as its
 * ASCII form (`xn--bcher-kva.de`), invisible format characters pasted with it (a zero-width
 * space, a soft hyphen) are dropped, and an address with other letters before the @ is refused
 * rather than stored where it could never match.
 */
export type SuppressionEntry = { kind: SuppressionKind; value: string };

export type NormalisedSuppression = { ok: true; entry: SuppressionEntry } | { ok: false; error: string };

export const SUPPRESSION_VALUE_MAX = 320;
export const SUPPRESSION_NOTE_MAX = 500;

const EMAIL = /^[^@\s"<>,;]+@[^@\s"<>,;]+\.[^@\s"<>,;.]+$/;
const DOMAIN = /^(?=.{3,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z0-9-]{2,63}$/;
const notAnEmail: NormalisedSuppression = { ok: false, error: "Not an email address (like name@example.com)." };
const tooLong: NormalisedSuppression = { ok: false, error: `Too long (at most ${SUPPRESSION_VALUE_MAX} characters).` };

/** Invisible characters (zero-width space and joiners, soft hyphen, BOM, bidi marks) that a copy and paste brings along. */
const FORMAT_CHARACTERS = /\p{Cf}/gu;
const NON_ASCII = /[^\x00-\x7f]/;
/** What would make the URL parser read a host name as more than one (a path, a port, a user). */
const URL_DELIMITERS = /[/\\:?#%@[\]]/;

/**
 * `kind` forces the reading (the sending paths know they hold an address); without it a value
 * with an "@" before a local part is an address and anything else a domain. Everything that is
 * neither (a formula such as `=HYPERLINK(…)`, a URL, a name) is refused with a reason.
 */
export function normaliseSuppression(raw: string, kind?: SuppressionKind): NormalisedSuppression {
  let value = raw.replace(FORMAT_CHARACTERS, "").trim().toLowerCase();
  if (value.startsWith("mailto:")) value = value.slice("mailto:".length);
  if (value.length === 0) return { ok: false, error: "Empty: give an email address or a domain." };
  if (value.length > SUPPRESSION_VALUE_MAX) return tooLong;
  const domainForm = /^\*?@/.test(value);
  if (kind === "domain" || (kind === undefined && (domainForm || !value.includes("@")))) {
    const domain = asciiDomain(value.replace(/^\*?@/, "").replace(/\.$/, ""));
    if (domain === null || !DOMAIN.test(domain)) return { ok: false, error: "Not a domain (like example.com)." };
    return { ok: true, entry: { kind: "domain", value: domain } };
  }
  if (!EMAIL.test(value)) return notAnEmail;
  const at = value.lastIndexOf("@");
  if (NON_ASCII.test(value.slice(0, at))) {
    return {
      ok: false,
      error:
        "Accented or non-Latin letters before the @ are not accepted: no lead's address can hold them, so the entry would never match.",
    };
  }
  const domain = asciiDomain(value.slice(at + 1));
  if (domain === null) return notAnEmail;
  value = `${value.slice(0, at)}@${domain}`;
  if (!EMAIL.test(value)) return notAnEmail;
  if (value.length > SUPPRESSION_VALUE_MAX) return tooLong;
  return { ok: true, entry: { kind: "email", value } };
}

/**
 * A domain in its ASCII form (IDNA, as browsers and mail servers use: `bücher.de` is
 * `xn--bcher-kva.de`); null when it has none. The WHATWG URL parser does the conversion, which
 * keeps this module browser-safe (node:url's domainToASCII is the same algorithm); an ASCII
 * domain is returned as it is, so no numeric host is rewritten into an IP address.
 */
function asciiDomain(domain: string): string | null {
  if (!NON_ASCII.test(domain)) return domain;
  if (URL_DELIMITERS.test(domain)) return null;
  try {
    const host = new URL(`http://${domain}/`).hostname;
    return host && !NON_ASCII.test(host) ? host : null;
  } catch {
    return null;
  }
}
