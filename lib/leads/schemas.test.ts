import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isIanaTimeZone, ZCreateLead, ZUpdateLead } from "./schemas";

const fieldErrors = (result: z.ZodSafeParseResult<unknown>): Record<string, string[] | undefined> =>
  result.success ? {} : z.flattenError(result.error).fieldErrors;

describe("ZCreateLead", () => {
  it("normalises what people type", () => {
    const parsed = ZCreateLead.parse({
      firstName: "  Ana ",
      lastName: "",
      email: "  Ana@Acme.com ",
      linkedinUrl: "uk.linkedin.com/in/Ana-Lopez/?trk=x",
      timeZone: "Europe/Paris",
      score: "42",
      title: "   ",
    });
    expect(parsed).toMatchObject({
      firstName: "Ana",
      lastName: null,
      email: "Ana@Acme.com",
      linkedinUrl: "https://www.linkedin.com/in/ana-lopez",
      timeZone: "Europe/Paris",
      score: 42,
      title: null,
    });
  });

  it("names each field's problem", () => {
    const errors = fieldErrors(
      ZCreateLead.safeParse({
        firstName: "Ana",
        email: "not-an-email",
        linkedinUrl: "https://example.com/ana",
        timeZone: "Mars/Olympus",
        score: "101",
      }),
    );
    expect(errors.email).toEqual(["Enter a valid email address, like name@company.com."]);
    expect(errors.linkedinUrl).toEqual(["Enter a LinkedIn profile URL, like https://www.linkedin.com/in/name."]);
    expect(errors.timeZone?.[0]).toMatch(/Choose a time zone/);
    expect(errors.score).toEqual(["Enter a score from 0 to 100."]);
  });

  it("refuses a lead that is nobody", () => {
    expect(fieldErrors(ZCreateLead.safeParse({ firstName: " ", email: "" })).firstName).toEqual([
      "Give the lead a name, an email address or a LinkedIn URL.",
    ]);
    expect(ZCreateLead.safeParse({ linkedinUrl: "linkedin.com/in/ana" }).success).toBe(true);
  });

  it("reads tags typed with commas: trimmed, blanks dropped, each once whatever its case", () => {
    expect(ZCreateLead.parse({ firstName: "A", tags: " vip, event-2026 ,, vip " }).tags).toEqual(["vip", "event-2026"]);
    expect(ZCreateLead.parse({ firstName: "A", tags: "QA-Import, qa-import, VIP" }).tags).toEqual(["QA-Import", "VIP"]);
    expect(ZCreateLead.parse({ firstName: "A" }).tags).toEqual([]);
    const tooMany = Array.from({ length: 51 }, (_, i) => `t${i}`).join(",");
    expect(fieldErrors(ZCreateLead.safeParse({ firstName: "A", tags: tooMany })).tags).toEqual(["A lead has at most 50 tags."]);
    expect(fieldErrors(ZCreateLead.safeParse({ firstName: "A", tags: "x".repeat(51) })).tags).toEqual(["A tag has at most 50 characters."]);
  });

  it("refuses a fractional or non-numeric score", () => {
    expect(fieldErrors(ZCreateLead.safeParse({ firstName: "A", score: "4.5" })).score).toEqual(["Enter a whole number from 0 to 100."]);
    expect(fieldErrors(ZCreateLead.safeParse({ firstName: "A", score: "lots" })).score).toBeDefined();
  });
});

describe("ZUpdateLead", () => {
  it("needs the lead and the version the form loaded", () => {
    const errors = fieldErrors(ZUpdateLead.safeParse({ firstName: "Ana" }));
    expect(Object.keys(errors).sort()).toEqual(["leadId", "version"]);
  });

  it("keeps a field left out apart from a field cleared", () => {
    const parsed = ZUpdateLead.parse({ leadId: "00000000-0000-4000-8000-000000000001", version: "v", title: "  ", city: "Lyon" });
    expect(parsed).toEqual({ leadId: "00000000-0000-4000-8000-000000000001", version: "v", title: null, city: "Lyon" });
  });
});

describe("isIanaTimeZone", () => {
  it("accepts IANA zone names and refuses offsets and inventions", () => {
    expect(isIanaTimeZone("America/Argentina/Buenos_Aires")).toBe(true);
    expect(isIanaTimeZone("UTC")).toBe(true);
    expect(isIanaTimeZone("Europe/Atlantis")).toBe(false);
    expect(isIanaTimeZone("+02:00")).toBe(false);
    expect(isIanaTimeZone("EST")).toBe(false);
  });
});
