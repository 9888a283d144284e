import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { companies, leadActivities, leads } from "@/db/schema";
import { insertTestLead } from "@/tests/fixtures/leads";
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

  it("refuses viewers and analysts", async () => {
    for (const member of [fx.a.members.viewer, fx.a.members.analyst]) {
      expect(await failure(create(member, { firstName: "Nope" }))).toMatchObject({ code: "forbidden" });
    }
  });
});
