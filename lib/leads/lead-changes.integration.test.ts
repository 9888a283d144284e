import { and, desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { serviceDb, type Database } from "@/db";
import { companies, companyLeadCounts, leadActivities, leads } from "@/db/schema";
import { addTestMember, insertTestCompany, insertTestLead } from "@/tests/fixtures/leads";
import {
  asUser,
  createTenancyFixture,
  randomSuffix,
  removeTenancyFixture,
  type TenancyFixture,
  type TenancyMember,
} from "@/tests/fixtures/tenancy";
import { addLeadNote } from "./add-lead-note";
import { changeLeadOwner } from "./change-lead-owner";
import { changeLeadStatus } from "./change-lead-status";
import { getLeadRecord } from "./get-lead";
import type { LeadActor } from "./lock-lead";
import { ZLeadFields, ZUpdateLead, type LeadFields } from "./schemas";
import { updateLead } from "./update-lead";

let fx: TenancyFixture;
let otherRep: TenancyMember;
let leadId: string;
let email: string;

const actorOf = (m: TenancyMember): LeadActor => ({ userId: m.id, role: m.role });
const as = <T>(m: TenancyMember, work: (tx: Database, actor: LeadActor) => Promise<T>) => asUser(m, (tx) => work(tx, actorOf(m)));
const fail = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a refusal");
    },
    (e: unknown) => e,
  );
const fieldsOf = (over: Partial<Record<keyof LeadFields, unknown>>) =>
  ZLeadFields.parse({ firstName: "Inès", lastName: "Moreau", email, ...over });

async function rowOf(id: string) {
  const [row] = await serviceDb().select().from(leads).where(eq(leads.id, id));
  return row!;
}
async function timelineOf(id: string) {
  return serviceDb()
    .select({ type: leadActivities.type, actorId: leadActivities.actorId, payload: leadActivities.payload })
    .from(leadActivities)
    .where(eq(leadActivities.leadId, id))
    .orderBy(desc(leadActivities.createdAt), desc(leadActivities.id));
}
const versionOf = (m: TenancyMember, id: string) =>
  asUser(m, (tx) => getLeadRecord(tx, { workspaceId: fx.a.id, leadId: id })).then((l) => l.version);

beforeAll(async () => {
  fx = await createTenancyFixture();
  otherRep = await addTestMember(fx.a, "sales_rep", "Noé Petit");
});

afterAll(async () => {
  await removeTenancyFixture(fx);
});

beforeEach(async () => {
  email = `ines-${randomSuffix()}@example.test`;
  leadId = await insertTestLead(fx.a, {
    firstName: "Inès",
    lastName: "Moreau",
    email,
    ownerId: fx.a.members.sales_rep.id,
    emailStatus: "valid",
  });
});

