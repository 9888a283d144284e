import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb, type Executor } from "@/db";
import { createTestCampaign } from "@/tests/fixtures/submitted-campaign";
import { createTenancyFixture, removeTenancyFixture, sqlState, type TenancyFixture } from "@/tests/fixtures/tenancy";

/**
 * One of our campaigns per Instantly campaign in a workspace (migration 0090): analytics join
 * Instantly's daily figures to our campaigns through instantly_campaign_pushes, so a second
 * link would count them twice. Whoever writes — the push job's service connection here — the
 * database refuses it; another workspace may link the same Instantly id.
 */

let fx: TenancyFixture;
const db = () => serviceDb();
const MIGRATION = path.resolve(import.meta.dirname, "migrations/0090_instantly_push_campaign_unique.sql");

const campaignIn = async (workspace: "a" | "b") =>
  (await createTestCampaign(fx[workspace].id, fx[workspace].members.admin, { submit: false })).campaignId;

/** A push row as the push job writes it; "ok" or the SQLSTATE PostgreSQL refused it with. */
async function insertPush(
  tx: Executor,
  row: { workspaceId: string; campaignId: string; instantlyId: string | null; createdAt?: string },
): Promise<string> {
  try {
    await tx.execute(sql`
      insert into public.instantly_campaign_pushes (workspace_id, campaign_id, account_id, content_hash, instantly_campaign_id, status, created_at)
      values (${row.workspaceId}, ${row.campaignId}, ${randomUUID()}, 'hash', ${row.instantlyId},
        ${row.instantlyId ? "active" : "pushing"}, coalesce(${row.createdAt ?? null}::timestamptz, now()))`);
    return "ok";
  } catch (error) {
    return sqlState(error) ?? String(error);
  }
}

beforeAll(async () => {
  fx = await createTenancyFixture(db());
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx, db());
});

