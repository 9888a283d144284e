import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";

/**
 * A campaign's content and its hash as the database computes them (private.campaign_content,
 * migration 0023): the only definition of "the exact content", shared by submission, review,
 * approval, the campaign page's "changed since approval" and launch. Under RLS for a member.
 */
export async function campaignContentHash(tx: Executor, campaignId: string): Promise<string | null> {
  const [row] = await tx.execute<{ hash: string | null }>(sql`select private.campaign_content_hash(${campaignId}) as hash`);
  return row?.hash ?? null;
}

export type CampaignContent = {
  audience: unknown;
  stopOnReply: boolean;
  plainTextOnly: boolean;
  identities: {
    id: string;
    fromName: string;
    fromEmail: string;
    replyTo: string | null;
    signature: string | null;
    postalAddress: string | null;
  }[];
  steps: {
    id: string;
    position: number;
    delayDays: number;
    delayHours: number;
    businessDays: boolean;
    variants: { label: string; weight: number; subject: string; body: string }[];
  }[];
};

/** The content and its hash together, read in one statement (what an approval records). */
export async function campaignContent(tx: Executor, campaignId: string): Promise<{ content: CampaignContent; hash: string } | null> {
  const [row] = await tx.execute<{ content: CampaignContent; hash: string }>(sql`
    select private.campaign_content(c) as content, private.campaign_content_hash_of(c) as hash
    from public.campaigns c where c.id = ${campaignId}`);
  return row ?? null;
}
