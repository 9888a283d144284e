/**
 * The lead page's actions as a browser calls them (session → action → service → RLS): a sales
 * rep cannot change another rep's lead through any of them, and invalid input changes nothing.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { leads } from "@/db/schema";
import { executeAction, type ActionResult } from "@/lib/actions/execute-action";
import { getLeadRecord } from "@/lib/leads/get-lead";
import { addTestMember, insertTestLead } from "@/tests/fixtures/leads";
import {
  asUser,
  createTenancyFixture,
  randomSuffix,
  removeTenancyFixture,
  type TenancyFixture,
  type TenancyMember,
} from "@/tests/fixtures/tenancy";
import { sessionOf } from "@/tests/fixtures/sessions";
import { createLead } from "../new/actions";
import { addLeadNote, changeLeadOwner, changeLeadStatus, updateLead } from "./actions";

let fx: TenancyFixture;
let owner: TenancyMember;
let otherRep: TenancyMember;
let leadId: string;

/** The lead and its timeline, as one comparable string. */
async function state(id: string): Promise<string> {
  const [row] = await serviceDb().execute<{ digest: string }>(sql`
    select md5(concat_ws('|',
      (select l::text from public.leads l where l.id = ${id}),
      (select string_agg(a::text, ',' order by a.id) from public.lead_activities a where a.lead_id = ${id}))) as digest`);
  return row!.digest;
}

const versionOf = (id: string) => asUser(owner, (tx) => getLeadRecord(tx, { workspaceId: fx.a.id, leadId: id })).then((l) => l.version);

beforeAll(async () => {
  fx = await createTenancyFixture();
  owner = fx.a.members.sales_rep;
  otherRep = await addTestMember(fx.a, "sales_rep", "Noé Petit");
  leadId = await insertTestLead(fx.a, {
    firstName: "Inès",
    lastName: "Moreau",
    email: `ines-${randomSuffix()}@example.test`,
    ownerId: owner.id,
  });
});

afterAll(async () => {
  await removeTenancyFixture(fx);
});

describe("lead actions", () => {
  it("refuse a sales rep on another rep's lead, every one, with nothing changed", async () => {
    const session = await sessionOf(otherRep, fx.a.id);
    const version = await versionOf(leadId);
    const before = await state(leadId);
    const attempts: [string, () => Promise<ActionResult<unknown>>][] = [
      ["updateLead", () => executeAction(updateLead.definition, session, { leadId, version, firstName: "Hijacked" })],
      ["changeLeadStatus", () => executeAction(changeLeadStatus.definition, session, { leadId, status: "lost" })],
      ["changeLeadOwner (take it)", () => executeAction(changeLeadOwner.definition, session, { leadId, ownerId: otherRep.id })],
      ["changeLeadOwner (unassign it)", () => executeAction(changeLeadOwner.definition, session, { leadId, ownerId: null })],
    ];
    for (const [name, attempt] of attempts) {
      const result = await attempt();
      expect(result, name).toMatchObject({ ok: false, code: "forbidden", error: expect.stringContaining("This lead belongs to") });
      expect(await state(leadId), `${name} changed the lead`).toBe(before);
    }
  });

  it("let the owner change status and see it on the timeline", async () => {
    const result = await executeAction(changeLeadStatus.definition, await sessionOf(owner, fx.a.id), { leadId, status: "contacted" });
    expect(result).toEqual({ ok: true, data: { changed: true, status: "contacted" } });
  });

  it("answer invalid edits with field errors and change nothing", async () => {
    const session = await sessionOf(owner, fx.a.id);
    const version = await versionOf(leadId);
    const before = await state(leadId);
    const result = await executeAction(updateLead.definition, session, {
      leadId,
      version,
      firstName: "",
      lastName: "",
      email: "not an email",
      linkedinUrl: "https://example.com/in/ines",
      timeZone: "Europe/Nowhere",
      score: "250",
    });
    expect(result).toMatchObject({ ok: false, code: "invalid_input" });
    const fieldErrors = result.ok ? {} : (result.fieldErrors ?? {});
    expect(Object.keys(fieldErrors).sort()).toEqual(["email", "linkedinUrl", "score", "timeZone"]);
    expect(fieldErrors.email).toEqual(["Enter a valid email address, like name@company.com."]);
    expect(await state(leadId)).toBe(before);

    const nobody = await executeAction(updateLead.definition, session, {
      leadId,
      version,
      firstName: " ",
      lastName: "",
      email: "",
      linkedinUrl: "",
    });
    expect(nobody).toMatchObject({ ok: false, fieldErrors: { firstName: ["Give the lead a name, an email address or a LinkedIn URL."] } });
    expect(await executeAction(addLeadNote.definition, session, { leadId, body: "   " })).toMatchObject({
      ok: false,
      fieldErrors: { body: ["Write the note first."] },
    });
    expect(await state(leadId)).toBe(before);
  });

  it("refuse a stale edit by name and keep the other person's change", async () => {
    const version = await versionOf(leadId);
    const manager = await sessionOf(fx.a.members.manager, fx.a.id);
    expect(
      await executeAction(updateLead.definition, manager, { leadId, version, firstName: "Inès", lastName: "Moreau-Blanc" }),
    ).toMatchObject({
      ok: true,
    });
    const stale = await executeAction(updateLead.definition, await sessionOf(owner, fx.a.id), {
      leadId,
      version,
      firstName: "Inès",
      lastName: "M.",
    });
    expect(stale).toMatchObject({
      ok: false,
      code: "conflict",
      error: expect.stringContaining(`${fx.a.members.manager.fullName} changed this lead`),
    });
    const [row] = await serviceDb().select({ lastName: leads.lastName }).from(leads).where(eq(leads.id, leadId));
    expect(row!.lastName).toBe("Moreau-Blanc");
  });

  it("answer a duplicate create with the existing lead, not an error", async () => {
    const session = await sessionOf(otherRep, fx.a.id);
    const [row] = await serviceDb().select({ email: leads.email }).from(leads).where(eq(leads.id, leadId));
    const result = await executeAction(createLead.definition, session, { firstName: "Again", email: ` ${row!.email!.toUpperCase()} ` });
    expect(result).toMatchObject({ ok: true, data: { created: false, duplicate: { leadId, field: "email" } } });
    const created = await executeAction(createLead.definition, session, { firstName: "Brand", lastName: "New" });
    expect(created).toMatchObject({ ok: true, data: { created: true, leadId: expect.any(String) } });
  });
});
