import "server-only";
import { and, eq, ne, or, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { leads } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { leadDisplayName } from "./lead-fields";
import { emailKey } from "./normalize";

/** The lead that already holds an address or profile, deleted ones included (they keep theirs). */
export type DuplicateLead = { field: "email" | "linkedinUrl"; leadId: string; name: string; deletedAt: string | null };

const FIELD_WORDS = { email: "email address", linkedinUrl: "LinkedIn URL" } as const;

/**
 * Refusal of a second lead with the same email (in any case or spacing) or LinkedIn profile.
 * Carries the existing lead so the form can link to it, or offer to restore it when deleted.
 */
export class DuplicateLeadError extends AppError {
  constructor(readonly duplicate: DuplicateLead) {
    const what = FIELD_WORDS[duplicate.field];
    const message = duplicate.deletedAt
      ? `A deleted lead, ${duplicate.name}, has this ${what}. Restore it from the Deleted leads instead of adding it again.`
      : `${duplicate.name} already has this ${what}. Open that lead instead of adding it again.`;
    super("conflict", message, { [duplicate.field]: [message] }, duplicate.leadId);
    this.name = "DuplicateLeadError";
  }
}

/**
 * The first lead of the workspace (other than `exceptId`) with this email's lower-cased form or
 * this normalised LinkedIn URL; the unique indexes leads_workspace_email_key and
 * leads_workspace_linkedin_key answer it.
 */
export async function findDuplicateLead(
  tx: Executor,
  {
    workspaceId,
    email,
    linkedinUrl,
    exceptId,
  }: { workspaceId: string; email: string | null; linkedinUrl: string | null; exceptId?: string },
): Promise<DuplicateLead | null> {
  const matches = [
    email ? sql`lower(${leads.email}) = ${emailKey(email)}` : undefined,
    linkedinUrl ? eq(leads.linkedinUrl, linkedinUrl) : undefined,
  ].filter(Boolean);
  if (matches.length === 0) return null;
  const rows = await tx
    .select({
      id: leads.id,
      firstName: leads.firstName,
      lastName: leads.lastName,
      email: leads.email,
      linkedinUrl: leads.linkedinUrl,
      deletedAt: leads.deletedAt,
    })
    .from(leads)
    .where(and(eq(leads.workspaceId, workspaceId), or(...matches), exceptId ? ne(leads.id, exceptId) : undefined))
    .limit(2);
  const byEmail = email ? rows.find((r) => r.email && emailKey(r.email) === emailKey(email)) : undefined;
  const row = byEmail ?? rows[0];
  if (!row) return null;
  return {
    field: byEmail ? "email" : "linkedinUrl",
    leadId: row.id,
    name: leadDisplayName(row),
    deletedAt: row.deletedAt?.toISOString() ?? null,
  };
}
