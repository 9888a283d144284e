import { describe, expect, it } from "vitest";
import { decodeJobRunCursor, encodeJobRunCursor } from "./cursor";

describe("job run cursors", () => {
  it("round-trips the cursor this app writes", () => {
    const cursor = { createdAt: new Date("2026-11-29T10:00:00.123Z"), id: "0f8b5c1e-8a3d-4c2b-9f00-1a2b3c4d5e6f" };
    expect(decodeJobRunCursor(encodeJobRunCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ["percent signs", "%%%"],
    ["empty after decoding", ""],
    ["no id", Buffer.from("2026-11-29T10:00:00.000Z").toString("base64url")],
    ["an id of dashes", Buffer.from(`2026-11-29T10:00:00.000Z|${"-".repeat(36)}`).toString("base64url")],
    ["a bad date", Buffer.from("yesterday|0f8b5c1e-8a3d-4c2b-9f00-1a2b3c4d5e6f").toString("base64url")],
    ["extra fields", Buffer.from("2026-11-29T10:00:00.000Z|0f8b5c1e-8a3d-4c2b-9f00-1a2b3c4d5e6f|x").toString("base64url")],
  ])("reads %s as no cursor", (_name, value) => {
    expect(decodeJobRunCursor(value)).toBeNull();
  });
});
