import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { isFreeMailDomain } from "@/lib/email/free-mail";

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
    if (isFreeMailDomain(domain)) {
      return `${domain} is a free email provider: suppressing the whole domain stops every email to anyone with a ${domain} address, not one company.`;
    }
    return own.has(domain)
      ? `${domain} is a domain this workspace sends from: suppressing it stops every email to your own colleagues there.`
      : null;
  };
}