describe("an Instantly campaign is linked to one campaign of a workspace", () => {
  it("refuses a second push of the same Instantly campaign in the workspace, inserted or updated to it", async () => {
    const [first, second, third] = [await campaignIn("a"), await campaignIn("a"), await campaignIn("a")];
    expect(await insertPush(db(), { workspaceId: fx.a.id, campaignId: first, instantlyId: "inst-shared" })).toBe("ok");
    expect(await insertPush(db(), { workspaceId: fx.a.id, campaignId: second, instantlyId: "inst-shared" })).toBe("23505");

    // Pushes whose Instantly campaign is not created yet have no id: any number of them.
    expect(await insertPush(db(), { workspaceId: fx.a.id, campaignId: second, instantlyId: null })).toBe("ok");
    expect(await insertPush(db(), { workspaceId: fx.a.id, campaignId: third, instantlyId: null })).toBe("ok");
    // …and the one the push job stores once Instantly answers must not be the first's.
    const link = (campaignId: string, instantlyId: string) =>
      db()
        .execute(sql`update public.instantly_campaign_pushes set instantly_campaign_id = ${instantlyId} where campaign_id = ${campaignId}`)
        .then(
          () => "ok",
          (error: unknown) => sqlState(error) ?? String(error),
        );
    expect(await link(second, "inst-shared")).toBe("23505");
    expect(await link(second, "inst-second")).toBe("ok");
    // Storing the same id again on its own push (a replayed step) is no conflict.
    expect(await link(first, "inst-shared")).toBe("ok");
    const [n] = await db().execute<{ n: number }>(sql`
      select count(*)::int as n from public.instantly_campaign_pushes where workspace_id = ${fx.a.id} and instantly_campaign_id = 'inst-shared'`);
    expect(n!.n).toBe(1);
  });

  it("lets another workspace link the same Instantly campaign, and holds the rule within that workspace too", async () => {
    const [mine, theirs, theirsToo] = [await campaignIn("a"), await campaignIn("b"), await campaignIn("b")];
    expect(await insertPush(db(), { workspaceId: fx.a.id, campaignId: mine, instantlyId: "inst-both" })).toBe("ok");
    // One Instantly account connected to both workspaces: each may have its own campaign linked to it.
    expect(await insertPush(db(), { workspaceId: fx.b.id, campaignId: theirs, instantlyId: "inst-both" })).toBe("ok");
    expect(await insertPush(db(), { workspaceId: fx.b.id, campaignId: theirsToo, instantlyId: "inst-both" })).toBe("23505");
  });

  it("migration 0090 keeps the earliest push of a pair already in the database and unlinks the later ones, saying why", async () => {
    const statements = (await readFile(MIGRATION, "utf8")).split("--> statement-breakpoint");
    const [early, later1, later2, tie1, tie2, other] = [
      await campaignIn("a"),
      await campaignIn("a"),
      await campaignIn("a"),
      await campaignIn("a"),
      await campaignIn("a"),
      await campaignIn("b"),
    ];
    const rollback = new Error("rolled back");
    const outcome = db().transaction(async (tx) => {
      // A database from before the index, holding pairs: three pushes of one Instantly campaign
      // (the earliest inserted last), two of another made at the same moment, and another
      // workspace's push of the first, older than all.
      await tx.execute(sql`drop index public.instantly_campaign_pushes_instantly_campaign_key`);
      const at = (day: string) => `2026-03-${day}T00:00:00Z`;
      await insertPush(tx, { workspaceId: fx.a.id, campaignId: later1, instantlyId: "inst-dup", createdAt: at("02") });
      await insertPush(tx, { workspaceId: fx.a.id, campaignId: later2, instantlyId: "inst-dup", createdAt: at("03") });
      await insertPush(tx, { workspaceId: fx.a.id, campaignId: early, instantlyId: "inst-dup", createdAt: at("01") });
      await insertPush(tx, { workspaceId: fx.a.id, campaignId: tie1, instantlyId: "inst-tie", createdAt: at("05") });
      await insertPush(tx, { workspaceId: fx.a.id, campaignId: tie2, instantlyId: "inst-tie", createdAt: at("05") });
      await insertPush(tx, { workspaceId: fx.b.id, campaignId: other, instantlyId: "inst-dup", createdAt: "2026-01-01T00:00:00Z" });
      const ties = await tx.execute<{ campaign_id: string; id: string }>(sql`
        select campaign_id, id::text from public.instantly_campaign_pushes where campaign_id in (${tie1}, ${tie2}) order by id`);
      const [tieKept, tieUnlinked] = ties.map((t) => t.campaign_id);

      for (const statement of statements) await tx.execute(sql.raw(statement));

      const rows = await tx.execute<{
        campaign_id: string;
        instantly_campaign_id: string | null;
        status: string;
        last_error: string | null;
      }>(
        sql`select campaign_id, instantly_campaign_id, status, last_error from public.instantly_campaign_pushes
            where workspace_id in (${fx.a.id}, ${fx.b.id})`,
      );
      const of = (campaignId: string) => {
        const { campaign_id: _, ...row } = rows.find((r) => r.campaign_id === campaignId)!;
        return row;
      };
      const kept = (instantlyId: string) => ({ instantly_campaign_id: instantlyId, status: "active", last_error: null });
      const unlinked = (instantlyId: string) => ({
        instantly_campaign_id: null,
        status: "failed",
        last_error: `This campaign was unlinked from Instantly campaign ${instantlyId}: an earlier campaign of this workspace is linked to the same Instantly campaign and keeps it, so that its figures are not counted twice. Check in Instantly which of the two it sends.`,
      });
      expect(of(early)).toEqual(kept("inst-dup"));
      expect(of(later1)).toEqual(unlinked("inst-dup"));
      expect(of(later2)).toEqual(unlinked("inst-dup"));
      expect(of(tieKept!)).toEqual(kept("inst-tie"));
      expect(of(tieUnlinked!)).toEqual(unlinked("inst-tie"));
      expect(of(other)).toEqual(kept("inst-dup"));

      // The index is there again, and holds (in a savepoint: the refusal would abort the transaction).
      const refused = await tx
        .transaction((sp) =>
          sp.execute(sql`update public.instantly_campaign_pushes set instantly_campaign_id = 'inst-dup' where campaign_id = ${later1}`),
        )
        .then(
          () => "ok",
          (error: unknown) => sqlState(error) ?? String(error),
        );
      expect(refused).toBe("23505");
      throw rollback;
    });
    await expect(outcome).rejects.toBe(rollback);
  });
});
