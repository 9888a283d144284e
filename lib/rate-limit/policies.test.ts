import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { actionsPerUser, eventStreamsPerUser, unsubscribeRequestsPerIp, webhooksPerIp, workspaceLimit } from "./policies";
import { RateLimitedError, tryAgainSoonMessage, waitInWords } from "./rate-limited";

const MINIMAL = {
  DATABASE_URL: "postgres://postgres:postgres@127.0.0.1:5432/lip",
  NEXT_PUBLIC_SUPABASE_ANON_KEY: "anon-key-anon-key-anon-key",
  SUPABASE_SERVICE_ROLE_KEY: "service-key-service-key-service",
  LOCAL_AUTH_SIGNING_JWK: '{"kty":"EC"}',
  LOCAL_RESEND_API_KEY: "re_local_abc",
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
};

describe("rate limit policies", () => {
  it("default to allowances no person working fast meets", () => {
    const e = parseEnv(MINIMAL);
    expect(actionsPerUser(e)).toMatchObject({ points: 600, durationSeconds: 60 });
    expect(workspaceLimit("uploads", e)).toMatchObject({ points: 100, durationSeconds: 3600 });
    expect(workspaceLimit("exports", e)).toMatchObject({ points: 120, durationSeconds: 3600 });
    expect(workspaceLimit("vendor-calls", e)).toMatchObject({ points: 60, durationSeconds: 60 });
    expect(workspaceLimit("vendor-runs", e)).toMatchObject({ points: 60, durationSeconds: 3600 });
    expect(workspaceLimit("campaign-changes", e)).toMatchObject({ name: "workspace-campaign-changes", points: 120, durationSeconds: 3600 });
    expect(workspaceLimit("job-replays", e)).toMatchObject({ name: "workspace-job-replays", points: 120, durationSeconds: 3600 });
    expect(unsubscribeRequestsPerIp(e)).toMatchObject({ points: 300, durationSeconds: 60 });
    expect(webhooksPerIp("resend", e)).toMatchObject({ name: "resend-webhook-ip", points: 3000, durationSeconds: 60 });
    expect(webhooksPerIp("instantly", e)).toMatchObject({ name: "instantly-webhook-ip", points: 3000 });
    expect(eventStreamsPerUser(e)).toMatchObject({ points: 60, durationSeconds: 60 });
  });

  it("take their allowances from the environment, and refuse one that is no whole number", () => {
    const e = parseEnv({
      ...MINIMAL,
      RATE_LIMIT_ACTIONS_PER_MINUTE: "42",
      RATE_LIMIT_VENDOR_RUNS_PER_HOUR: "7",
      RATE_LIMIT_CAMPAIGN_CHANGES_PER_HOUR: "9",
      RATE_LIMIT_JOB_REPLAYS_PER_HOUR: "11",
    });
    expect(actionsPerUser(e).points).toBe(42);
    expect(workspaceLimit("vendor-runs", e)).toMatchObject({ points: 7, refusal: expect.stringContaining("started 7 imports") });
    expect(workspaceLimit("campaign-changes", e)).toMatchObject({
      points: 9,
      refusal: expect.stringContaining("stopped campaigns 9 times"),
    });
    expect(workspaceLimit("job-replays", e)).toMatchObject({ points: 11, refusal: expect.stringContaining("replayed or retried 11 runs") });
    expect(() => parseEnv({ ...MINIMAL, RATE_LIMIT_EXPORTS_PER_HOUR: "0" })).toThrow(/RATE_LIMIT_EXPORTS_PER_HOUR/);
    expect(() => parseEnv({ ...MINIMAL, RATE_LIMIT_EXPORTS_PER_HOUR: "lots" })).toThrow(
      /RATE_LIMIT_EXPORTS_PER_HOUR must be a whole number/,
    );
  });

  it("say when to try again in seconds, or minutes past two", () => {
    expect(tryAgainSoonMessage(new RateLimitedError("x", 40))).toBe("Too many requests — try again in 40 seconds.");
    expect(tryAgainSoonMessage(new RateLimitedError("x", 601, "Too many exports"))).toBe("Too many exports — try again in 11 minutes.");
    expect(waitInWords(1)).toBe("1 second");
    expect(waitInWords(119)).toBe("119 seconds");
    expect(waitInWords(120)).toBe("2 minutes");
  });
});
