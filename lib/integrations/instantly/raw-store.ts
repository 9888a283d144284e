import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db";
import {
  instantlyCampaignDailyAnalytics,
  instantlyCampaigns,
  instantlyEmails,
  instantlyLeads,
  instantlySendingAccounts,
  instantlySyncCursors,
} from "@/db/schema";
import type { InstantlyAccount, InstantlyCampaign, InstantlyDailyAnalytics, InstantlyEmail, InstantlyLead } from "./schemas";
import type { InstantlyCursorResource } from "./sync-resources";

/**
 * Writes of the Instantly raw layer (db/schema/instantly.ts), by the sync only (the service
 * connection). Each upsert rewrites a row only when Instantly's JSON differs from what is
 * stored, so a replayed page changes nothing, not even `fetched_at`. Each returns the rows it
 * inserted or changed (`inserted`: seen for the first time), which is what the sync reflects on
 * our leads.
 */
export type ChangedRow = { instantlyId: string; inserted: boolean };
const CHANGED = { instantlyId: sql<string>`instantly_id`, inserted: sql<boolean>`(xmax = 0)` };
type RawTable = typeof instantlyCampaigns | typeof instantlySendingAccounts | typeof instantlyEmails;

async function upsertRaw(
  tx: Database,
  table: RawTable,
  workspaceId: string,
  rows: { instantlyId: string; raw: object }[],
): Promise<ChangedRow[]> {
  if (rows.length === 0) return [];
  const changed = await tx
    .insert(table)
    .values(rows.map((r) => ({ workspaceId, instantlyId: r.instantlyId, raw: r.raw as Record<string, unknown> })))
    .onConflictDoUpdate({
      target: [table.workspaceId, table.instantlyId],
      set: { raw: sql`excluded.raw`, fetchedAt: sql`now()` },
      setWhere: sql`${table.raw} is distinct from excluded.raw`,
    })
    .returning(CHANGED);
  return changed;
}

/** The same id twice in one statement is an error in PostgreSQL (and the later one is newer). */
function lastOfEach<T>(items: T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item])).values()];
}

export const storeInstantlyCampaigns = (tx: Database, workspaceId: string, campaigns: InstantlyCampaign[]) =>
  upsertRaw(
    tx,
    instantlyCampaigns,
    workspaceId,
    lastOfEach(campaigns, (c) => c.id).map((c) => ({ instantlyId: c.id, raw: c })),
  );

export const storeInstantlySendingAccounts = (tx: Database, workspaceId: string, accounts: InstantlyAccount[]) =>
  upsertRaw(
    tx,
    instantlySendingAccounts,
    workspaceId,
    lastOfEach(accounts, (a) => a.email).map((a) => ({ instantlyId: a.email, raw: a })),
  );

export const storeInstantlyEmails = (tx: Database, workspaceId: string, emails: InstantlyEmail[]) =>
  upsertRaw(
    tx,
    instantlyEmails,
    workspaceId,
    lastOfEach(emails, (e) => e.id).map((e) => ({ instantlyId: e.id, raw: e })),
  );

export const normaliseEmail = (email: string | null | undefined): string | null => {
  const value = email?.trim().toLowerCase();
  return value ? value : null;
};

export async function storeInstantlyLeads(tx: Database, workspaceId: string, leads: InstantlyLead[]): Promise<ChangedRow[]> {
  if (leads.length === 0) return [];
  const changed = await tx
    .insert(instantlyLeads)
    .values(
      lastOfEach(leads, (l) => l.id).map((l) => {
        // Lower-cased by PostgreSQL, as the column's check and the leads' unique index compare.
        const email = normaliseEmail(l.email);
        return { workspaceId, instantlyId: l.id, raw: l, email: email === null ? null : sql<string>`lower(btrim(${email}))` };
      }),
    )
    .onConflictDoUpdate({
      target: [instantlyLeads.workspaceId, instantlyLeads.instantlyId],
      set: { raw: sql`excluded.raw`, email: sql`excluded.email`, fetchedAt: sql`now()` },
      setWhere: sql`${instantlyLeads.raw} is distinct from excluded.raw`,
    })
    .returning(CHANGED);
  return changed;
}

export async function storeInstantlyDailyAnalytics(
  tx: Database,
  workspaceId: string,
  campaignId: string,
  days: InstantlyDailyAnalytics[],
): Promise<number> {
  if (days.length === 0) return 0;
  const t = instantlyCampaignDailyAnalytics;
  const changed = await tx
    .insert(t)
    .values(lastOfEach(days, (d) => d.date).map((d) => ({ workspaceId, campaignId, day: d.date, raw: d })))
    .onConflictDoUpdate({
      target: [t.workspaceId, t.campaignId, t.day],
      set: { raw: sql`excluded.raw`, fetchedAt: sql`now()` },
      setWhere: sql`${t.raw} is distinct from excluded.raw`,
    })
    .returning({ id: t.id });
  return changed.length;
}

export async function readInstantlyCursor(
  tx: Database,
  workspaceId: string,
  resource: InstantlyCursorResource,
): Promise<string | undefined> {
  const [row] = await tx
    .select({ cursor: instantlySyncCursors.cursor })
    .from(instantlySyncCursors)
    .where(and(eq(instantlySyncCursors.workspaceId, workspaceId), eq(instantlySyncCursors.resource, resource)));
  return row?.cursor;
}

export async function writeInstantlyCursor(
  tx: Database,
  workspaceId: string,
  resource: InstantlyCursorResource,
  cursor: string,
): Promise<void> {
  await tx
    .insert(instantlySyncCursors)
    .values({ workspaceId, resource, cursor })
    .onConflictDoUpdate({
      target: [instantlySyncCursors.workspaceId, instantlySyncCursors.resource],
      set: { cursor, updatedAt: sql`now()` },
      setWhere: sql`${instantlySyncCursors.cursor} is distinct from excluded.cursor`,
    });
}
