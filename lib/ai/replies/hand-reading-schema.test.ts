import { describe, expect, it } from "vitest";
import { ZHandReading } from "./hand-reading-schema";

const id = "6f1c2a9e-3b1d-4c5e-9f00-1a2b3c4d5e6f";
const messages = (input: Record<string, unknown>) => {
  const parsed = ZHandReading.safeParse({ classificationId: id, ...input });
  return parsed.success ? null : Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message]));
};

describe("a person's reading of a reply, as the form sends it", () => {
  it("reads empty fields as none and keeps an address in lower case", () => {
    expect(
      ZHandReading.parse({
        classificationId: id,
        category: "wrong_person",
        returnDate: "",
        referralName: "  ",
        referralEmail: " Maria@Nordwind.SE ",
      }),
    ).toEqual({ classificationId: id, category: "wrong_person", returnDate: null, referralName: null, referralEmail: "maria@nordwind.se" });
    expect(ZHandReading.parse({ classificationId: id, category: "out_of_office", returnDate: "2027-01-12" })).toMatchObject({
      returnDate: "2027-01-12",
      referralName: null,
      referralEmail: null,
    });
  });

  it("names the field and what to do about it", () => {
    expect(messages({ category: "" })).toEqual({ category: "Choose what the reply says." });
    expect(messages({ category: "meeting_booked" })).toEqual({ category: "Choose what the reply says." });
    expect(messages({ category: "out_of_office", returnDate: "12/01/2027" })).toEqual({
      returnDate: "Give the return date as a date, for example 2027-01-12.",
    });
    expect(messages({ category: "out_of_office", returnDate: "2027-02-30" })).toEqual({
      returnDate: "Give the return date as a date, for example 2027-01-12.",
    });
    expect(messages({ category: "wrong_person", referralEmail: "maria at nordwind" })).toEqual({
      referralEmail: "That email address is not valid.",
    });
    expect(messages({ category: "wrong_person", referralName: "x".repeat(201) })).toEqual({
      referralName: "Keep the name under 200 characters.",
    });
    expect(messages({ classificationId: "1; drop table", category: "question" })).toEqual({
      classificationId: "That reply is not valid. Reload the page.",
    });
  });
});
