import { sql, type SQL } from "drizzle-orm";
import { suppressions } from "@/db/schema";

/**
 * An SQL condition, true when the address `emailSql` evaluates to, or its whole domain, is on
 * the workspace's suppression list (false for a null address). For the send step's last check
 * and any query that must leave suppressed addresses out.
 *
 * Two separate EXISTS, each an equality on the unique index (workspace_id, kind, value), so
 * each is one index probe per address, whatever the list's size; an OR inside one EXISTS would
 * let the planner scan the workspace's whole list. The address is compared as stored:
 * lower-cased and trimmed (lib/suppressions/normalise.ts). The aliases are unusual on purpose:
 * `emailSql` may name a column of the caller's own aliased tables.
 */
export function suppressionMatch(workspaceId: string | SQL, emailSql: SQL): SQL {
  const address = sql`lower(btrim(${emailSql}))`;
  return sql`(exists (select 1 from ${suppressions} sup_email where sup_email.workspace_id = ${workspaceId} and sup_email.kind = 'email' and sup_email.value = ${address})
    or exists (select 1 from ${suppressions} sup_domain where sup_domain.workspace_id = ${workspaceId} and sup_domain.kind = 'domain' and sup_domain.value = split_part(${address}, '@', 2)))`;
}
