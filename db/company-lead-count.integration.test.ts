import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { asUser, createTenancyFixture, outcome, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";

/**
 * company_lead_counts (0014, its own table since 0091): the live leads linked to a company, kept
 * by statement triggers on leads, whoever writes and however many rows one statement touches;
 * a row for every company from its creation.
 */

let fx: TenancyFixture;
const db = () => serviceDb();

beforeAll(async () => {
  fx = await createTenancyFixture(db());
});

afterAll(async () => {
  if (fx) await removeTenancyFixture(fx, db());
});

async function company(name: string, workspaceId = fx.a.id): Promise<string> {
  const [row] = await db().execute<{ id: string }>(
    sql`insert into public.companies (workspace_id, name) values (${workspaceId}, ${name}) returning id`,
  );
  return row!.id;
}

/** Inserts `count` leads at `companyId` in one statement. */
async function leadsAt(companyId: string | null, count: number, workspaceId = fx.a.id): Promise<string[]> {
  const rows = await db().execute<{ id: string }>(sql`
    insert into public.leads (workspace_id, first_name, email, company_id)
    select ${workspaceId}, 'Zoë', 'z-' || g || '-' || ${randomSuffix()} || '@example.test', ${companyId}::uuid
    from generate_series(1, ${count}) g
    returning id`);
  return rows.map((r) => r.id);
}

async function counts(...ids: string[]): Promise<number[]> {
  const rows = await db().execute<{ id: string; lead_count: number }>(
    sql`select company_id as id, lead_count from public.company_lead_counts where company_id in ${ids}`,
  );
  return ids.map((id) => rows.find((r) => r.id === id)?.lead_count ?? -1);
}

describe("company_lead_counts", () => {
  it("counts leads inserted, moved, soft-deleted, restored and erased, in bulk statements too", async () => {
    const x = await company(`X ${randomSuffix()}`);
    const y = await company(`Y ${randomSuffix()}`);
    const atX = await leadsAt(x, 5);
    await leadsAt(y, 2);
    await leadsAt(null, 3);
    expect(await counts(x, y)).toEqual([5, 2]);

    // Two of X's leads move to Y in one statement; an edit that is not a move changes nothing.
    await db().execute(sql`update public.leads set company_id = ${y} where id in ${atX.slice(0, 2)}`);
    await db().execute(sql`update public.leads set status = 'contacted' where id in ${atX}`);
    expect(await counts(x, y)).toEqual([3, 4]);

    await db().execute(sql`update public.leads set deleted_at = now() where id in ${atX.slice(2, 4)}`);
    expect(await counts(x, y)).toEqual([1, 4]);
    // Moving a deleted lead does not count it anywhere; restoring it does.
    await db().execute(sql`update public.leads set company_id = ${y} where id = ${atX[2]!}`);
    expect(await counts(x, y)).toEqual([1, 4]);
    await db().execute(sql`update public.leads set deleted_at = null where id in ${atX.slice(2, 4)}`);
    expect(await counts(x, y)).toEqual([2, 5]);

    await db().execute(sql`delete from public.leads where id in ${atX}`);
    expect(await counts(x, y)).toEqual([0, 2]);
  });

  it("follows a rep's edits under RLS, and no user may write it", async () => {
    const x = await company(`Rep ${randomSuffix()}`);
    const rep = fx.a.members.sales_rep;
    await asUser(rep, (tx) =>
      tx.execute(
        sql`insert into public.leads (workspace_id, first_name, company_id, owner_id, created_by) values (${fx.a.id}, 'Ola', ${x}, ${rep.id}, ${rep.id})`,
      ),
    );
    expect(await counts(x)).toEqual([1]);
    // Members read the counts; not even an admin writes one by hand.
    expect(await asUser(rep, (tx) => tx.execute(sql`select lead_count from public.company_lead_counts where company_id = ${x}`))).toEqual([
      { lead_count: 1 },
    ]);
    const admin = fx.a.members.admin;
    const changed = await asUser(admin, async (tx) => [
      ...(await tx.execute(sql`update public.company_lead_counts set lead_count = 1000 where company_id = ${x} returning 1`)),
      ...(await tx.execute(sql`delete from public.company_lead_counts where company_id = ${x} returning 1`)),
    ]);
    expect(changed).toEqual([]);
    const inserted = await outcome(() =>
      asUser(admin, (tx) =>
        tx.execute(sql`insert into public.company_lead_counts (company_id, workspace_id, lead_count) values (${x}, ${fx.a.id}, 1000)`),
      ),
    );
    expect(inserted).toBe("denied");
    expect(await counts(x)).toEqual([1]);
  });

  it("is not an edit of the company: its updated_at (the edit version) stays", async () => {
    const x = await company(`Version ${randomSuffix()}`);
    const [before] = await db().execute<{ updated_at: string }>(sql`select updated_at::text from public.companies where id = ${x}`);
    await leadsAt(x, 3);
    const [after] = await db().execute<{ updated_at: string }>(sql`select updated_at::text from public.companies where id = ${x}`);
    expect(after!.updated_at).toBe(before!.updated_at);
    await db().execute(sql`update public.companies set industry = 'Biotechnology' where id = ${x}`);
    const [edited] = await db().execute<{ updated_at: string }>(sql`select updated_at::text from public.companies where id = ${x}`);
    expect(edited!.updated_at > before!.updated_at).toBe(true);
  });
  it("is left to an insert that says it keeps the counts itself (an import batch), for that statement alone", async () => {
    const x = await company(`X ${randomSuffix()}`);
    await db().transaction(async (tx) => {
      // As INSERT_LEADS_SQL says it: the trigger skips this statement...
      await tx.execute(sql`
        insert into public.leads (workspace_id, first_name, email, company_id)
        select ${fx.a.id}, 'Zoë', 'kept-' || g || '-' || ${randomSuffix()} || '@example.test', ${x}::uuid from generate_series(1, 3) g
        returning id, set_config('lip.company_counts_by_caller', statement_timestamp()::text, true)`);
      const [during] = await tx.execute<{ lead_count: number }>(
        sql`select lead_count from public.company_lead_counts where company_id = ${x}`,
      );
      expect(during!.lead_count).toBe(0);
      // ...and counts the next one, in the same transaction, with the setting still there.
      await tx.execute(sql`
        insert into public.leads (workspace_id, first_name, email, company_id)
        values (${fx.a.id}, 'Åsa', ${`next-${randomSuffix()}@example.test`}, ${x})`);
    });
    expect(await counts(x)).toEqual([1]);
  });

  it("has a row for every company from its creation, several in one statement too, and none once the company is deleted", async () => {
    const rows = await db().execute<{ id: string }>(sql`
      insert into public.companies (workspace_id, name) select ${fx.a.id}, 'Bulk ' || g || ' ' || ${randomSuffix()} from generate_series(1, 3) g
      returning id`);
    const ids = rows.map((r) => r.id);
    expect(await counts(...ids)).toEqual([0, 0, 0]);
    const [kept] = await db().execute<{ workspace_id: string }>(
      sql`select workspace_id from public.company_lead_counts where company_id = ${ids[0]!}`,
    );
    expect(kept!.workspace_id).toBe(fx.a.id);

    // Deleting a company with leads: its row goes with it, and its leads (now without a company) count nowhere.
    const atFirst = await leadsAt(ids[0]!, 2);
    await db().execute(sql`delete from public.companies where id = ${ids[0]!}`);
    expect(await counts(...ids)).toEqual([-1, 0, 0]);
    const [lead] = await db().execute<{ company_id: string | null }>(sql`select company_id from public.leads where id = ${atFirst[0]!}`);
    expect(lead!.company_id).toBeNull();
  });

  it("counts leads linked to a company created by the same statement, whichever trigger runs first", async () => {
    const name = `Same statement ${randomSuffix()}`;
    const [row] = await db().execute<{ id: string }>(sql`
      with made as (insert into public.companies (workspace_id, name) values (${fx.a.id}, ${name}) returning id, workspace_id),
      linked as (
        insert into public.leads (workspace_id, first_name, email, company_id)
        select m.workspace_id, 'Zoë', 'same-' || g || '-' || ${randomSuffix()} || '@example.test', m.id from made m, generate_series(1, 2) g
      )
      select id from made`);
    expect(await counts(row!.id)).toEqual([2]);
  });
});
