import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { companies, companyLeadCounts, leadActivities, leads } from "@/db/schema";
import { insertTestCompany, insertTestLead } from "@/tests/fixtures/leads";
import {
  asUser,
  createTenancyFixture,
  randomSuffix,
  removeTenancyFixture,
  type TenancyFixture,
  type TenancyMember,
} from "@/tests/fixtures/tenancy";
import { createLead } from "./create-lead";
import { DuplicateLeadError } from "./find-duplicate-lead";
import { ZCreateLead } from "./schemas";

let fx: TenancyFixture;
let domain: string;
let companyId: string;

const create = (member: TenancyMember, input: Record<string, unknown>) =>
  asUser(member, (tx) =>
    createLead(tx, { workspaceId: fx.a.id, actor: { userId: member.id, role: member.role }, fields: ZCreateLead.parse(input) }),
  );
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a refusal");
    },
    (e: unknown) => e,
  );
const leadsWithEmail = async (email: string) =>
  (await serviceDb().select({ id: leads.id, email: leads.email }).from(leads).where(eq(leads.workspaceId, fx.a.id))).filter(
    (l) => l.email?.toLowerCase() === email.toLowerCase(),
  );

beforeAll(async () => {
  fx = await createTenancyFixture();
  domain = `acme-${randomSuffix()}.test`;
  const [company] = await serviceDb()
    .insert(companies)
    .values({ workspaceId: fx.a.id, name: "Acme Robotics", domain })
    .returning({ id: companies.id });
  companyId = company!.id;
});

afterAll(async () => {
  await removeTenancyFixture(fx);
});

