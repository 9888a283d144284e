import { describe, expect, it } from "vitest";
import { isTimestampText } from "./timestamp-text";

describe("isTimestampText", () => {
  it("takes what PostgreSQL writes and reads back", () => {
    for (const text of [
      "2026-12-05T10:11:12Z",
      "2026-12-05T10:11:12.123456Z",
      "2024-02-29 23:59:59.5+00",
      "2026-03-29 02:30:00+05:30",
      "1999-12-31 00:00:00-03:30:00",
      "0001-01-01T00:00:00Z",
    ]) {
      expect(isTimestampText(text), text).toBe(true);
    }
  });

  it("refuses what PostgreSQL would refuse to cast, where Date.parse rolls it over or takes it", () => {
    for (const text of [
      "2024-02-30T00:00:00Z",
      "2023-02-29T00:00:00Z",
      "2026-04-31T00:00:00Z",
      "0000-01-01T00:00:00Z",
      "2026-12-05T24:00:00Z",
      "2026-12-05T10:60:00Z",
      "2026-12-05T10:00:61Z",
      "2026-13-01T00:00:00Z",
      "2026-12-05T10:00:00.1234567Z",
      "2026-12-05T10:00:00+16",
      "2026-12-05",
      "not a date'); drop table leads; --",
    ]) {
      expect(isTimestampText(text), text).toBe(false);
    }
  });
});
