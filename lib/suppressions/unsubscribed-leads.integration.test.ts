import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { changeLeadStatus } from "@/lib/leads/change-lead-status";
import { insertTestLead } from "@/tests/fixtures/leads";
import { asUser, createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";

/**
 * Migration 0118: a lead marked unsubscribed, by whoever and however, puts its address on the
 * workspace's suppression list (QA: a rep set Emma's status to Unsubscribed after her "please
 * take me off your list", and the list did not have her).
 */

let fx: TenancyFixture;
const db = () => serviceDb();

beforeAll(async () => {
  fx = await createTenancyFixture();
});
afterAll(async () => {
  await removeTenancyFixture(fx);
});

async function entriesFor(workspaceId: string, value: string) {
  return [
    ...(await db().execute<{ reason: string; created_by: string | null; note: string | null }>(sql`
      select reason::text, created_by, note from public.suppressions where workspace_id = ${workspaceId} and kind = 'email' and value = ${value}`)),
  ];
}

describe("a lead marked unsubscribed", () => {
  it("puts its address on the list when a rep marks it on the lead page, and it stays when the status moves back", async () => {
    const rep = fx.a.members.sales_rep;
    const email = `Emma.Castillo.${randomSuffix()}@Example.test`;
    const leadId = await insertTestLead(fx.a, { email, ownerId: rep.id, status: "replied" });
    const actor = { userId: rep.id, role: "sales_rep" as const };

    await asUser(rep, (tx) => changeLeadStatus(tx, { workspaceId: fx.a.id, actor, leadId, status: "unsubscribed" }));
    expect(await entriesFor(fx.a.id, email.toLowerCase())).toEqual([
      { reason: "unsubscribe", created_by: rep.id, note: "The lead was marked unsubscribed." },
    ]);
    // Another workspace's list is its own.
    expect(await entriesFor(fx.b.id, email.toLowerCase())).toEqual([]);

    await asUser(rep, (tx) => changeLeadStatus(tx, { workspaceId: fx.a.id, actor, leadId, status: "interested" }));
    expect(await entriesFor(fx.a.id, email.toLowerCase())).toHaveLength(1);
    // Nor can the rep take it off the list themselves.
    const removed = await asUser(rep, (tx) =>
      tx.execute(sql`delete from public.suppressions where workspace_id = ${fx.a.id} and value = ${email.toLowerCase()} returning id`),
    );
    expect([...removed]).toEqual([]);
  });

  it("does so from the service connection and for every lead of one statement, keeping an entry already there as it was", async () => {
    const t = randomSuffix();
    const [kept, fresh] = [`kept.${t}@example.test`, `fresh.${t}@example.test`];
    await db().execute(
      sql`insert into public.suppressions (workspace_id, kind, value, reason) values (${fx.a.id}, 'email', ${kept}, 'bounce')`,
    );
    const ids = await Promise.all([insertTestLead(fx.a, { email: kept }), insertTestLead(fx.a, { email: fresh })]);
    await db().execute(sql`update public.leads set status = 'unsubscribed' where id = any(${sql.param(ids)}::uuid[])`);
    expect(await entriesFor(fx.a.id, kept)).toEqual([{ reason: "bounce", created_by: null, note: null }]);
    expect(await entriesFor(fx.a.id, fresh)).toEqual([
      { reason: "unsubscribe", created_by: null, note: "The lead was marked unsubscribed." },
    ]);

    // A lead created unsubscribed (an Instantly sync) too; a lead without an address has nothing to add.
    const created = `created.${t}@example.test`;
    await insertTestLead(fx.a, { email: created, status: "unsubscribed" });
    await insertTestLead(fx.a, { email: null, linkedinUrl: `https://www.linkedin.com/in/no-email-${t}`, status: "unsubscribed" });
    expect(await entriesFor(fx.a.id, created)).toHaveLength(1);
  });
});
