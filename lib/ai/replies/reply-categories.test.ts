import { describe, expect, it } from "vitest";
import { outOfOfficeNothingDone } from "./reply-categories";

describe("outOfOfficeNothingDone", () => {
  it("says Instantly schedules its own sequences, whatever the date", () => {
    expect(outOfOfficeNothingDone({ source: "instantly", returnDate: "2027-01-12" })).toMatch(/^Instantly sends this lead's sequence/);
    expect(outOfOfficeNothingDone({ source: "instantly", returnDate: null })).toMatch(/^Instantly/);
  });

  it("names a missing return date, else that no sequence of ours was due before it", () => {
    expect(outOfOfficeNothingDone({ source: "resend", returnDate: null })).toBe("The reply gives no return date, so nothing was put off.");
    expect(outOfOfficeNothingDone({ source: "resend", returnDate: "2027-01-12" })).toMatch(/^Nothing was put off: no sequence of ours/);
  });
});
