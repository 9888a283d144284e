/**
 * The company page's edit form as a browser calls it (session → action → service → RLS): those
 * who add leads change only the fields they send, a domain another company has is refused on its
 * field, and readers change nothing.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { companies } from "@/db/schema";
import { executeAction } from "@/lib/actions/execute-action";
import { insertTestCompany } from "@/tests/fixtures/leads";
import {
  createTenancyFixture,
  randomSuffix,
  removeTenancyFixture,
  type TenancyFixture,
  type TenancyMember,
} from "@/tests/fixtures/tenancy";
import { sessionOf } from "@/tests/fixtures/sessions";
import { updateCompanyDetails } from "./actions";

let fx: TenancyFixture;
let companyId: string;
let takenDomain: string;

const save = async (member: TenancyMember, input: Record<string, unknown>) =>
  executeAction(updateCompanyDetails.definition, await sessionOf(member, fx.a.id), { companyId, ...input });
const companyRow = async () => (await serviceDb().select().from(companies).where(eq(companies.id, companyId)))[0]!;

beforeAll(async () => {
  fx = await createTenancyFixture();
  takenDomain = `taken-${randomSuffix()}.example`;
  await insertTestCompany(fx.a, { name: "Nordlicht Analytics", domain: takenDomain });
  companyId = await insertTestCompany(fx.a, { name: "Müller & Söhne", industry: "Logistics", city: "Köln" });
});

afterAll(async () => {
  await removeTenancyFixture(fx);
});

describe("updateCompanyDetails", () => {
  it("lets a sales rep change the fields they send, from form text, and leaves the others as they are", async () => {
    const result = await save(fx.a.members.sales_rep, {
      domain: "https://www.Mueller-Soehne.example/kontakt",
      employeeCount: "1,200",
      annualRevenue: "",
      description: "Family-owned since 1921.",
    });
    expect(result).toMatchObject({ ok: true });
    expect(await companyRow()).toMatchObject({
      name: "Müller & Söhne",
      domain: "mueller-soehne.example",
      employeeCount: 1200,
      annualRevenue: null,
      industry: "Logistics",
      city: "Köln",
      description: "Family-owned since 1921.",
    });
  });

  it("refuses a domain another company of the workspace has, a count that is not one, and a blank name, on their fields", async () => {
    const before = await companyRow();
    expect(await save(fx.a.members.manager, { domain: takenDomain })).toMatchObject({
      ok: false,
      fieldErrors: { domain: [`Nordlicht Analytics already has the domain ${takenDomain}.`] },
    });
    expect(await save(fx.a.members.manager, { employeeCount: "about forty" })).toMatchObject({
      ok: false,
      code: "invalid_input",
      fieldErrors: { employeeCount: ["Employee count is a whole number."] },
    });
    // Past what its column holds: a field message, not "something went wrong".
    expect(await save(fx.a.members.manager, { employeeCount: "3,000,000,000" })).toMatchObject({
      ok: false,
      code: "invalid_input",
      fieldErrors: { employeeCount: ["Employee count is too large: use at most 2,147,483,647."] },
    });
    expect(await save(fx.a.members.manager, { name: "  " })).toMatchObject({
      ok: false,
      fieldErrors: { name: ["Give the company a name."] },
    });
    expect(await companyRow()).toEqual(before);
  });

  it("refuses viewers and analysts, and changes nothing", async () => {
    const before = await companyRow();
    for (const member of [fx.a.members.viewer, fx.a.members.analyst]) {
      expect(await save(member, { name: "Renamed by a reader" })).toMatchObject({ ok: false, code: "forbidden" });
    }
    expect(await companyRow()).toEqual(before);
  });
});
