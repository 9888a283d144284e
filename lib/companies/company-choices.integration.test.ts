import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertTestCompany, insertTestLead } from "@/tests/fixtures/leads";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { COMPANY_CHOICES_SHOWN, companyChoices } from "./company-choices";

let fx: TenancyFixture;
let biggest: string;

beforeAll(async () => {
  fx = await createTenancyFixture();
  // Workspace A: "Müller & Söhne" with 3 leads, "Müller Logistik" with 1, eight fillers; B: a Müller of its own.
  biggest = await insertTestCompany(fx.a, { name: "Müller & Söhne", domain: "mueller.example" });
  const smaller = await insertTestCompany(fx.a, { name: "Müller Logistik" });
  for (const companyId of [biggest, biggest, biggest, smaller]) await insertTestLead(fx.a, { companyId });
  for (let i = 0; i < COMPANY_CHOICES_SHOWN; i++) await insertTestCompany(fx.a, { name: `Filler ${i}` });
  await insertTestCompany(fx.b, { name: "Müller Globex" });
});

afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
});

const choices = (q?: string) => asUser(fx.a.members.sales_rep, (tx) => companyChoices(tx, { workspaceId: fx.a.id, q }));

describe("companyChoices (the lead form's company picker)", () => {
  it("finds the workspace's companies by a fragment in any case and without accents, most leads first", async () => {
    expect(await choices("MULLER")).toEqual([
      { id: biggest, name: "Müller & Söhne", domain: "mueller.example", leadCount: 3 },
      expect.objectContaining({ name: "Müller Logistik", leadCount: 1 }),
    ]);
  });

  it("offers the biggest companies when nothing is typed, a few at a time", async () => {
    const offered = await choices("");
    expect(offered).toHaveLength(COMPANY_CHOICES_SHOWN);
    expect(offered.slice(0, 2).map((c) => c.name)).toEqual(["Müller & Söhne", "Müller Logistik"]);
  });

  it("never offers another workspace's company, and shows a non-member nothing of this one (RLS)", async () => {
    expect((await choices("globex")).map((c) => c.name)).toEqual([]);
    const asB = await asUser(fx.b.members.admin, (tx) => companyChoices(tx, { workspaceId: fx.a.id, q: "müller" }));
    expect(asB).toEqual([]);
  });
});
