import { describe, expect, it } from "vitest";
import { mapRow } from "@/lib/imports/map-row";
import { APOLLO_IMPORT_HEADERS, APOLLO_IMPORT_MAPPING, apolloPersonRow } from "./person-row";

const person = {
  id: "p-1",
  first_name: "Ada",
  last_name: "Lovelace",
  email: "Ada@Analytical.example",
  email_status: "verified",
  title: "Head of Engines",
  seniority: "head",
  linkedin_url: "http://linkedin.com/in/ada-lovelace",
  city: "London",
  country: "United Kingdom",
  organization: { id: "o-1", name: "Analytical", website_url: "https://www.analytical.example", estimated_num_employees: 42, unknown: 1 },
  extra: { kept: true },
};

describe("an enriched Apollo person as an import row", () => {
  it("maps through the CSV import's own mapRow to the lead and its company", () => {
    const mapped = mapRow(apolloPersonRow(person), APOLLO_IMPORT_MAPPING, APOLLO_IMPORT_HEADERS);
    expect(mapped.kind).toBe("lead");
    if (mapped.kind !== "lead") return;
    expect(mapped.lead).toMatchObject({
      apolloPersonId: "p-1",
      firstName: "Ada",
      lastName: "Lovelace",
      email: "Ada@Analytical.example",
      emailStatus: "valid",
      title: "Head of Engines",
      linkedinUrl: "https://www.linkedin.com/in/ada-lovelace",
    });
    expect(mapped.lead.company).toMatchObject({
      name: "Analytical",
      domain: "analytical.example",
      employeeCount: 42,
      apolloOrganizationId: "o-1",
    });
  });

  it("never imports Apollo's locked-email placeholder as an address", () => {
    const row = apolloPersonRow({ ...person, email: "email_not_unlocked@domain.com", linkedin_url: null });
    const mapped = mapRow(row, APOLLO_IMPORT_MAPPING, APOLLO_IMPORT_HEADERS);
    expect(mapped).toMatchObject({ kind: "failed", reason: "no_identity" });
  });

  it("has one column per header", () => {
    expect(apolloPersonRow({ id: "p-2" })).toHaveLength(APOLLO_IMPORT_HEADERS.length);
    expect(APOLLO_IMPORT_MAPPING.columns).toHaveLength(APOLLO_IMPORT_HEADERS.length);
  });
});
