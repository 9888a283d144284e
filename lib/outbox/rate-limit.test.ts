import { describe, expect, it } from "vitest";
import { createRateLimiter, rateLimitHeaders } from "./rate-limit";

describe("the outbox's rate limit", () => {
  it("allows N requests per second, refuses the rest of that second, and allows again in the next", () => {
    let t = 10_000;
    const limiter = createRateLimiter(2, () => t);
    expect(limiter.take()).toEqual({ allowed: true, limit: 2, remaining: 1, resetSeconds: 1 });
    t += 100;
    expect(limiter.take()).toMatchObject({ allowed: true, remaining: 0 });
    t += 100;
    const refused = limiter.take();
    expect(refused).toMatchObject({ allowed: false, remaining: 0, resetSeconds: 1 });
    t += 100;
    expect(limiter.take().allowed).toBe(false);
    t += 700; // one second after the window opened
    expect(limiter.take()).toMatchObject({ allowed: true, remaining: 1 });
  });

  it("answers Resend's headers, with retry-after on a refusal only", () => {
    expect(rateLimitHeaders({ allowed: true, limit: 5, remaining: 4, resetSeconds: 1 })).toEqual({
      "ratelimit-limit": "5",
      "ratelimit-remaining": "4",
      "ratelimit-reset": "1",
    });
    expect(rateLimitHeaders({ allowed: false, limit: 5, remaining: 0, resetSeconds: 1 })).toMatchObject({ "retry-after": "1" });
  });
});
