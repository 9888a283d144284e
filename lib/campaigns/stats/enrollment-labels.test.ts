import { describe, expect, it } from "vitest";
import { decodeEnrollmentCursor, encodeEnrollmentCursor } from "./enrollment-cursor";
import { describeEndReason } from "./enrollment-labels";

describe("an enrollment's end reason", () => {
  it("names the cause, then the recorded words", () => {
    expect(describeEndReason("render_failed", "{{ first_name }} is empty")).toBe("Email could not be rendered — {{ first_name }} is empty");
  });
  it("says the cause once when the words repeat it, and nothing for an enrollment still going", () => {
    expect(describeEndReason("replied", "replied")).toBe("Replied");
    expect(describeEndReason(null, null)).toBeNull();
    expect(describeEndReason(null, "  ")).toBeNull();
  });
});

describe("the enrollments' page cursor", () => {
  it("round-trips the microseconds PostgreSQL keeps", () => {
    const cursor = { createdAt: "2026-11-30T07:12:03.123456Z", id: "0b6c1f7e-2a54-4e0b-9d5c-4f6f0a1e2b3c" };
    expect(decodeEnrollmentCursor(encodeEnrollmentCursor(cursor))).toEqual(cursor);
  });
  it("refuses what this app did not write", () => {
    for (const bad of [
      "",
      "nope",
      Buffer.from("yesterday|x").toString("base64url"),
      Buffer.from("2026-11-30T07:12:03Z|id|more").toString("base64url"),
    ]) {
      expect(decodeEnrollmentCursor(bad)).toBeNull();
    }
  });
});
