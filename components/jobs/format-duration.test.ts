import { describe, expect, it } from "vitest";
import { formatDuration } from "./run-status-badge";

describe("formatDuration", () => {
  it("reads in the two largest units that matter", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(250)).toBe("250 ms");
    expect(formatDuration(4_200)).toBe("4.2 s");
    expect(formatDuration(454_000)).toBe("7 min 34 s");
    // 453 min 34 s, as a long sleep's run showed it.
    expect(formatDuration(27_214_000)).toBe("7 h 33 min");
    expect(formatDuration(2 * 86_400_000 + 5 * 3_600_000 + 59_000)).toBe("2 d 5 h");
  });

  it("carries a rounded minute instead of showing 60 s", () => {
    expect(formatDuration(59_960)).toBe("1 min 0 s");
    expect(formatDuration(119_600)).toBe("2 min 0 s");
    expect(formatDuration(3_599_700)).toBe("1 h 0 min");
  });
});
