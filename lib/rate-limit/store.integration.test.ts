import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { connect } from "@/db/client";
import { env } from "@/lib/env";
import { storedLimiter } from "./store";

/** The counting write is our own statement (store.ts): the library's semantics, on real PostgreSQL. */
describe("the stored rate-limit counters", () => {
  it("count within a window, refuse past it with the time left, and start again once it ends", async () => {
    const limiter = storedLimiter(`store-test-${randomUUID()}`, { points: 2, durationSeconds: 2 });
    const key = randomUUID();
    expect((await limiter.consume(key)).consumedPoints).toBe(1);
    expect((await limiter.consume(key)).consumedPoints).toBe(2);
    const refused = await limiter.consume(key).then(
      () => null,
      (rejection: { consumedPoints: number; msBeforeNext: number }) => rejection,
    );
    expect(refused).toMatchObject({ consumedPoints: 3 });
    expect(refused!.msBeforeNext).toBeGreaterThan(0);
    expect(refused!.msBeforeNext).toBeLessThanOrEqual(2_000);
    // Another subject has its own window.
    expect((await limiter.consume(randomUUID())).consumedPoints).toBe(1);

    await new Promise((resolve) => setTimeout(resolve, refused!.msBeforeNext + 50));
    const again = await limiter.consume(key);
    expect(again.consumedPoints).toBe(1);
    expect(again.msBeforeNext).toBeGreaterThan(1_000);
  });

  it("penalty and reward move the count; block overwrites the window with its own length", async () => {
    const limiter = storedLimiter(`store-test-${randomUUID()}`, { points: 5, durationSeconds: 60 });
    const key = randomUUID();
    expect((await limiter.penalty(key, 3)).consumedPoints).toBe(3);
    expect((await limiter.reward(key, 1)).consumedPoints).toBe(2);
    const blocked = await limiter.block(key, 600);
    expect(blocked.consumedPoints).toBe(6); // points + 1: refused until the block ends
    expect(blocked.msBeforeNext).toBeGreaterThan(590_000);
    const state = await limiter.get(key);
    expect(state?.consumedPoints).toBe(6);
    expect(state!.msBeforeNext).toBeGreaterThan(590_000);
  });

  it("commit their counts without a flush, and leave every pooled connection committing as before", async () => {
    const limiter = storedLimiter(`store-test-${randomUUID()}`, { points: 1_000, durationSeconds: 60 });
    const { sql } = connect(env().DATABASE_URL);
    // More at once than the pool has connections, so that each statement reaches every connection.
    const onEveryConnection = <T>(query: () => Promise<T>) => Promise.all(Array.from({ length: 30 }, query));
    // The test database commits without a flush anyway (lib/local/embedded-postgres.ts): the
    // connections start as an app's would, flushing, so that a setting left behind shows.
    await onEveryConnection(() => sql`select set_config('synchronous_commit', 'on', false), pg_sleep(0.01)`);
    try {
      await onEveryConnection(() => limiter.consume(randomUUID()));
      const settings = await onEveryConnection(
        () => sql<{ mode: string }[]>`select current_setting('synchronous_commit') as mode, pg_sleep(0.01)`,
      );
      expect(new Set(settings.map(([row]) => row!.mode))).toEqual(new Set(["on"]));
    } finally {
      await onEveryConnection(
        () =>
          sql`select set_config('synchronous_commit', reset_val, false), pg_sleep(0.01) from pg_settings where name = 'synchronous_commit'`,
      );
    }
  });
});
