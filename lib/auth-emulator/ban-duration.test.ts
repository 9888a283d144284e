import { describe, expect, it } from "vitest";
import { parseBanDuration } from "./ban-duration";

describe("parseBanDuration", () => {
  const now = new Date("2026-01-01T00:00:00Z");

  it("lifts a ban with none", () => {
    expect(parseBanDuration("none", now)).toBeNull();
  });

  it("reads Go durations", () => {
    expect(parseBanDuration("24h", now)?.toISOString()).toBe("2026-01-02T00:00:00.000Z");
    expect(parseBanDuration("1h30m", now)?.toISOString()).toBe("2026-01-01T01:30:00.000Z");
    expect(parseBanDuration("1.5s", now)?.getTime()).toBe(now.getTime() + 1500);
  });

  it("rejects anything else as validation_failed", () => {
    for (const bad of ["", "forever", "24", "h", "1h foo", "-1h"]) {
      expect(() => parseBanDuration(bad, now)).toThrow(expect.objectContaining({ errorCode: "validation_failed" }));
    }
  });
});
