import { randomUUID } from "node:crypto";
import type { Sql } from "postgres";
import { nextCronTick } from "./cron";
import type { Registry } from "./registry";
import { insertEvents } from "./store";

const DAY = 86_400_000;

/**
 * Fires cron-triggered functions: when a tick comes due, an `inngest/scheduled.timer` event
 * for that function only, keyed by function, schedule and tick, so however many executors
 * run, each tick starts one run. Missed ticks are not made up for (as with Inngest).
 */
export class CronTicks {
  private readonly next = new Map<string, number>();

  constructor(private readonly registry: Registry) {}

  start(now: number): void {
    for (const { fn, schedule } of this.registry.crons) this.next.set(`${fn.id} ${schedule.source}`, nextCronTick(schedule, now));
  }

  /** The earliest upcoming tick, for the executor's timer. */
  nextAt(): number {
    return Math.min(Infinity, ...this.next.values());
  }

  /** Enqueues the ticks that came due; true if any did. */
  async fire(sql: Sql, now: number): Promise<boolean> {
    let fired = false;
    for (const { fn, schedule } of this.registry.crons) {
      const key = `${fn.id} ${schedule.source}`;
      let tick = this.next.get(key) ?? Infinity;
      if (tick > now) continue;
      const recent = nextCronTick(schedule, now - 2 * DAY);
      if (recent <= now && recent > tick) tick = recent;
      for (let next = nextCronTick(schedule, tick); next <= now; next = nextCronTick(schedule, tick)) tick = next;
      await insertEvents(sql, [
        {
          id: randomUUID(),
          name: "inngest/scheduled.timer",
          data: { cron: schedule.source },
          workspaceId: null,
          idempotencyKey: `cron:${fn.id}:${schedule.source}:${new Date(tick).toISOString()}`,
          ts: new Date(tick),
          targetFunctionId: fn.id,
        },
      ]);
      this.next.set(key, nextCronTick(schedule, now));
      fired = true;
    }
    return fired;
  }
}
