import { describe, expect, it } from "vitest";
import { providerThrottle } from "./provider-throttle";

describe("providerThrottle", () => {
  it("follows Resend's limit (5/s unless told), the outbox's when it has one, and none otherwise", () => {
    expect(providerThrottle({ RESEND_API_KEY: "re_x" })).toEqual({ limit: 5, period: "1s" });
    expect(providerThrottle({ RESEND_API_KEY: "re_x", RESEND_RATE_LIMIT: "20", LOCAL_OUTBOX_RATE_LIMIT: "2" })).toEqual({
      limit: 20,
      period: "1s",
    });
    expect(providerThrottle({ LOCAL_OUTBOX_RATE_LIMIT: "3" })).toEqual({ limit: 3, period: "1s" });
    expect(providerThrottle({})).toBeUndefined();
    expect(providerThrottle({ LOCAL_OUTBOX_RATE_LIMIT: "nonsense" })).toBeUndefined();
  });
});
