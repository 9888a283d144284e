import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { campaignContent, type CampaignContent } from "@/lib/campaigns/content-hash";

/**
 * DESIGN.md §7.1 at send time, cheaply. Hashing a campaign's content costs a query over its
 * steps, variants and identities; at hundreds of sends a second it is done once per campaign
 * version instead:
 *
 * - `verified` remembers (campaign id, updated_at, approved hash) triples whose content was
 *   hashed and matched. Any change of the content moves campaigns.updated_at (the triggers of
 *   migration 0023 touch the campaign on every step, variant, identity-list or identity
 *   change, strictly increasing), so an unchanged updated_at means unchanged content;
 * - `contents` keeps, per approved hash, that content and its variants' ids: content with a
 *   given hash never changes, so the email is rendered from exactly what was approved.
 *
 * Both are bounded and per process; losing them only costs a re-hash.
 */
export type ApprovedContent = CampaignContent & { variantIds: Map<string, string> };

const MAX_ENTRIES = 5_000;
const verified = new Map<string, true>();
const contents = new Map<string, ApprovedContent>();

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.size >= MAX_ENTRIES) map.clear();
  map.set(key, value);
}

export type CampaignVersion = { campaignId: string; updatedAt: string; approvedHash: string | null };

/** How many times the content was hashed (the benchmark and the test read it). */
export const approvalChecks = { hashed: 0 };

/**
 * The approved content when the campaign's content still hashes to its approved hash, null
 * when it does not (or nothing was approved).
 */
export async function approvedContent(tx: Executor, version: CampaignVersion): Promise<ApprovedContent | null> {
  const { campaignId, updatedAt, approvedHash } = version;
  if (!approvedHash) return null;
  const key = `${campaignId} ${updatedAt} ${approvedHash}`;
  const cached = contents.get(approvedHash);
  if (cached && verified.has(key)) return cached;

  // Sends that find the same new version at once share one check instead of each hashing.
  const running = checking.get(key);
  if (running) return running;
  const check = checkContent(tx, version, key).finally(() => checking.delete(key));
  checking.set(key, check);
  return check;
}

const checking = new Map<string, Promise<ApprovedContent | null>>();

async function checkContent(tx: Executor, { campaignId, approvedHash }: CampaignVersion, key: string): Promise<ApprovedContent | null> {
  if (!approvedHash) return null;
  approvalChecks.hashed += 1;
  const current = await campaignContent(tx, campaignId);
  if (!current || current.hash !== approvedHash) return null;
  let content = contents.get(approvedHash);
  if (!content) {
    const variants = await tx.execute<{ id: string; step_id: string; label: string }>(sql`
      select id, step_id, label from public.campaign_step_variants where campaign_id = ${campaignId}`);
    content = { ...current.content, variantIds: new Map(variants.map((v) => [`${v.step_id} ${v.label}`, v.id])) };
    remember(contents, approvedHash, content);
  }
  remember(verified, key, true);
  return content;
}

/** For tests that must see the database's answer, not the cache's. */
export function forgetApprovedContent(): void {
  verified.clear();
  contents.clear();
}
