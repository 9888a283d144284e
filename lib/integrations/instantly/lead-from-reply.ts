import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { leads } from "@/db/schema";
import { sqlStateOf } from "@/db/sql-state";
import { recordActivities } from "@/lib/leads/activities";
import { companyIdForEmail } from "@/lib/leads/company-for-email";
import { findDuplicateLead } from "@/lib/leads/find-duplicate-lead";
import { LEAD_FIELD_SCHEMAS, ZLeadFields } from "@/lib/leads/schemas";
import type { InstantlyEmail } from "./schemas";

export type LeadFromReply = { leadId: string } | { skipped: string };

const str = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v.trim() : null);

/** A field Instantly gave, kept only when our lead's own schema accepts it (too long or odd: left out). */
function field<K extends keyof typeof LEAD_FIELD_SCHEMAS>(key: K, ...values: unknown[]) {
  const value = values.map(str).find((v) => v !== null) ?? null;
  const parsed = LEAD_FIELD_SCHEMAS[key].safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * A reply in Instantly from an address no lead of ours has (a lead added in Instantly itself,
 * never imported here) becomes a lead, so the reply is seen and worked like any other: in the
 * Replies inbox, on the lead's timeline, read by the model, announced as lead.created and
 * email.replied. Only when Instantly ties the reply to one of its leads — it belongs to a
 * campaign, or the address is a lead the sync stored — never for any mail that reached a
 * mailbox. The name, title and phone come from that Instantly lead (else from the fields the
 * webhook merges in); the company is ours with the address's domain, if any; unassigned, source `instantly`, status `replied` follows as for any reply.
 * An address whose lead was deleted here stays deleted: the reply is kept raw only.
 */
export async function leadFromInstantlyReply(
  tx: Executor,
  workspaceId: string,
  from: string,
  email: InstantlyEmail,
): Promise<LeadFromReply> {
  const duplicate = await findDuplicateLead(tx, { workspaceId, email: from, linkedinUrl: null });
  if (duplicate?.deletedAt) return { skipped: "its lead was deleted here" };
  if (duplicate) return { leadId: duplicate.leadId };

  const [known] = await tx.execute<{ instantly_id: string; raw: Record<string, unknown> }>(sql`
    select instantly_id, raw from public.instantly_leads
    where workspace_id = ${workspaceId} and email = ${from}
    order by fetched_at desc limit 1`);
  if (!known && !str(email.campaign_id)) return { skipped: "Instantly ties it to no lead or campaign" };

  const lead = known?.raw ?? {};
  const merged = email as Record<string, unknown>;
  const fields = ZLeadFields.safeParse({
    email: from,
    firstName: field("firstName", lead.first_name, merged.first_name, merged.firstName),
    lastName: field("lastName", lead.last_name, merged.last_name, merged.lastName),
    title: field("title", lead.job_title, merged.job_title, merged.jobTitle),
    phone: field("phone", lead.phone, merged.phone),
  });
  if (!fields.success) return { skipped: "its address cannot make a lead" };

  const companyId = await companyIdForEmail(tx, workspaceId, from);
  // The sandbox's leads and replies say they are invented: so does the lead made of them.
  const sandbox = lead.sample_data === true || merged.sample_data === true;
  let leadId: string;
  try {
    // A savepoint: a lead added at the same moment (an import, a person) wins, and is used.
    leadId = await tx.transaction(async (sp) => {
      const [row] = await sp
        .insert(leads)
        .values({
          workspaceId,
          ...fields.data,
          companyId,
          ownerId: null,
          source: "instantly",
          instantlyLeadId: known?.instantly_id ?? null,
          createdBy: null,
          sampleData: sandbox ? "lead" : null,
        })
        .returning({ id: leads.id });
      return row!.id;
    });
  } catch (error) {
    if (sqlStateOf(error) !== "23505") throw error;
    const raced = await findDuplicateLead(tx, { workspaceId, email: from, linkedinUrl: null });
    if (!raced) throw error;
    return raced.deletedAt ? { skipped: "its lead was deleted here" } : { leadId: raced.leadId };
  }
  await recordActivities(tx, [
    { workspaceId, leadId, type: "imported", actorId: null, payload: { source: "instantly", ...(sandbox ? { sandbox } : {}) } },
  ]);
  return { leadId };
}
