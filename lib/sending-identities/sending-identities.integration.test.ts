import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { sqlStateOf } from "@/db/sql-state";
import { auditLog, sendingIdentities, workspaceMembers } from "@/db/schema";
import { seedDemoIdentities } from "@/scripts/lib/seed-identities";
import { createTestCampaign } from "@/tests/fixtures/submitted-campaign";
import {
  asUser,
  createTenancyFixture,
  createTestUser,
  outcome,
  randomSuffix,
  removeTenancyFixture,
  type TenancyFixture,
  type TenancyMember,
} from "@/tests/fixtures/tenancy";
import { ZSendingIdentityFields, type SendingIdentityForm } from "./schemas";
import {
  createSendingIdentity,
  deleteSendingIdentity,
  listSendingIdentities,
  setSendingIdentityArchived,
  updateSendingIdentity,
} from "./sending-identities";

let f: TenancyFixture;
beforeAll(async () => {
  f = await createTenancyFixture();
});
afterAll(() => removeTenancyFixture(f));

const actor = (workspaceId: string, m: TenancyMember) => ({ workspaceId, userId: m.id, role: m.role });

/**
 * This file's own domain: test files share one database, and an identity of another file's
 * workspace on a common domain (acme.example) would make the service refuse this one's.
 */
const OWN_DOMAIN = `Acme-${randomSuffix()}.example`;

const form = (over: Partial<SendingIdentityForm> = {}): SendingIdentityForm => ({
  fromName: "Zoë Ångström",
  fromEmail: `Zoe-${randomSuffix()}@${OWN_DOMAIN}`,
  replyTo: "",
  dailyCap: "60",
  sendDays: ["1", "2", "3", "4", "5"],
  sendFrom: "09:00",
  sendUntil: "17:30",
  timeZone: "Europe/Paris",
  postalAddress: "12 rue de la Paix, 75002 Paris",
  signature: "Zoë\nAcme",
  ...over,
});
const fields = (over: Partial<SendingIdentityForm> = {}) => ZSendingIdentityFields.parse(form(over));

async function createAsAdmin(over: Partial<SendingIdentityForm> = {}) {
  const admin = f.a.members.admin;
  return asUser(admin, (tx) => createSendingIdentity(tx, actor(f.a.id, admin), fields(over)));
}

const statusOf = async (campaignId: string) =>
  (await serviceDb().execute<{ status: string }>(sql`select status::text from public.campaigns where id = ${campaignId}`))[0]?.status;

describe("the form's input", () => {
  it("normalises what an admin types", () => {
    expect(fields({ fromEmail: "  Sales@ACME.example ", sendDays: ["3", "1", "1"], sendUntil: "24:00" })).toMatchObject({
      fromEmail: "sales@acme.example",
      replyTo: null,
      dailyCap: 60,
      sendDays: [1, 3],
      sendFrom: 540,
      sendUntil: 1440,
      timeZone: "Europe/Paris",
    });
  });

  it("refuses bad input field by field, in words", () => {
    const result = ZSendingIdentityFields.safeParse(
      form({
        fromName: " ",
        fromEmail: "not-an-address",
        replyTo: "also@wrong",
        dailyCap: "0",
        sendDays: [],
        timeZone: "Mars/Olympus_Mons",
        sendFrom: "9am",
      }),
    );
    expect(result.success).toBe(false);
    const errors = Object.fromEntries(result.error!.issues.map((i) => [i.path.join("."), i.message]));
    expect(errors).toMatchObject({
      fromName: "Enter the name emails come from.",
      fromEmail: "Enter a valid email address for the from address, like name@company.com.",
      replyTo: "Enter a valid email address for the reply-to address, like name@company.com.",
      dailyCap: "The daily cap is at least 1 email.",
      sendDays: "Choose at least one day it sends on.",
      timeZone: "Choose a time zone by its IANA name, like Europe/Paris or America/New_York.",
      sendFrom: "Enter when sending starts as a time, like 09:00.",
    });
    expect(ZSendingIdentityFields.safeParse(form({ timeZone: "CET" })).success).toBe(false);
    const window = ZSendingIdentityFields.safeParse(form({ sendFrom: "17:00", sendUntil: "09:00" }));
    expect(window.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["sendUntil", "Sending must stop after it starts, on the same day."],
    ]);
  });
});

