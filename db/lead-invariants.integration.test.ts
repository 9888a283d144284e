import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { asUser, createTenancyFixture, randomSuffix, removeTenancyFixture, sqlState, type TenancyFixture } from "@/tests/fixtures/tenancy";

/**
 * What the database itself guarantees about leads and companies (0009, 0010), whoever writes:
 * links stay inside the workspace, derived columns cannot be forged, the version moves on
 * every edit, and the timeline moves last_activity_at.
 */

let fx: TenancyFixture;
const db = () => serviceDb();

beforeAll(async () => {
  fx = await createTenancyFixture(db());
});

afterAll(async () => {
  if (fx) await removeTenancyFixture(fx, db());
});

async function company(workspaceId: string, name: string): Promise<string> {
  const [row] = await db().execute<{ id: string }>(
    sql`insert into public.companies (workspace_id, name) values (${workspaceId}, ${name}) returning id`,
  );
  if (!row) throw new Error("no company");
  return row.id;
}

async function lead(workspaceId: string, values: { email?: string; companyId?: string; ownerId?: string } = {}): Promise<string> {
  const [row] = await db().execute<{ id: string }>(sql`
    insert into public.leads (workspace_id, first_name, email, company_id, owner_id)
    values (${workspaceId}, 'Zoë', ${values.email ?? `z-${randomSuffix()}@example.test`}, ${values.companyId ?? null}, ${values.ownerId ?? null})
    returning id`);
  if (!row) throw new Error("no lead");
  return row.id;
}

async function leadRow(id: string) {
  const [row] = await db().execute<{
    company_id: string | null;
    company_name: string | null;
    owner_id: string | null;
    updated_at: string;
    last_activity_at: string | null;
    search_text: string;
  }>(
    sql`select company_id, company_name, owner_id, updated_at::text, last_activity_at::text, search_text from public.leads where id = ${id}`,
  );
  if (!row) throw new Error("lead gone");
  return row;
}

async function errorOf(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    return sqlState(error);
  }
}

