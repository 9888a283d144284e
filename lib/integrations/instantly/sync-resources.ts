/**
 * The Instantly resources the sync resumes from a stored cursor (db/schema/instantly.ts):
 * leads and received emails come oldest first, so the next sync asks only for what follows the
 * last one stored; daily analytics resume from the first day that can still change. Campaigns
 * and sending accounts are few and change in place: each sync reads them whole.
 * Browser-safe: the schema builds its check from it.
 */
export const INSTANTLY_CURSOR_RESOURCES = ["campaign_daily_analytics", "leads", "emails"] as const;
export type InstantlyCursorResource = (typeof INSTANTLY_CURSOR_RESOURCES)[number];
