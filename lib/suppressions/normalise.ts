import type { SuppressionKind } from "@/db/schema/campaign-enums";

/**
 * How a suppression is written down (browser-safe: the form and the CSV import use it too).
 * Stored lower-cased and trimmed (the table's check constraints say the same), so a lead's
 * address matches whatever its case: `Ann@Example.COM` is `ann@example.com`. A domain is given
 * bare (`example.com`) or as people often write it (`@example.com`, `*@example.com`), and
 * matches every address at exactly that domain (not its subdomains: `mail.example.com` is
 * another domain, as the audience's count treats it).
 */
export type SuppressionEntry = { kind: SuppressionKind; value: string };

export type NormalisedSuppression = { ok: true; entry: SuppressionEntry } | { ok: false; error: string };

export const SUPPRESSION_VALUE_MAX = 320;
export const SUPPRESSION_NOTE_MAX = 500;

const EMAIL = /^[^@\s"<>,;]+@[^@\s"<>,;]+\.[^@\s"<>,;.]+$/;
const DOMAIN = /^(?=.{3,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z0-9-]{2,63}$/;

/**
 * `kind` forces the reading (the sending paths know they hold an address); without it a value
 * with an "@" before a local part is an address and anything else a domain. Everything that is
 * neither (a formula such as `=HYPERLINK(…)`, a URL, a name) is refused with a reason.
 */
export function normaliseSuppression(raw: string, kind?: SuppressionKind): NormalisedSuppression {
  let value = raw.trim().toLowerCase();
  if (value.startsWith("mailto:")) value = value.slice("mailto:".length);
  if (value.length === 0) return { ok: false, error: "Empty: give an email address or a domain." };
  if (value.length > SUPPRESSION_VALUE_MAX) return { ok: false, error: `Too long (at most ${SUPPRESSION_VALUE_MAX} characters).` };
  const domainForm = /^\*?@/.test(value);
  if (kind === "domain" || (kind === undefined && (domainForm || !value.includes("@")))) {
    const domain = value.replace(/^\*?@/, "").replace(/\.$/, "");
    if (!DOMAIN.test(domain)) return { ok: false, error: "Not a domain (like example.com)." };
    return { ok: true, entry: { kind: "domain", value: domain } };
  }
  if (!EMAIL.test(value)) return { ok: false, error: "Not an email address (like name@example.com)." };
  return { ok: true, entry: { kind: "email", value } };
}
