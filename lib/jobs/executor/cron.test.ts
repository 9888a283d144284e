import { describe, expect, it } from "vitest";
import { InvalidCronError, nextCronTick, parseCron } from "./cron";

const at = (iso: string) => Date.parse(iso);
const next = (cron: string, after: string) => new Date(nextCronTick(parseCron(cron), at(after))).toISOString();

describe("cron schedules", () => {
  it("finds the next tick strictly after a moment", () => {
    expect(next("0 3 * * *", "2026-11-20T02:59:00Z")).toBe("2026-11-20T03:00:00.000Z");
    expect(next("0 3 * * *", "2026-11-20T03:00:00Z")).toBe("2026-11-21T03:00:00.000Z");
    expect(next("*/15 * * * *", "2026-11-20T10:07:30Z")).toBe("2026-11-20T10:15:00.000Z");
    expect(next("@hourly", "2026-11-20T10:07:30Z")).toBe("2026-11-20T11:00:00.000Z");
  });

  it("understands ranges, lists, names and weekday 7", () => {
    expect(next("30 9 * * MON-FRI", "2026-11-21T00:00:00Z")).toBe("2026-11-23T09:30:00.000Z"); // Saturday → Monday
    expect(next("0 0 1 JAN,JUL *", "2026-02-01T00:00:00Z")).toBe("2026-07-01T00:00:00.000Z");
    expect(next("0 12 * * 7", "2026-11-20T00:00:00Z")).toBe("2026-11-22T12:00:00.000Z"); // Sunday
  });

  it("fires on either the day of month or the weekday when both are restricted", () => {
    expect(next("0 0 13 * FRI", "2026-11-01T00:00:00Z")).toBe("2026-11-06T00:00:00.000Z");
  });

  it("honours a TZ= prefix, across daylight saving time", () => {
    expect(next("TZ=Europe/Paris 0 9 * * *", "2026-11-20T00:00:00Z")).toBe("2026-11-20T08:00:00.000Z");
    expect(next("TZ=Europe/Paris 0 9 * * *", "2026-07-20T00:00:00Z")).toBe("2026-07-20T07:00:00.000Z");
    expect(next("TZ=America/New_York 30 8 * * 1", "2026-11-20T00:00:00Z")).toBe("2026-11-23T13:30:00.000Z");
  });

  it("rejects what it cannot schedule", () => {
    expect(() => parseCron("0 3 * *")).toThrow(InvalidCronError);
    expect(() => parseCron("61 * * * *")).toThrow("out of range");
    expect(() => parseCron("TZ=Mars/Olympus 0 3 * * *")).toThrow("unknown time zone");
    expect(() => nextCronTick(parseCron("0 0 31 2 *"), Date.now())).toThrow("never fires");
  });
});