describe("sending identities", () => {
  it("an admin creates one, audited, and every member of the workspace sees it", async () => {
    const { id } = await createAsAdmin({ fromName: "Renée" });
    const seenByRep = await asUser(f.a.members.sales_rep, (tx) => listSendingIdentities(tx, { workspaceId: f.a.id }));
    expect(seenByRep.find((i) => i.id === id)).toMatchObject({
      fromName: "Renée",
      sendDays: [1, 2, 3, 4, 5],
      archived: false,
      campaigns: 0,
    });
    const [audit] = await serviceDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, id), eq(auditLog.action, "sending_identity.created")));
    expect(audit?.actorId).toBe(f.a.members.admin.id);
    const seenInB = await asUser(f.b.members.admin, (tx) => listSendingIdentities(tx, { workspaceId: f.a.id, includeArchived: true }));
    expect(seenInB).toEqual([]);
  });

  it("counts what it sent today, the day of its own time zone, as the cap counts it", async () => {
    // Kiritimati (UTC+14) and Pago Pago (UTC-11) are on different dates for all but an hour a day.
    const ahead = await createAsAdmin({ timeZone: "Pacific/Kiritimati" });
    const behind = await createAsAdmin({ timeZone: "Pacific/Pago_Pago" });
    const [dates] = await serviceDb().execute<{ ahead: string; behind: string }>(sql`
      select (now() at time zone 'Pacific/Kiritimati')::date::text as ahead, (now() at time zone 'Pacific/Pago_Pago')::date::text as behind`);
    const day = (d: string, days: number) => sql`(${d}::date + ${days}::int)`;
    await serviceDb().execute(sql`insert into public.sending_identity_usage (workspace_id, identity_id, day, sent) values
      (${f.a.id}, ${ahead.id}, ${day(dates!.ahead, 0)}, 17), (${f.a.id}, ${ahead.id}, ${day(dates!.ahead, -1)}, 60),
      (${f.a.id}, ${behind.id}, ${day(dates!.behind, 1)}, 9), (${f.a.id}, ${behind.id}, ${day(dates!.behind, -1)}, 5)`);
    const seen = await asUser(f.a.members.viewer, (tx) => listSendingIdentities(tx, { workspaceId: f.a.id }));
    expect(seen.find((i) => i.id === ahead.id)?.sentToday).toBe(17);
    expect(seen.find((i) => i.id === behind.id)?.sentToday).toBe(0);
  });

  it("a manager or rep is refused by the service, and by the database when the service is bypassed", async () => {
    for (const m of [f.a.members.manager, f.a.members.sales_rep]) {
      await expect(asUser(m, (tx) => createSendingIdentity(tx, actor(f.a.id, m), fields()))).rejects.toMatchObject({
        code: "forbidden",
        message: "Only an admin can manage sending identities. Ask an admin of this workspace.",
      });
      // Forged: the rep claims the admin role to the service; RLS still refuses the insert.
      expect(await outcome(() => asUser(m, (tx) => createSendingIdentity(tx, { ...actor(f.a.id, m), role: "admin" }, fields())))).toBe(
        "denied",
      );
    }
    const { id } = await createAsAdmin();
    const rep = f.a.members.sales_rep;
    const forged = await asUser(rep, (tx) => updateSendingIdentity(tx, { ...actor(f.a.id, rep), role: "admin" }, id, fields())).catch(
      (e: unknown) => e,
    );
    expect(forged).toMatchObject({ code: "not_found" });
  });

  it("refuses a second identity with the same from address, saying so", async () => {
    const email = `dup-${randomSuffix()}@${OWN_DOMAIN.toLowerCase()}`;
    await createAsAdmin({ fromEmail: email });
    await expect(createAsAdmin({ fromEmail: email.toUpperCase() })).rejects.toMatchObject({
      code: "conflict",
      message: `Another sending identity already sends from ${email}. Use another address, or edit that one.`,
    });
  });

  it("an admin of another workspace cannot change, archive or delete it", async () => {
    const { id } = await createAsAdmin();
    const other = f.b.members.admin;
    const b = actor(f.b.id, other);
    for (const run of [
      () => asUser(other, (tx) => updateSendingIdentity(tx, b, id, fields())),
      () => asUser(other, (tx) => setSendingIdentityArchived(tx, b, id, true)),
      () => asUser(other, (tx) => deleteSendingIdentity(tx, b, id)),
      // Naming the right workspace does not help: RLS hides it.
      () => asUser(other, (tx) => deleteSendingIdentity(tx, { ...b, workspaceId: f.a.id }, id)),
    ]) {
      await expect(run()).rejects.toMatchObject({ code: "not_found", message: "That sending identity was not found." });
    }
    expect(await serviceDb().select().from(sendingIdentities).where(eq(sendingIdentities.id, id))).toHaveLength(1);
  });

  it("changing what it puts in an email returns the campaigns past draft to draft, and says how many", async () => {
    const admin = f.a.members.admin;
    const pending = await createTestCampaign(f.a.id, f.a.members.sales_rep);
    const [identity] = await serviceDb().select().from(sendingIdentities).where(eq(sendingIdentities.id, pending.identityId));
    const current: SendingIdentityForm = {
      fromName: identity!.fromName,
      fromEmail: identity!.fromEmail,
      replyTo: "",
      dailyCap: "50",
      sendDays: ["1", "2", "3", "4", "5"],
      sendFrom: "09:00",
      sendUntil: "17:00",
      timeZone: "UTC",
      postalAddress: identity!.postalAddress!,
      signature: identity!.signature!,
    };
    // The cap and the window are not content: the campaign stays pending.
    const unchanged = await asUser(admin, (tx) =>
      updateSendingIdentity(tx, actor(f.a.id, admin), pending.identityId, ZSendingIdentityFields.parse({ ...current, dailyCap: "90" })),
    );
    expect(unchanged).toMatchObject({ contentChanged: [], campaignsReturnedToDraft: 0 });
    expect(await statusOf(pending.campaignId)).toBe("pending_approval");

    const changed = await asUser(admin, (tx) =>
      updateSendingIdentity(
        tx,
        actor(f.a.id, admin),
        pending.identityId,
        ZSendingIdentityFields.parse({ ...current, signature: "Zoë Martin\nAcme" }),
      ),
    );
    expect(changed).toMatchObject({ contentChanged: ["signature"], campaignsReturnedToDraft: 1 });
    expect(await statusOf(pending.campaignId)).toBe("draft");
  });

  it("refuses to delete an identity a campaign past draft uses and offers to archive it; archives and restores", async () => {
    const admin = f.a.members.admin;
    const a = actor(f.a.id, admin);
    const used = await createTestCampaign(f.a.id, f.a.members.sales_rep);
    await expect(asUser(admin, (tx) => deleteSendingIdentity(tx, a, used.identityId))).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("is used by 1 submitted or approved campaign, so it cannot be deleted. Archive it instead"),
    });
    await asUser(admin, (tx) => setSendingIdentityArchived(tx, a, used.identityId, true));
    const active = await asUser(admin, (tx) => listSendingIdentities(tx, { workspaceId: f.a.id }));
    expect(active.map((i) => i.id)).not.toContain(used.identityId);
    const all = await asUser(admin, (tx) => listSendingIdentities(tx, { workspaceId: f.a.id, includeArchived: true }));
    expect(all.find((i) => i.id === used.identityId)).toMatchObject({ archived: true, campaignsPastDraft: 1 });
    await asUser(admin, (tx) => setSendingIdentityArchived(tx, a, used.identityId, false));
    expect((await asUser(admin, (tx) => listSendingIdentities(tx, { workspaceId: f.a.id }))).map((i) => i.id)).toContain(used.identityId);
    expect(await statusOf(used.campaignId)).toBe("pending_approval");

    // Only drafts use this one: it goes, and the draft loses it.
    const draft = await createTestCampaign(f.a.id, f.a.members.sales_rep, { submit: false });
    expect(await asUser(admin, (tx) => deleteSendingIdentity(tx, a, draft.identityId))).toEqual({ id: draft.identityId, draftsChanged: 1 });
    expect(await serviceDb().select().from(sendingIdentities).where(eq(sendingIdentities.id, draft.identityId))).toEqual([]);
  });
});

