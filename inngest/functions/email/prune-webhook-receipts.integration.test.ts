import { randomUUID } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { sql } from "drizzle-orm";
import type { EventPayload } from "inngest";
import { describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { pruneWebhookReceiptsFunction } from "./prune-webhook-receipts";

const DAY = 86_400_000;

/** A receipt as the webhook route stores it, received `daysAgo` days ago, processed or not. */
async function receipt(daysAgo: number, processed: boolean): Promise<string> {
  const at = new Date(Date.now() - daysAgo * DAY).toISOString();
  const [row] = await serviceDb().execute<{ delivery_id: string }>(sql`
    insert into private.webhook_receipts (provider, delivery_id, event_type, payload, received_at, processed_at, outcome)
    values ('resend', ${`msg_${randomUUID()}`}, 'email.delivered', '{"type":"email.delivered"}'::jsonb, ${at}::timestamptz,
            ${processed ? at : null}::timestamptz, ${processed ? "delivery recorded" : null})
    returning delivery_id`);
  return row!.delivery_id;
}

async function remaining(deliveryIds: string[]): Promise<string[]> {
  const rows = await serviceDb().execute<{ delivery_id: string }>(
    sql`select delivery_id from private.webhook_receipts where delivery_id in ${deliveryIds}`,
  );
  return rows.map((r) => r.delivery_id).sort();
}

const run = (ts: number) =>
  new InngestTestEngine({
    function: pruneWebhookReceiptsFunction,
    events: [{ name: "inngest/scheduled.timer", data: { cron: "30 3 * * *" }, ts } as EventPayload],
  }).execute();

describe("prune-webhook-receipts (@inngest/test)", () => {
  it("deletes processed deliveries past the month's retention; keeps recent ones and any never processed", async () => {
    const oldProcessed = await receipt(31, true);
    const oldUnprocessed = await receipt(31, false);
    const recentProcessed = await receipt(29, true);
    const { result } = (await run(Date.now())) as { result: { receipts: number } };
    expect(result.receipts).toBeGreaterThanOrEqual(1);
    expect(await remaining([oldProcessed, oldUnprocessed, recentProcessed])).toEqual([oldUnprocessed, recentProcessed].sort());
  });

  it("takes its cutoff from the server clock, not from the event's timestamp", async () => {
    const dayOld = await receipt(1, true);
    // An event that claims to come from ten years ahead, as a forged call would.
    await run(Date.now() + 3650 * DAY);
    expect(await remaining([dayOld])).toEqual([dayOld]);
  });
});
