import { describe, expect, it } from "vitest";
import { decodeEnrollmentCursor, encodeEnrollmentCursor } from "./enrollment-cursor";

const id = "0b9f7e0e-5d1c-4a53-9a43-2f3c8f2e9b11";
const cursorOf = (text: string) => Buffer.from(text).toString("base64url");

describe("a campaign's enrollments page cursor", () => {
  it("decodes what it encoded, microseconds and offset kept", () => {
    const cursor = { createdAt: "2026-12-06T09:15:02.123456+05:30", id };
    expect(decodeEnrollmentCursor(encodeEnrollmentCursor(cursor))).toEqual(cursor);
  });

  it("refuses a time PostgreSQL would not read (30 February, hour 25), rather than failing the page", () => {
    expect(decodeEnrollmentCursor(cursorOf(`2026-02-30 10:00:00Z|${id}`))).toBeNull();
    expect(decodeEnrollmentCursor(cursorOf(`2026-02-20 25:61:61Z|${id}`))).toBeNull();
  });
});
