import "server-only";
import { asc, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { sendingIdentities } from "@/db/schema";

/** The identities the editor offers (archived ones only where a campaign still uses them). */
export async function listIdentityOptions(tx: Executor, { workspaceId }: { workspaceId: string }) {
  const rows = await tx
    .select({
      id: sendingIdentities.id,
      fromName: sendingIdentities.fromName,
      fromEmail: sendingIdentities.fromEmail,
      archivedAt: sendingIdentities.archivedAt,
    })
    .from(sendingIdentities)
    .where(eq(sendingIdentities.workspaceId, workspaceId))
    .orderBy(asc(sendingIdentities.fromName), asc(sendingIdentities.fromEmail));
  return rows.map(({ archivedAt, ...r }) => ({ ...r, archived: archivedAt !== null }));
}