describe("a from domain another workspace sends from", () => {
  const refusal = (domain: string) =>
    `${domain} is already used to send by another workspace here. Ask one of its admins to add this address, or use a domain of your own.`;
  const freshDomain = (name: string) => `${name}-${randomSuffix()}.example`;
  const createIn = (workspaceId: string, m: TenancyMember, over: Partial<SendingIdentityForm>) =>
    asUser(m, (tx) => createSendingIdentity(tx, actor(workspaceId, m), fields(over)));
  const identitiesOf = (workspaceId: string) =>
    serviceDb().select().from(sendingIdentities).where(eq(sendingIdentities.workspaceId, workspaceId));

  it("is refused to an admin who is not one of that workspace, on create and on a change of address, naming only the domain", async () => {
    const domain = freshDomain("ceo-mail");
    await createAsAdmin({ fromEmail: `ceo@${domain}` });
    const b = f.b.members.admin;
    const before = await identitiesOf(f.b.id);

    const created = await createIn(f.b.id, b, { fromEmail: `ceo@${domain}` }).catch((e: unknown) => e);
    expect(created).toMatchObject({ code: "conflict", message: refusal(domain), fieldErrors: { fromEmail: [refusal(domain)] } });
    // Another address on the domain is the same domain.
    await expect(createIn(f.b.id, b, { fromEmail: `billing@${domain}` })).rejects.toMatchObject({ message: refusal(domain) });

    const own = await createIn(f.b.id, b, { fromEmail: `sales@${freshDomain("globex")}` });
    await expect(
      asUser(b, (tx) => updateSendingIdentity(tx, actor(f.b.id, b), own.id, fields({ fromEmail: `ceo@${domain}` }))),
    ).rejects.toMatchObject({ code: "conflict", message: refusal(domain), fieldErrors: { fromEmail: [refusal(domain)] } });
    const after = await identitiesOf(f.b.id);
    expect(after.map((i) => i.id).sort()).toEqual([...before.map((i) => i.id), own.id].sort());
    expect(after.filter((i) => i.fromEmail.endsWith(`@${domain}`))).toEqual([]);
  });

  it("is allowed to an admin of that workspace too, on create and on a change of address", async () => {
    const domain = freshDomain("shared-team");
    await createAsAdmin({ fromEmail: `team@${domain}` });
    const both = await createTestUser(serviceDb(), { email: `both-${randomSuffix()}@example.test`, fullName: "Åsa Both" });
    try {
      await serviceDb()
        .insert(workspaceMembers)
        .values([f.a.id, f.b.id].map((workspaceId) => ({ workspaceId, userId: both.id, role: "admin" as const })));
      const admin: TenancyMember = { ...both, role: "admin", memberId: "" };
      const { id } = await createIn(f.b.id, admin, { fromEmail: `team@${domain}` });
      const moved = await createIn(f.b.id, admin, { fromEmail: `other@${freshDomain("elsewhere")}` });
      await asUser(admin, (tx) => updateSendingIdentity(tx, actor(f.b.id, admin), moved.id, fields({ fromEmail: `sales@${domain}` })));
      const inB = await identitiesOf(f.b.id);
      expect(
        inB
          .filter((i) => [id, moved.id].includes(i.id))
          .map((i) => i.fromEmail)
          .sort(),
      ).toEqual([`sales@${domain}`, `team@${domain}`]);
    } finally {
      await serviceDb().execute(sql`delete from auth.users where id = ${both.id}`);
    }
  });

  it("leaves a domain no other workspace sends from free, however many of its own identities use it", async () => {
    const b = f.b.members.admin;
    const domain = freshDomain("globex-own");
    const first = await createIn(f.b.id, b, { fromEmail: `one@${domain}` });
    await createIn(f.b.id, b, { fromEmail: `two@${domain}` });
    // Only the exact domain counts: one that merely ends like another workspace's is someone else's.
    const taken = freshDomain("taken");
    await createAsAdmin({ fromEmail: `x@${taken}` });
    await asUser(b, (tx) => updateSendingIdentity(tx, actor(f.b.id, b), first.id, fields({ fromEmail: `one@not${taken}` })));
    // Saving an identity whose address does not change is never refused.
    await asUser(b, (tx) =>
      updateSendingIdentity(tx, actor(f.b.id, b), first.id, fields({ fromEmail: `one@not${taken}`, dailyCap: "70" })),
    );
    const [row] = await serviceDb().select().from(sendingIdentities).where(eq(sendingIdentities.id, first.id));
    expect(row).toMatchObject({ fromEmail: `one@not${taken}`, dailyCap: 70 });
  });

  it("is refused by the database too, to a write with the person's token that skips the service (as Supabase's Data API would make)", async () => {
    const domain = freshDomain("direct");
    await createAsAdmin({ fromEmail: `ceo@${domain}` });
    const b = f.b.members.admin;
    const insert = await asUser(b, (tx) =>
      tx.execute(sql`insert into public.sending_identities (workspace_id, from_name, from_email, postal_address)
        values (${f.b.id}, 'Not the CEO', ${`ceo@${domain.toUpperCase()}`}, '1 Main St') returning id`),
    ).catch((e: unknown) => e);
    expect(sqlStateOf(insert)).toBe("42501");
    const own = await createIn(f.b.id, b, { fromEmail: `sales@${freshDomain("own")}` });
    const update = await asUser(b, (tx) =>
      tx.execute(sql`update public.sending_identities set from_email = ${`ceo@${domain}`} where id = ${own.id}`),
    ).catch((e: unknown) => e);
    expect(sqlStateOf(update)).toBe("42501");
    expect(await identitiesOf(f.b.id)).not.toContainEqual(expect.objectContaining({ fromEmail: `ceo@${domain}` }));
  });

  it("compares the domain whatever its case", async () => {
    const domain = freshDomain("mixed-case");
    await createAsAdmin({ fromEmail: `ceo@${domain}` });
    const b = f.b.members.admin;
    // As the form sends it (the schema lowers it), and as a caller that skipped the schema would.
    await expect(createIn(f.b.id, b, { fromEmail: `Ceo@${domain.toUpperCase()}` })).rejects.toMatchObject({ message: refusal(domain) });
    const raw = { ...fields(), fromEmail: `Ceo@${domain.toUpperCase()}` };
    await expect(asUser(b, (tx) => createSendingIdentity(tx, actor(f.b.id, b), raw))).rejects.toMatchObject({
      code: "conflict",
      message: refusal(domain),
    });
  });
});

describe("the demo's identities", () => {
  it("are created as the admin through the service, once", async () => {
    // Its own domain: another test file seeds acme.test into its workspace of the same database.
    const domain = `acme-${randomSuffix()}.test`;
    const where = { workspaceSlug: f.b.slug, admin: f.b.members.admin.email, domain };
    const ids = await seedDemoIdentities(serviceDb(), where);
    expect(Object.keys(ids)).toEqual([`amelie.durand@${domain}`, `bruno.sanchez@${domain}`]);
    expect(await seedDemoIdentities(serviceDb(), where)).toEqual(ids);
    const listed = await asUser(f.b.members.viewer, (tx) => listSendingIdentities(tx, { workspaceId: f.b.id }));
    const seeded = listed.filter((i) => i.fromEmail.endsWith(`@${domain}`));
    expect(seeded.map((i) => [i.fromName, i.replyTo, i.timeZone, i.postalAddress !== null])).toEqual([
      ["Amélie Durand", null, "Europe/Paris", true],
      ["Bruno Sánchez", `sales@${domain}`, "America/New_York", true],
    ]);
  });
});
