import { describe, expect, it } from "vitest";
import { CUSTOM_FIELD_KEY } from "../types";
import { customFieldKeyOf, headerKey } from "./header-key";

describe("headerKey", () => {
  it.each([
    ["E-mail", "email"],
    ["email_address", "emailaddress"],
    ["  Work  Email ", "workemail"],
    ["Apollo Account  Id", "apolloaccountid"],
    ["# Employees", "employees"],
    ["Prénom", "prenom"],
    ["Teléfono", "telefono"],
    ["Straße", "strasse"],
    ["\uFEFFFirst Name", "firstname"],
    ["linkedInProfileUrl", "linkedinprofileurl"],
    ["", ""],
  ])("%j → %j", (header, key) => expect(headerKey(header)).toBe(key));
});

describe("customFieldKeyOf", () => {
  it.each([
    ["Lead Source 2", 0, "lead_source_2"],
    ["Catégorie d'achat", 0, "categorie_d_achat"],
    ["2nd phone", 3, "field_2nd_phone"],
    ["", 4, "field_5"],
    ["***", 6, "field_7"],
    ["x".repeat(100), 0, "x".repeat(63)],
  ])("%j → %j", (header, index, key) => {
    expect(customFieldKeyOf(header, index)).toBe(key);
    expect(CUSTOM_FIELD_KEY.test(key)).toBe(true);
  });
});
