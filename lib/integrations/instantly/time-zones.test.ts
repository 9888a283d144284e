import { describe, expect, it } from "vitest";
import { INSTANTLY_TIME_ZONES, instantlyTimeZoneFor } from "./time-zones";

const from = new Date("2026-11-30T12:00:00Z");

describe("instantlyTimeZoneFor", () => {
  it("keeps a zone Instantly lists", () => {
    expect(instantlyTimeZoneFor("America/Chicago", from)).toEqual({ ok: true, zone: "America/Chicago" });
    expect(instantlyTimeZoneFor("Asia/Kolkata", from)).toEqual({ ok: true, zone: "Asia/Kolkata" });
  });

  it("maps a zone Instantly lacks to one with the same offsets and daylight-saving changes", () => {
    expect(INSTANTLY_TIME_ZONES).not.toContain("America/New_York");
    expect(instantlyTimeZoneFor("America/New_York", from)).toEqual({ ok: true, zone: "America/Detroit" });
    expect(instantlyTimeZoneFor("Europe/London", from)).toEqual({ ok: true, zone: "Europe/Isle_of_Man" });
    const paris = instantlyTimeZoneFor("Europe/Paris", from);
    expect(paris.ok && ["Arctic/Longyearbyen", "Europe/Belgrade", "Africa/Ceuta", "Europe/Sarajevo"]).toContain(paris.ok && paris.zone);
    expect(instantlyTimeZoneFor("UTC", from)).toMatchObject({ ok: true });
    // Same offset as Chicago in winter, but no daylight saving (since 2022): not Chicago.
    const mexico = instantlyTimeZoneFor("America/Mexico_City", from);
    expect(mexico).toMatchObject({ ok: true });
    expect(mexico.ok && mexico.zone).not.toBe("America/Chicago");
  });

  it("refuses a zone with no equivalent, naming it", () => {
    // US Pacific time: Instantly's list has no zone at UTC−8 with US daylight saving.
    const la = instantlyTimeZoneFor("America/Los_Angeles", from);
    expect(la).toEqual({ ok: false, message: expect.stringContaining('"America/Los_Angeles"') });
    expect(instantlyTimeZoneFor("Mars/Olympus_Mons", from)).toEqual({ ok: false, message: expect.stringContaining('"Mars/Olympus_Mons"') });
  });
});
