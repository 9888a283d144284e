import { describe, expect, it } from "vitest";
import {
  emailDomain,
  emailKey,
  normalizeDomain,
  normalizeEmail,
  normalizeLinkedInUrl,
  normalizeCompanyLinkedInUrl,
  normalizeWebsite,
} from "./normalize";

describe("normalizeEmail", () => {
  it("trims, keeps the case, and turns blank into null", () => {
    expect(normalizeEmail("  Ana.Lopez@Acme.com \t")).toBe("Ana.Lopez@Acme.com");
    expect(normalizeEmail("   ")).toBeNull();
    expect(normalizeEmail(undefined)).toBeNull();
  });

  it("compares addresses by their lower-cased trimmed form", () => {
    expect(emailKey(" ANA@acme.COM ")).toBe(emailKey("ana@acme.com"));
  });
});

describe("emailDomain", () => {
  it("is the lower-case domain, or null without one", () => {
    expect(emailDomain("Ana@Sub.ACME.com")).toBe("sub.acme.com");
    expect(emailDomain("ana@www.acme.com")).toBe("acme.com");
    expect(emailDomain("no-at-sign")).toBeNull();
    expect(emailDomain("@acme.com")).toBeNull();
    expect(emailDomain(null)).toBeNull();
  });
});

describe("normalizeDomain", () => {
  it.each([
    ["acme.com", "acme.com"],
    ["https://www.Acme.com/about?x=1", "acme.com"],
    ["http://acme.co.uk:8080/", "acme.co.uk"],
    ["WWW.ACME.COM.", "acme.com"],
    ["  shop.acme.io  ", "shop.acme.io"],
    // What the database's check accepts (migration 0134), however many times "www." was typed.
    ["https://www.www.acme.com/x", "acme.com"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeDomain(input)).toBe(expected);
  });

  it.each(["", "localhost", "not a domain", "acme_corp.com", "-acme.com"])("refuses %j", (input) => {
    expect(normalizeDomain(input)).toBeNull();
  });

  it("refuses what no host name can be: over 253 characters, or a label over 63", () => {
    const label = (n: number) => "a".repeat(n);
    expect(normalizeDomain(`${label(63)}.${label(63)}.${label(63)}.${label(61)}`)).toHaveLength(253);
    expect(normalizeDomain(`${label(63)}.${label(63)}.${label(63)}.${label(62)}`)).toBeNull();
    expect(normalizeDomain(`${label(64)}.com`)).toBeNull();
    expect(emailDomain(`x@${label(300)}-t.com`)).toBeNull();
  });
});

describe("normalizeLinkedInUrl", () => {
  it.each([
    ["https://www.linkedin.com/in/ana-lopez", "https://www.linkedin.com/in/ana-lopez"],
    ["linkedin.com/in/Ana-Lopez/", "https://www.linkedin.com/in/ana-lopez"],
    ["http://uk.linkedin.com/in/ana-lopez?trk=public_profile#about", "https://www.linkedin.com/in/ana-lopez"],
    ["https://m.linkedin.com/in/ana-lopez/detail/contact-info/", "https://www.linkedin.com/in/ana-lopez"],
    ["  www.LinkedIn.com/IN/ana-lopez  ", "https://www.linkedin.com/in/ana-lopez"],
    ["https://www.linkedin.com/in/ren%C3%A9e-lef%C3%A8vre", "https://www.linkedin.com/in/renée-lefèvre"],
    ["https://www.linkedin.com/in/Renée-Lefèvre", "https://www.linkedin.com/in/renée-lefèvre"],
    // A member id (Sales Navigator's linkedInProfileUrl) is an encoded id: its case is kept.
    ["https://www.linkedin.com/in/ACwAAB1xYz2Q3rStUvWxYz", "https://www.linkedin.com/in/ACwAAB1xYz2Q3rStUvWxYz"],
    ["linkedin.com/in/ACoAAAvxK2QBc-D_e9/", "https://www.linkedin.com/in/ACoAAAvxK2QBc-D_e9"],
    // A vanity name that merely starts alike is still lower-cased.
    ["https://www.linkedin.com/in/ACME-Anna", "https://www.linkedin.com/in/acme-anna"],
    // One profile however its slug is spelt: invisible characters dropped, accents composed.
    ["https://www.linkedin.com/in/ana-lopez%E2%80%8B", "https://www.linkedin.com/in/ana-lopez"],
    ["linkedin.com/in/\u200Bana-\u00ADlopez\uFEFF/", "https://www.linkedin.com/in/ana-lopez"],
    ["https://www.linkedin.com/in/jo%CC%88rg", "https://www.linkedin.com/in/jörg"],
    ["https://www.linkedin.com/in/j%C3%B6rg", "https://www.linkedin.com/in/jörg"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeLinkedInUrl(input)).toBe(expected);
  });

  it.each([
    "",
    "https://www.linkedin.com/company/acme",
    "https://www.linkedin.com/in/",
    "https://evil.com/in/ana-lopez",
    "https://linkedin.com.evil.com/in/ana",
    "javascript:alert(1)//linkedin.com/in/ana",
    "ftp://www.linkedin.com/in/ana",
    "https://www.linkedin.com/in/%E0%A4%A",
    // Nothing left once the invisible characters go, or a control character.
    "https://www.linkedin.com/in/%E2%80%8B",
    "https://www.linkedin.com/in/ana%07lopez",
  ])("refuses %j", (input) => {
    expect(normalizeLinkedInUrl(input)).toBeNull();
  });

  it("produces what the database's CHECK accepts", () => {
    const stored = normalizeLinkedInUrl("uk.linkedin.com/in/ana-lopez/?x=1")!;
    expect(stored).toMatch(/^https:\/\/www\.linkedin\.com\/in\/[^/?#]+$/);
  });
});

describe("normalizeCompanyLinkedInUrl", () => {
  it.each([
    ["HTTP://LinkedIn.com/company/Norm-Co/?trk=abc", "https://www.linkedin.com/company/norm-co"],
    ["linkedin.com/company/acme/about/", "https://www.linkedin.com/company/acme"],
    ["https://uk.linkedin.com/school/Université-Laval", "https://www.linkedin.com/school/université-laval"],
    ["www.linkedin.com/showcase/acme-cloud%E2%80%8B", "https://www.linkedin.com/showcase/acme-cloud"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeCompanyLinkedInUrl(input)).toBe(expected);
  });

  it.each([
    "javascript:alert(document.domain)",
    "https://www.linkedin.com/in/ana-lopez",
    "https://www.linkedin.com/company/",
    "https://linkedin.com.evil.com/company/acme",
    "not a url at all",
  ])("refuses %j", (input) => {
    expect(normalizeCompanyLinkedInUrl(input)).toBeNull();
  });
});

describe("normalizeWebsite", () => {
  it.each([
    ["acme.com", "https://acme.com/"],
    ["  https://www.Acme.com/about?x=1 ", "https://www.acme.com/about?x=1"],
    ["http://acme.co.uk", "http://acme.co.uk/"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeWebsite(input)).toBe(expected);
  });

  it.each(["javascript:alert(1)", "not a url at all", "ftp://acme.com", "mailto:ana@acme.com", "https://ana:secret@acme.com", "localhost"])(
    "refuses %j",
    (input) => {
      expect(normalizeWebsite(input)).toBeNull();
    },
  );
});
