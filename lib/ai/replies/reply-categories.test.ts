import { describe, expect, it } from "vitest";
import { formatReturnDate, outOfOfficeNothingDone } from "./reply-categories";

describe("outOfOfficeNothingDone", () => {
  it("says Instantly schedules its own sequences, else that no sequence of ours was due before they are back", () => {
    expect(outOfOfficeNothingDone({ source: "instantly" })).toMatch(/^Instantly sends this lead's sequence/);
    expect(outOfOfficeNothingDone({ source: "resend" })).toMatch(/^Nothing was put off: no sequence of ours/);
  });
});

describe("formatReturnDate", () => {
  it("writes the calendar day itself, whatever the time zone of the server", () => {
    expect(formatReturnDate("2027-01-12")).toBe("12 January 2027");
    expect(formatReturnDate("2026-12-31")).toBe("31 December 2026");
  });
});