describe("createLead", () => {
  it("adds the lead owned by its creator, at the company of the email's domain, with a 'created' entry", async () => {
    const rep = fx.a.members.sales_rep;
    const { leadId } = await create(rep, { firstName: "Inès", lastName: "Moreau", email: ` Ines@${domain.toUpperCase()} `, title: "CTO" });
    const [row] = await serviceDb().select().from(leads).where(eq(leads.id, leadId));
    expect(row).toMatchObject({
      workspaceId: fx.a.id,
      email: `Ines@${domain.toUpperCase()}`,
      companyId,
      companyName: "Acme Robotics",
      ownerId: rep.id,
      createdBy: rep.id,
      source: "manual",
      status: "new",
    });
    const timeline = await serviceDb().select().from(leadActivities).where(eq(leadActivities.leadId, leadId));
    expect(timeline).toMatchObject([{ type: "created", actorId: rep.id, payload: { source: "manual" } }]);
  });

  it("points to the existing lead for the same email in any case or spacing, and adds nothing", async () => {
    const email = `dup-${randomSuffix()}@example.test`;
    const existing = await insertTestLead(fx.a, { firstName: "Ana", lastName: "Lopez", email });
    const error = await failure(create(fx.a.members.manager, { firstName: "Someone", email: `  ${email.toUpperCase()}\t` }));
    expect(error).toBeInstanceOf(DuplicateLeadError);
    expect(error).toMatchObject({
      code: "conflict",
      message: "Ana Lopez already has this email address. Open that lead instead of adding it again.",
      duplicate: { field: "email", leadId: existing, name: "Ana Lopez", deletedAt: null },
      fieldErrors: { email: [expect.stringContaining("Ana Lopez")] },
    });
    expect(await leadsWithEmail(email)).toHaveLength(1);
  });

  it("finds a deleted lead with the address and says to restore it", async () => {
    const email = `gone-${randomSuffix()}@example.test`;
    const existing = await insertTestLead(fx.a, { firstName: "Old", lastName: "Friend", email, deletedAt: new Date() });
    const error = await failure(create(fx.a.members.sales_rep, { email }));
    expect(error).toMatchObject({
      duplicate: { field: "email", leadId: existing, deletedAt: expect.any(String) },
      message: "A deleted lead, Old Friend, has this email address. Restore it from the Deleted leads instead of adding it again.",
    });
  });

  it("points to the existing lead for the same LinkedIn profile written differently", async () => {
    const slug = `ana-${randomSuffix()}`;
    const existing = await insertTestLead(fx.a, { firstName: "Ana", linkedinUrl: `https://www.linkedin.com/in/${slug}` });
    const error = await failure(create(fx.a.members.sales_rep, { linkedinUrl: `http://uk.linkedin.com/in/${slug.toUpperCase()}/?trk=x` }));
    expect(error).toMatchObject({
      duplicate: { field: "linkedinUrl", leadId: existing },
      fieldErrors: { linkedinUrl: [expect.any(String)] },
    });
  });

  it("ignores another workspace's lead with the same address", async () => {
    const email = `shared-${randomSuffix()}@example.test`;
    await insertTestLead(fx.b, { firstName: "Globex", email });
    const { leadId } = await create(fx.a.members.sales_rep, { firstName: "Acme", email });
    expect(leadId).toBeTruthy();
  });

  it("names the winner when two people add the same person at once", async () => {
    const email = `race-${randomSuffix()}@example.test`;
    const results = await Promise.allSettled([
      create(fx.a.members.sales_rep, { firstName: "First", email }),
      create(fx.a.members.manager, { firstName: "Second", email }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(DuplicateLeadError);
    expect(await leadsWithEmail(email)).toHaveLength(1);
  });

  it("joins the company chosen in the form rather than the one at the email's domain", async () => {
    const chosen = await insertTestCompany(fx.a, { name: "Nordwind AB" });
    const { leadId } = await create(fx.a.members.sales_rep, { firstName: "Sven", email: `sven@${domain}`, companyId: chosen });
    const [row] = await serviceDb().select().from(leads).where(eq(leads.id, leadId));
    expect(row).toMatchObject({ companyId: chosen, companyName: "Nordwind AB" });
  });

  it("adds a company named in the form and the lead at it", async () => {
    const name = `Ørsted Wind ${randomSuffix()}`;
    const { leadId } = await create(fx.a.members.sales_rep, { firstName: "Freja", companyId: "", newCompanyName: name });
    const [row] = await serviceDb().select().from(leads).where(eq(leads.id, leadId));
    expect(row).toMatchObject({ companyName: name });
    const [company] = await serviceDb().select().from(companies).where(eq(companies.id, row!.companyId!));
    expect(company).toMatchObject({ workspaceId: fx.a.id, name });
    const [count] = await serviceDb().select().from(companyLeadCounts).where(eq(companyLeadCounts.companyId, company!.id));
    expect(count).toMatchObject({ workspaceId: fx.a.id, leadCount: 1 });
  });

  it("refuses another workspace's company on the field, and adds nothing", async () => {
    const theirs = await insertTestCompany(fx.b, { name: "Globex Secret Co" });
    const email = `nope-${randomSuffix()}@example.test`;
    expect(await failure(create(fx.a.members.sales_rep, { firstName: "Nope", email, companyId: theirs }))).toMatchObject({
      code: "invalid_input",
      fieldErrors: { companyId: [expect.stringMatching(/not in this workspace/)] },
    });
    expect(await leadsWithEmail(email)).toEqual([]);
  });

  it("rolls back the company named for a lead that lost a race to the same person", async () => {
    const email = `race-company-${randomSuffix()}@example.test`;
    const names = [`Race One ${randomSuffix()}`, `Race Two ${randomSuffix()}`];
    await Promise.allSettled(
      names.map((newCompanyName, i) => create(i ? fx.a.members.manager : fx.a.members.sales_rep, { email, newCompanyName })),
    );
    const added = await serviceDb().select({ name: companies.name }).from(companies).where(eq(companies.workspaceId, fx.a.id));
    expect(added.map((c) => c.name).filter((n) => names.includes(n))).toHaveLength(1);
    expect(await leadsWithEmail(email)).toHaveLength(1);
  });

  it("refuses viewers and analysts", async () => {
    for (const member of [fx.a.members.viewer, fx.a.members.analyst]) {
      expect(await failure(create(member, { firstName: "Nope" }))).toMatchObject({ code: "forbidden" });
    }
  });
});
