import { describe, expect, it } from "vitest";
import { fakeEnrichedPerson } from "../testing/fake-people";
import { leadChanges, matchDetailOf, personValues, type EnrichableLead } from "./person-fields";

const lead = (over: Partial<EnrichableLead> = {}): EnrichableLead => ({
  id: "l1",
  firstName: null,
  lastName: null,
  email: null,
  emailStatus: "unknown",
  title: null,
  seniority: null,
  department: null,
  linkedinUrl: null,
  city: null,
  country: null,
  apolloPersonId: null,
  companyId: null,
  companyName: null,
  companyDomain: null,
  ...over,
});

describe("matchDetailOf", () => {
  it("asks by the Apollo id when known, else by every identifier the lead has", () => {
    expect(matchDetailOf(lead({ apolloPersonId: "abc", email: "a@b.co" }))).toEqual({ id: "abc" });
    expect(matchDetailOf(lead({ email: " ana@acme.com ", firstName: "Ana", lastName: "Li" }))).toEqual({
      email: "ana@acme.com",
      first_name: "Ana",
      last_name: "Li",
      domain: "acme.com",
    });
    expect(matchDetailOf(lead({ linkedinUrl: "https://www.linkedin.com/in/ana" }))).toEqual({
      linkedin_url: "https://www.linkedin.com/in/ana",
    });
    expect(matchDetailOf(lead({ firstName: "Ana", lastName: "Li", companyDomain: "acme.com", companyName: "Acme" }))).toEqual({
      first_name: "Ana",
      last_name: "Li",
      domain: "acme.com",
      organization_name: "Acme",
    });
  });

  it("cannot match a name without a company domain, or nothing at all", () => {
    expect(matchDetailOf(lead({ firstName: "Ana", lastName: "Li" }))).toBeNull();
    expect(matchDetailOf(lead({ firstName: "Ana", companyDomain: "acme.com" }))).toBeNull();
    expect(matchDetailOf(lead())).toBeNull();
  });
});

describe("leadChanges", () => {
  const values = personValues(fakeEnrichedPerson(3));

  it("fill_empty writes only blank fields (an email status only where unknown) and sets the Apollo id", () => {
    const { changes, changed } = leadChanges(lead({ title: "Our title", email: values.fields.email! }), values, "fill_empty");
    expect(changes).toMatchObject({
      firstName: values.fields.first_name,
      city: "Lyon",
      emailStatus: "valid",
      apolloPersonId: values.apolloPersonId,
    });
    expect(changes.title).toBeUndefined();
    expect(changes.email).toBeUndefined();
    expect(changed).not.toContain("title");
  });

  it("overwrite writes every field Apollo has a different value for", () => {
    const { changes, changed } = leadChanges(lead({ title: "Our title", city: "Lyon" }), values, "overwrite");
    expect(changes.title).toBe(values.fields.title);
    expect(changed).toContain("title");
    expect(changed).not.toContain("city"); // the same value is no change
  });

  it("never takes Apollo's placeholder for an address it did not reveal", () => {
    const locked = personValues({ ...fakeEnrichedPerson(4), email: "email_not_unlocked@domain.com", email_status: "unavailable" });
    expect(locked.fields.email).toBeUndefined();
    expect(leadChanges(lead(), locked, "overwrite").changes.email).toBeUndefined();
    expect(leadChanges(lead(), locked, "overwrite").changes.emailStatus).toBeUndefined();
  });

  it("takes no address a person's form would refuse: lists, header breaks, spaces", () => {
    for (const email of [
      "ceo@suppressed.example, list@attacker.example",
      "ceo@suppressed.example\r\nBcc: list@attacker.example",
      "ceo @suppressed.example",
      "not-an-address@",
      `${"a".repeat(320)}@example.com`,
    ]) {
      const values = personValues({ ...fakeEnrichedPerson(5), email, email_status: "verified" });
      expect(values.fields.email, email).toBeUndefined();
      expect(values.fields.email_status, email).toBeUndefined();
      expect(leadChanges(lead(), values, "overwrite").changes.email, email).toBeUndefined();
    }
    expect(personValues({ ...fakeEnrichedPerson(5), email: " Zoe.Nunez+apollo@Cafe-Lyon.example " }).fields.email).toMatch(
      /^zoe\.nunez\+apollo@cafe-lyon\.example$/i,
    );
  });

  it("reads the company from the organization, by its domain", () => {
    expect(values.company).toMatchObject({ domain: "umbrella-health.example", name: "Umbrella Health", employeeCount: 240 });
    expect(values.fields.company).toBe("Umbrella Health");
    expect(values.fields.department).toBe("sales");
  });
});