describe("lead invariants", () => {
  it("keeps one lead per address per workspace, whatever the case, and allows it in another workspace", async () => {
    const email = `Élodie.${randomSuffix()}@Example.test`;
    await lead(fx.a.id, { email });
    expect(await errorOf(() => lead(fx.a.id, { email: email.toLowerCase() }))).toBe("23505");
    expect(await errorOf(() => lead(fx.b.id, { email }))).toBeUndefined();
  });

  it("refuses untrimmed addresses, a score out of range and a lead with nothing to identify it", async () => {
    expect(await errorOf(() => lead(fx.a.id, { email: ` pad-${randomSuffix()}@example.test` }))).toBe("23514");
    expect(
      await errorOf(() => db().execute(sql`insert into public.leads (workspace_id, first_name, score) values (${fx.a.id}, 'A', 101)`)),
    ).toBe("23514");
    expect(await errorOf(() => db().execute(sql`insert into public.leads (workspace_id) values (${fx.a.id})`))).toBe("23514");
  });

  it("refuses two tags that differ only in case, from the service connection and from a member alike", async () => {
    const tagged = (tags: string[]) =>
      db().execute(
        sql`insert into public.leads (workspace_id, first_name, tags) values (${fx.a.id}, 'T', ${`{${tags.join(",")}}`}::text[])`,
      );
    expect(await errorOf(() => tagged(["vip", "VIP"]))).toBe("23514");
    expect(await errorOf(() => tagged(["Événement", "q4", "événement"]))).toBe("23514");
    expect(await errorOf(() => tagged(["vip", "vip2", "Q4"]))).toBeUndefined();
    const id = await lead(fx.a.id, { ownerId: fx.a.members.sales_rep.id });
    const asRep = () =>
      asUser(fx.a.members.sales_rep, (tx) => tx.execute(sql`update public.leads set tags = '{Fintech,fintech}' where id = ${id}`));
    expect(await errorOf(asRep)).toBe("23514");
  });

  it("links a lead only to a company and an owner of its own workspace", async () => {
    const otherCompany = await company(fx.b.id, "Globex");
    expect(await errorOf(() => lead(fx.a.id, { companyId: otherCompany }))).toBe("23503");
    expect(await errorOf(() => lead(fx.a.id, { ownerId: fx.b.members.sales_rep.id }))).toBe("23503");
  });

  it("copies the company's name onto its leads, follows renames and ignores a forged copy", async () => {
    const companyId = await company(fx.a.id, "Müller & Söhne");
    const id = await lead(fx.a.id, { companyId });
    expect((await leadRow(id)).company_name).toBe("Müller & Söhne");
    // Lower-cased and unaccented: what the search words are compared with.
    expect((await leadRow(id)).search_text).toContain("muller & sohne");

    await db().execute(sql`update public.companies set name = 'Müller Group' where id = ${companyId}`);
    expect((await leadRow(id)).company_name).toBe("Müller Group");

    await db().execute(sql`update public.leads set company_name = 'Forged' where id = ${id}`);
    expect((await leadRow(id)).company_name).toBe("Müller Group");

    await db().execute(sql`delete from public.companies where id = ${companyId}`);
    expect(await leadRow(id)).toMatchObject({ company_id: null, company_name: null });
  });

  it("runs the company-name work only for writes that touch the company: an update of other fields does not call it", async () => {
    const acme = await company(fx.a.id, "Acme");
    const globex = await company(fx.a.id, "Globex");
    const ids = [await lead(fx.a.id, { companyId: acme }), await lead(fx.a.id, { companyId: acme }), await lead(fx.a.id)];
    const inIds = sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    );
    const calls = await db().transaction(async (tx) => {
      // Counts this transaction's calls of the trigger's function (superuser setting, this transaction only).
      await tx.execute(sql`set local track_functions = 'pl'`);
      const count = async () =>
        (
          await tx.execute<{ n: number }>(sql`
            select coalesce(sum(calls), 0)::int as n from pg_stat_xact_user_functions
            where schemaname = 'private' and funcname = 'lead_company_name'`)
        )[0]!.n;
      await tx.execute(sql`update public.leads set title = 'VP Sales', tags = '{x}' where id in (${inIds})`);
      const titles = await count();
      await tx.execute(sql`update public.leads set company_id = ${globex} where id = ${ids[0]!}`);
      const moved = await count();
      await tx.execute(sql`update public.leads set company_name = 'Forged' where id = ${ids[2]!}`);
      const forged = await count();
      const [fresh] = await tx.execute<{ id: string }>(sql`
        insert into public.leads (workspace_id, first_name, company_name) values (${fx.a.id}, 'Zoë', 'Forged') returning id`);
      await tx.execute(sql`insert into public.leads (workspace_id, first_name) values (${fx.a.id}, 'Noé')`);
      return { titles, moved, forged, inserts: (await count()) - forged, freshId: fresh!.id };
    });
    expect(calls).toMatchObject({ titles: 0, moved: 1, forged: 2, inserts: 1 });
    expect(await leadRow(ids[0]!)).toMatchObject({ company_id: globex, company_name: "Globex" });
    expect(await leadRow(ids[1]!)).toMatchObject({ company_id: acme, company_name: "Acme" });
    expect(await leadRow(ids[2]!)).toMatchObject({ company_id: null, company_name: null });
    expect(await leadRow(calls.freshId)).toMatchObject({ company_id: null, company_name: null });
  });

  it("unassigns the leads of a member who leaves, and keeps the leads", async () => {
    const id = await lead(fx.a.id, { ownerId: fx.a.members.analyst.id });
    await db().execute(sql`delete from public.workspace_members where id = ${fx.a.members.analyst.memberId}`);
    expect((await leadRow(id)).owner_id).toBeNull();
  });

  it("moves updated_at forward on every edit, twice in one transaction too, but not for timeline entries", async () => {
    const id = await lead(fx.a.id);
    const start = (await leadRow(id)).updated_at;
    const [first, second] = await db().transaction(async (tx) => {
      const [a] = await tx.execute<{ v: string }>(sql`update public.leads set score = 10 where id = ${id} returning updated_at::text as v`);
      const [b] = await tx.execute<{ v: string }>(sql`update public.leads set score = 20 where id = ${id} returning updated_at::text as v`);
      return [a?.v, b?.v];
    });
    expect(first).not.toBe(start);
    expect(second).not.toBe(first);

    await db().execute(sql`insert into public.lead_activities (workspace_id, lead_id, type) values (${fx.a.id}, ${id}, 'note_added')`);
    const after = await leadRow(id);
    expect(after.updated_at).toBe(second);
    expect(after.last_activity_at).not.toBeNull();
  });

  it("keeps the order of what one transaction records on a lead's timeline", async () => {
    const id = await lead(fx.a.id);
    await db().transaction(async (tx) => {
      await tx.execute(sql`insert into public.lead_activities (workspace_id, lead_id, type) values (${fx.a.id}, ${id}, 'email_bounced')`);
      await tx.execute(sql`insert into public.lead_activities (workspace_id, lead_id, type) values (${fx.a.id}, ${id}, 'status_changed')`);
    });
    const rows = await db().execute<{ type: string; later: boolean }>(sql`
      select type, created_at > lag(created_at) over (order by created_at, type) as later
        from public.lead_activities where lead_id = ${id} order by created_at`);
    expect(rows.map((r) => r.type)).toEqual(["email_bounced", "status_changed"]);
    expect(rows[1]!.later).toBe(true);
  });

  it("lets a sales rep's note on a teammate's lead move its last activity, though the rep cannot edit the lead", async () => {
    const id = await lead(fx.a.id, { ownerId: fx.a.members.manager.id });
    const rep = fx.a.members.sales_rep;
    const edited = await asUser(rep, (tx) => tx.execute(sql`update public.leads set score = 50 where id = ${id} returning 1`));
    expect(edited.length).toBe(0);
    await asUser(rep, (tx) =>
      tx.execute(sql`insert into public.lead_activities (workspace_id, lead_id, type, actor_id, payload)
        values (${fx.a.id}, ${id}, 'note_added', ${rep.id}, '{"body":"Called, voicemail"}')`),
    );
    expect((await leadRow(id)).last_activity_at).not.toBeNull();
  });

  it("leaves last_activity_at to an activity insert that says it set it already (an import batch), for that statement alone", async () => {
    const id = await lead(fx.a.id);
    const actor = fx.a.members.admin.id;
    await db().transaction(async (tx) => {
      await tx.execute(sql`
        with written as (
          insert into public.lead_activities (workspace_id, lead_id, type, actor_id, payload)
          values (${fx.a.id}, ${id}, 'note_added', ${actor}, '{"body":"kept"}')
          returning set_config('lip.activities_touch_by_caller', statement_timestamp()::text, true))
        select count(*) from written`);
      const [during] = await tx.execute<{ last_activity_at: string | null }>(
        sql`select last_activity_at::text from public.leads where id = ${id}`,
      );
      expect(during!.last_activity_at).toBeNull();
      await tx.execute(sql`insert into public.lead_activities (workspace_id, lead_id, type, actor_id, payload)
        values (${fx.a.id}, ${id}, 'note_added', ${actor}, '{"body":"moves it"}')`);
    });
    expect((await leadRow(id)).last_activity_at).not.toBeNull();
  });

  it("never lets a user move a lead to another workspace, even a member of both", async () => {
    const id = await lead(fx.a.id);
    const admin = fx.a.members.admin;
    await db().execute(sql`insert into public.workspace_members (workspace_id, user_id, role) values (${fx.b.id}, ${admin.id}, 'admin')`);
    const moved = await errorOf(() =>
      asUser(admin, (tx) => tx.execute(sql`update public.leads set workspace_id = ${fx.b.id} where id = ${id}`)),
    );
    expect(moved).toBe("42501");
  });
});