describe("updateLead", () => {
  it("saves the changed fields and records each with before and after", async () => {
    const rep = fx.a.members.sales_rep;
    const version = await versionOf(rep, leadId);
    const result = await as(rep, (tx, actor) =>
      updateLead(tx, {
        workspaceId: fx.a.id,
        actor,
        leadId,
        version,
        fields: fieldsOf({ title: "CTO", email: "Ines.Moreau@example.test", score: "70" }),
      }),
    );
    expect(result.changed.sort()).toEqual(["email", "score", "title"]);
    expect(result.version > version).toBe(true);
    const row = await rowOf(leadId);
    expect(row).toMatchObject({ title: "CTO", email: "Ines.Moreau@example.test", score: 70, emailStatus: "unknown" });
    const timeline = await timelineOf(leadId);
    expect(timeline.map((t) => t.payload).sort((x, y) => String(x.field).localeCompare(String(y.field)))).toEqual([
      { field: "email", before: email, after: "Ines.Moreau@example.test" },
      { field: "score", before: 0, after: 70 },
      { field: "title", before: null, after: "CTO" },
    ]);
    expect(timeline.every((t) => t.type === "field_changed" && t.actorId === rep.id)).toBe(true);
  });

  it("records a tags change as one entry of what was added and removed", async () => {
    const rep = fx.a.members.sales_rep;
    await serviceDb()
      .update(leads)
      .set({ tags: ["vip", "old"] })
      .where(eq(leads.id, leadId));
    const version = await versionOf(rep, leadId);
    const result = await as(rep, (tx, actor) =>
      updateLead(tx, { workspaceId: fx.a.id, actor, leadId, version, fields: fieldsOf({ tags: "vip, event-2026" }) }),
    );
    expect(result.changed).toEqual(["tags"]);
    expect((await rowOf(leadId)).tags).toEqual(["vip", "event-2026"]);
    expect(await timelineOf(leadId)).toEqual([
      { type: "tags_changed", actorId: rep.id, payload: { added: ["event-2026"], removed: ["old"] } },
    ]);
  });

  it("writes nothing when nothing changed", async () => {
    const rep = fx.a.members.sales_rep;
    const version = await versionOf(rep, leadId);
    const result = await as(rep, (tx, actor) => updateLead(tx, { workspaceId: fx.a.id, actor, leadId, version, fields: fieldsOf({}) }));
    expect(result).toEqual({ changed: [], version });
    expect(await timelineOf(leadId)).toEqual([]);
  });

  it("refuses a stale edit, changes nothing, and says who changed the lead", async () => {
    const rep = fx.a.members.sales_rep;
    const manager = fx.a.members.manager;
    const loaded = await versionOf(rep, leadId);
    await as(manager, (tx, actor) =>
      updateLead(tx, { workspaceId: fx.a.id, actor, leadId, version: loaded, fields: fieldsOf({ title: "Head of Sales" }) }),
    );
    const before = await rowOf(leadId);
    const error = await fail(
      as(rep, (tx, actor) => updateLead(tx, { workspaceId: fx.a.id, actor, leadId, version: loaded, fields: fieldsOf({ title: "VP" }) })),
    );
    expect(error).toMatchObject({ code: "conflict" });
    expect((error as Error).message).toMatch(
      new RegExp(`^${manager.fullName} changed this lead moments ago \\(.* UTC\\), after you opened it\\. Nothing was saved`),
    );
    expect(await rowOf(leadId)).toEqual(before);
    expect(await timelineOf(leadId)).toHaveLength(1);
  });

  it("lets exactly one of two concurrent edits of the same version win", async () => {
    const rep = fx.a.members.sales_rep;
    const manager = fx.a.members.manager;
    const version = await versionOf(rep, leadId);
    const results = await Promise.allSettled([
      as(rep, (tx, actor) => updateLead(tx, { workspaceId: fx.a.id, actor, leadId, version, fields: fieldsOf({ city: "Lyon" }) })),
      as(manager, (tx, actor) => updateLead(tx, { workspaceId: fx.a.id, actor, leadId, version, fields: fieldsOf({ city: "Nantes" }) })),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: "conflict" });
    const timeline = await timelineOf(leadId);
    expect(timeline).toHaveLength(1);
    expect((await rowOf(leadId)).city).toBe(timeline[0]!.payload.after);
  });

  it("refuses an email or LinkedIn profile another lead has, naming it", async () => {
    const zoe = randomSuffix();
    await insertTestLead(fx.a, {
      firstName: "Zoé",
      lastName: "Taken",
      email: `zoe-${zoe}@example.test`,
      linkedinUrl: `https://www.linkedin.com/in/zoe-${zoe}`,
    });
    const rep = fx.a.members.sales_rep;
    const version = await versionOf(rep, leadId);
    const byEmail = await fail(
      as(rep, (tx, actor) =>
        updateLead(tx, { workspaceId: fx.a.id, actor, leadId, version, fields: fieldsOf({ email: ` ZOE-${zoe}@example.test` }) }),
      ),
    );
    expect(byEmail).toMatchObject({
      code: "conflict",
      fieldErrors: { email: ["Zoé Taken already has this email address. Open that lead instead of adding it again."] },
    });
    const byLinkedIn = await fail(
      as(rep, (tx, actor) =>
        updateLead(tx, { workspaceId: fx.a.id, actor, leadId, version, fields: fieldsOf({ linkedinUrl: `linkedin.com/in/ZOE-${zoe}/` }) }),
      ),
    );
    expect(byLinkedIn).toMatchObject({ code: "conflict", fieldErrors: { linkedinUrl: [expect.stringContaining("Zoé Taken")] } });
    expect(await timelineOf(leadId)).toEqual([]);
  });

  it("names the lead that got an address first when two edits give two leads the same email at once, not an internal error", async () => {
    const rep = fx.a.members.sales_rep;
    const manager = fx.a.members.manager;
    const otherId = await insertTestLead(fx.a, { firstName: "Zoé", lastName: "Racer", ownerId: rep.id });
    const address = `race-${randomSuffix()}@example.test`;
    const [first, second] = [await versionOf(rep, leadId), await versionOf(manager, otherId)];
    let updated!: () => void;
    let release!: () => void;
    const hasUpdated = new Promise<void>((resolve) => (updated = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    // The rep's edit has written the address and not committed: the manager's check cannot see it yet.
    const rep1 = as(rep, async (tx, actor) => {
      await updateLead(tx, { workspaceId: fx.a.id, actor, leadId, version: first, fields: fieldsOf({ email: address }) });
      updated();
      await released;
    });
    await hasUpdated;
    let managerPid: number | null = null;
    const manager2 = fail(
      as(manager, async (tx, actor) => {
        const [own] = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
        managerPid = own!.pid;
        return updateLead(tx, {
          workspaceId: fx.a.id,
          actor,
          leadId: otherId,
          version: second,
          fields: fieldsOf({ firstName: "Zoé", lastName: "Racer", email: address }),
        });
      }),
    );
    // The manager's UPDATE waits on the unique index for the rep's transaction (its own backend, not another test's).
    const deadline = Date.now() + 20_000;
    for (;;) {
      const [waiting] = managerPid
        ? await serviceDb().execute<{ n: number }>(
            sql`select count(*)::int as n from pg_stat_activity where pid = ${managerPid} and wait_event_type = 'Lock'`,
          )
        : [{ n: 0 }];
      if (waiting!.n > 0) break;
      if (Date.now() > deadline) throw new Error("the manager's edit never waited on the rep's address");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    release();
    await rep1;
    expect(await manager2).toMatchObject({
      code: "conflict",
      existingId: leadId,
      fieldErrors: { email: ["Inès Moreau already has this email address. Open that lead instead of adding it again."] },
    });
    expect((await rowOf(otherId)).email).toBeNull();
    expect(await timelineOf(otherId)).toEqual([]);
  });

  it("lets a rep change the case of their own lead's email", async () => {
    const rep = fx.a.members.sales_rep;
    const version = await versionOf(rep, leadId);
    const result = await as(rep, (tx, actor) =>
      updateLead(tx, { workspaceId: fx.a.id, actor, leadId, version, fields: fieldsOf({ email: email.toUpperCase() }) }),
    );
    expect(result.changed).toEqual(["email"]);
  });
});

describe("updateLead: the lead's company", () => {
  const leadCountOf = async (id: string) =>
    (await serviceDb().select({ n: companyLeadCounts.leadCount }).from(companyLeadCounts).where(eq(companyLeadCounts.companyId, id)))[0]!.n;
  const save = (companyId: unknown) =>
    as(fx.a.members.sales_rep, async (tx, actor) => {
      const {
        leadId: id,
        version,
        ...fields
      } = ZUpdateLead.parse({ leadId, version: await versionOf(fx.a.members.sales_rep, leadId), companyId });
      return updateLead(tx, { workspaceId: fx.a.id, actor, leadId: id, version, fields });
    });

  it("moves the lead to another company: its name and both companies' counts follow, the timeline names both", async () => {
    const before = await insertTestCompany(fx.a, { name: "Société Générale, Paris" });
    const after = await insertTestCompany(fx.a, { name: "Müller & Söhne GmbH" });
    await serviceDb().update(leads).set({ companyId: before }).where(eq(leads.id, leadId));
    expect((await rowOf(leadId)).companyName).toBe("Société Générale, Paris");
    expect(await leadCountOf(before)).toBe(1);

    expect((await save(after)).changed).toEqual(["company"]);
    expect(await rowOf(leadId)).toMatchObject({ companyId: after, companyName: "Müller & Söhne GmbH" });
    expect([await leadCountOf(before), await leadCountOf(after)]).toEqual([0, 1]);
    expect(await timelineOf(leadId)).toEqual([
      {
        type: "field_changed",
        actorId: fx.a.members.sales_rep.id,
        payload: { field: "company", before: "Société Générale, Paris", after: "Müller & Söhne GmbH", beforeId: before, afterId: after },
      },
    ]);
  });

  it("links a lead without a company, and a blank choice unlinks it", async () => {
    const company = await insertTestCompany(fx.a, { name: "Nordwind AB" });
    await save(company);
    expect((await save("")).changed).toEqual(["company"]);
    expect(await rowOf(leadId)).toMatchObject({ companyId: null, companyName: null });
    expect(await leadCountOf(company)).toBe(0);
    expect((await timelineOf(leadId)).map((t) => t.payload)).toEqual([
      { field: "company", before: "Nordwind AB", after: null, beforeId: company, afterId: null },
      { field: "company", before: null, after: "Nordwind AB", beforeId: null, afterId: company },
    ]);
  });

  it("writes nothing when the company sent is the one the lead has", async () => {
    const company = await insertTestCompany(fx.a);
    await serviceDb().update(leads).set({ companyId: company }).where(eq(leads.id, leadId));
    expect((await save(company)).changed).toEqual([]);
    expect(await timelineOf(leadId)).toEqual([]);
  });

  it("refuses another workspace's company on the field, and changes nothing", async () => {
    const theirs = await insertTestCompany(fx.b, { name: "Globex Secret Co" });
    const error = await fail(save(theirs));
    expect(error).toMatchObject({ code: "invalid_input", fieldErrors: { companyId: [expect.stringMatching(/not in this workspace/)] } });
    expect(await rowOf(leadId)).toMatchObject({ companyId: null, companyName: null });
    expect(await leadCountOf(theirs)).toBe(0);
    expect(await timelineOf(leadId)).toEqual([]);
  });

  it("adds a company named in the form to the workspace and links the lead to it", async () => {
    const {
      leadId: id,
      version,
      ...fields
    } = ZUpdateLead.parse({
      leadId,
      version: await versionOf(fx.a.members.sales_rep, leadId),
      companyId: "",
      newCompanyName: "  Ørsted Wind Ltd.  ",
    });
    const result = await as(fx.a.members.sales_rep, (tx, actor) =>
      updateLead(tx, { workspaceId: fx.a.id, actor, leadId: id, version, fields }),
    );
    expect(result.changed).toEqual(["company"]);
    const row = await rowOf(leadId);
    expect(row.companyName).toBe("Ørsted Wind Ltd.");
    const [company] = await serviceDb().select().from(companies).where(eq(companies.id, row.companyId!));
    expect(company).toMatchObject({ workspaceId: fx.a.id, name: "Ørsted Wind Ltd.", domain: null });
    expect(await leadCountOf(company!.id)).toBe(1);
    expect((await timelineOf(leadId))[0]!.payload).toEqual({
      field: "company",
      before: null,
      after: "Ørsted Wind Ltd.",
      beforeId: null,
      afterId: row.companyId,
    });
  });

  it("adds no company when the lead's save is refused", async () => {
    const rep = fx.a.members.sales_rep;
    const version = await versionOf(rep, leadId);
    await as(rep, (tx, actor) => updateLead(tx, { workspaceId: fx.a.id, actor, leadId, version, fields: { title: "First" } }));
    const name = `Never Added ${randomSuffix()}`;
    const error = await fail(
      as(rep, (tx, actor) => updateLead(tx, { workspaceId: fx.a.id, actor, leadId, version, fields: { newCompanyName: name } })),
    );
    expect(error).toMatchObject({ code: "conflict" });
    expect(await serviceDb().select().from(companies).where(eq(companies.name, name))).toEqual([]);
  });

  it("refuses what is not a company id with a message to act on", () => {
    const parsed = ZUpdateLead.safeParse({ leadId, version: "v", companyId: "Acme" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({ path: ["companyId"], message: "Choose a company from the list, or clear the field for none." }),
    ]);
  });
});

describe("who may change a lead", () => {
  it("refuses another rep, naming the owner, whatever the change, and changes nothing", async () => {
    const version = await versionOf(otherRep, leadId);
    const before = await rowOf(leadId);
    const attempts = [
      () =>
        as(otherRep, (tx, actor) =>
          updateLead(tx, { workspaceId: fx.a.id, actor, leadId, version, fields: fieldsOf({ title: "Hijacked" }) }),
        ),
      () => as(otherRep, (tx, actor) => changeLeadStatus(tx, { workspaceId: fx.a.id, actor, leadId, status: "lost" })),
      () => as(otherRep, (tx, actor) => changeLeadOwner(tx, { workspaceId: fx.a.id, actor, leadId, ownerId: otherRep.id })),
    ];
    for (const attempt of attempts) {
      const error = await fail(attempt());
      expect(error).toMatchObject({ code: "forbidden" });
      expect((error as Error).message).toContain(`This lead belongs to ${fx.a.members.sales_rep.fullName}`);
    }
    expect(await rowOf(leadId)).toEqual(before);
    expect(await timelineOf(leadId)).toEqual([]);
  });

  it("refuses another rep in the service itself, without RLS to fall back on", async () => {
    // The service-role executor bypasses RLS: only the services' own canEditLead/canSetOwner stand.
    const db = serviceDb();
    const actor = actorOf(otherRep);
    const version = await versionOf(otherRep, leadId);
    const before = await rowOf(leadId);
    for (const attempt of [
      () => updateLead(db, { workspaceId: fx.a.id, actor, leadId, version, fields: fieldsOf({ title: "Hijacked" }) }),
      () => changeLeadStatus(db, { workspaceId: fx.a.id, actor, leadId, status: "lost" }),
      () => changeLeadOwner(db, { workspaceId: fx.a.id, actor, leadId, ownerId: otherRep.id }),
      () => addLeadNote(db, { workspaceId: fx.a.id, actor: actorOf(fx.a.members.viewer), leadId, body: "x" }),
    ]) {
      expect(await fail(attempt())).toMatchObject({ code: "forbidden" });
    }
    expect(await rowOf(leadId)).toEqual(before);
    expect(await timelineOf(leadId)).toEqual([]);
  });

  it("refuses viewers and analysts plainly", async () => {
    for (const member of [fx.a.members.viewer, fx.a.members.analyst]) {
      const error = await fail(as(member, (tx, actor) => changeLeadStatus(tx, { workspaceId: fx.a.id, actor, leadId, status: "won" })));
      expect(error).toMatchObject({ code: "forbidden", message: "Your role can read leads but not change them." });
      expect(await fail(as(member, (tx, actor) => addLeadNote(tx, { workspaceId: fx.a.id, actor, leadId, body: "hi" })))).toMatchObject({
        code: "forbidden",
      });
    }
  });

  it("says not found for another workspace's lead, even to its admin", async () => {
    const admin = fx.b.members.admin;
    for (const attempt of [
      () => as(admin, (tx, actor) => changeLeadStatus(tx, { workspaceId: fx.b.id, actor, leadId, status: "won" })),
      () => as(admin, (tx, actor) => changeLeadStatus(tx, { workspaceId: fx.a.id, actor, leadId, status: "won" })),
      () => as(admin, (tx, actor) => addLeadNote(tx, { workspaceId: fx.b.id, actor, leadId, body: "x" })),
      () => as(admin, (tx, actor) => updateLead(tx, { workspaceId: fx.b.id, actor, leadId, version: "x", fields: fieldsOf({}) })),
    ]) {
      expect(await fail(attempt())).toMatchObject({ code: "not_found", message: "That lead was not found." });
    }
    expect((await rowOf(leadId)).status).toBe("new");
  });

  it("refuses changes to a deleted lead until it is restored", async () => {
    await serviceDb().update(leads).set({ deletedAt: new Date() }).where(eq(leads.id, leadId));
    const error = await fail(
      as(fx.a.members.manager, (tx, actor) => changeLeadStatus(tx, { workspaceId: fx.a.id, actor, leadId, status: "won" })),
    );
    expect(error).toMatchObject({ code: "conflict", message: expect.stringContaining("Restore it") });
  });
});

describe("changeLeadStatus", () => {
  it("records the move on the timeline and moves last_activity_at", async () => {
    await as(fx.a.members.sales_rep, (tx, actor) => changeLeadStatus(tx, { workspaceId: fx.a.id, actor, leadId, status: "contacted" }));
    expect(await timelineOf(leadId)).toEqual([
      { type: "status_changed", actorId: fx.a.members.sales_rep.id, payload: { before: "new", after: "contacted" } },
    ]);
    const row = await rowOf(leadId);
    expect(row.status).toBe("contacted");
    expect(row.lastActivityAt).not.toBeNull();
    const again = await as(fx.a.members.sales_rep, (tx, actor) =>
      changeLeadStatus(tx, { workspaceId: fx.a.id, actor, leadId, status: "contacted" }),
    );
    expect(again.changed).toBe(false);
    expect(await timelineOf(leadId)).toHaveLength(1);
  });

  it("refuses a change from a status someone replaced since the page showed it, saying who; the same choice is no conflict", async () => {
    const manager = fx.a.members.manager;
    const rep = fx.a.members.sales_rep;
    await as(manager, (tx, actor) => changeLeadStatus(tx, { workspaceId: fx.a.id, actor, leadId, status: "lost", from: "new" }));
    const error = await fail(
      as(rep, (tx, actor) => changeLeadStatus(tx, { workspaceId: fx.a.id, actor, leadId, status: "contacted", from: "new" })),
    );
    expect(error).toMatchObject({ code: "conflict", message: expect.stringMatching(new RegExp(`^${manager.fullName} changed this lead`)) });
    expect((await rowOf(leadId)).status).toBe("lost");
    const same = await as(rep, (tx, actor) => changeLeadStatus(tx, { workspaceId: fx.a.id, actor, leadId, status: "lost", from: "new" }));
    expect(same.changed).toBe(false);
    // A change of another field since is not this one's business.
    await as(manager, (tx, actor) =>
      updateLead(tx, { workspaceId: fx.a.id, actor, leadId, version: null, fields: fieldsOf({ title: "Head of Sales" }) }),
    );
    await as(rep, (tx, actor) => changeLeadStatus(tx, { workspaceId: fx.a.id, actor, leadId, status: "contacted", from: "lost" }));
    expect((await rowOf(leadId)).status).toBe("contacted");
  });
});

describe("changeLeadOwner", () => {
  it("lets a manager assign to any member, and records it", async () => {
    await as(fx.a.members.manager, (tx, actor) => changeLeadOwner(tx, { workspaceId: fx.a.id, actor, leadId, ownerId: otherRep.id }));
    expect((await rowOf(leadId)).ownerId).toBe(otherRep.id);
    expect(await timelineOf(leadId)).toEqual([
      { type: "owner_changed", actorId: fx.a.members.manager.id, payload: { before: fx.a.members.sales_rep.id, after: otherRep.id } },
    ]);
  });

  it("lets a rep give their lead back and take an unassigned one, but not hand it to someone else", async () => {
    const rep = fx.a.members.sales_rep;
    const handOver = await fail(as(rep, (tx, actor) => changeLeadOwner(tx, { workspaceId: fx.a.id, actor, leadId, ownerId: otherRep.id })));
    expect(handOver).toMatchObject({ code: "forbidden", message: expect.stringContaining("Only a manager or an admin") });
    await as(rep, (tx, actor) => changeLeadOwner(tx, { workspaceId: fx.a.id, actor, leadId, ownerId: null }));
    await as(otherRep, (tx, actor) => changeLeadOwner(tx, { workspaceId: fx.a.id, actor, leadId, ownerId: otherRep.id }));
    expect((await rowOf(leadId)).ownerId).toBe(otherRep.id);
    expect((await timelineOf(leadId)).map((t) => t.payload)).toEqual([
      { before: null, after: otherRep.id },
      { before: rep.id, after: null },
    ]);
  });

  it("refuses a change from an owner someone replaced since the page showed it, saying who", async () => {
    const manager = fx.a.members.manager;
    const admin = fx.a.members.admin;
    const shown = fx.a.members.sales_rep.id;
    await as(manager, (tx, actor) => changeLeadOwner(tx, { workspaceId: fx.a.id, actor, leadId, ownerId: otherRep.id, from: shown }));
    const error = await fail(
      as(admin, (tx, actor) => changeLeadOwner(tx, { workspaceId: fx.a.id, actor, leadId, ownerId: null, from: shown })),
    );
    expect(error).toMatchObject({ code: "conflict", message: expect.stringMatching(new RegExp(`^${manager.fullName} changed this lead`)) });
    expect((await rowOf(leadId)).ownerId).toBe(otherRep.id);
  });

  it("refuses an owner who is not a member of the workspace", async () => {
    const error = await fail(
      as(fx.a.members.admin, (tx, actor) =>
        changeLeadOwner(tx, { workspaceId: fx.a.id, actor, leadId, ownerId: fx.b.members.sales_rep.id }),
      ),
    );
    expect(error).toMatchObject({ code: "invalid_input", fieldErrors: { ownerId: ["Choose a teammate from the list."] } });
    expect((await rowOf(leadId)).ownerId).toBe(fx.a.members.sales_rep.id);
  });
});

describe("addLeadNote", () => {
  it("adds the note as its author, on a teammate's lead too, without making an open edit stale", async () => {
    const version = await versionOf(fx.a.members.sales_rep, leadId);
    await as(otherRep, (tx, actor) => addLeadNote(tx, { workspaceId: fx.a.id, actor, leadId, body: "Met at the trade show <b>Lyon</b>" }));
    expect(await timelineOf(leadId)).toEqual([
      { type: "note_added", actorId: otherRep.id, payload: { body: "Met at the trade show <b>Lyon</b>" } },
    ]);
    expect(await versionOf(fx.a.members.sales_rep, leadId)).toBe(version);
    const [row] = await serviceDb()
      .select({ at: leads.lastActivityAt })
      .from(leads)
      .where(and(eq(leads.id, leadId)));
    expect(row!.at).not.toBeNull();
  });
});
