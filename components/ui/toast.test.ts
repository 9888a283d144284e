import { describe, expect, it } from "vitest";
import { toastDuration } from "./toast";

describe("toastDuration", () => {
  it("keeps a short message for sonner's default four seconds", () => {
    expect(toastDuration("Saved.")).toBe(4_000);
  });

  it("keeps a long one long enough to read at a slow pace, up to fifteen seconds", () => {
    const refusal =
      "This workspace has launched, paused, resumed or stopped campaigns 120 times within the last hour, the most allowed — try again in 42 seconds.";
    expect(toastDuration(refusal)).toBeGreaterThanOrEqual(11_000);
    expect(toastDuration("x".repeat(5_000))).toBe(15_000);
  });
});
