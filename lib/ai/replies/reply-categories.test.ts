import { describe, expect, it } from "vitest";
import { formatReturnDate, outOfOfficeNothingDone } from "./reply-categories";

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

describe("formatReturnDate", () => {
  it("writes the calendar day itself, whatever the time zone of the server", () => {
    expect(formatReturnDate("2027-01-12")).toBe("12 January 2027");
    expect(formatReturnDate("2026-12-31")).toBe("31 December 2026");
  });
});
