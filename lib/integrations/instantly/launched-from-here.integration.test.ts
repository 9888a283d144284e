import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { insertTestLead } from "@/tests/fixtures/leads";
import { createTestCampaign } from "@/tests/fixtures/submitted-campaign";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { launchedFromHere } from "./synced-campaigns";

let fx: TenancyFixture;
const db = serviceDb();
const INSTANTLY_ID = "0199a3c4-instantly-campaign-joined";

beforeAll(async () => {
  fx = await createTenancyFixture();
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
});

describe("an Instantly campaign launched from here", () => {
  it("names our campaign, what the push sent, and what came back to our leads of it", async () => {
    const { campaignId } = await createTestCampaign(fx.a.id, fx.a.members.admin, { name: "Cafés à Lyon, printemps" });
    const [account] = await db.execute<{ id: string }>(sql`
      insert into integration_accounts (workspace_id, vendor, secret_ciphertext, secret_key_id, key_last4, status)
      values (${fx.a.id}, 'instantly', ${Buffer.alloc(40, 1).toString("base64")}, 'k1', 'wxyz', 'connected') returning id`);
    await db.execute(sql`
      insert into instantly_campaign_pushes (workspace_id, campaign_id, account_id, content_hash, instantly_campaign_id, status,
        leads_uploaded, leads_skipped, leads_blocked, leads_done, activated_at)
      values (${fx.a.id}, ${campaignId}, ${account!.id}, 'hash', ${INSTANTLY_ID}, 'active', 4, 1, 1, true, now())`);
    const statuses = ["replied", "bounced", "unsubscribed", "contacted"] as const;
    for (const [i, status] of statuses.entries()) {
      const email = `zoe.${i}@cafe-lyon.example`;
      await insertTestLead(fx.a, { email, status });
      await db.execute(sql`insert into instantly_leads (workspace_id, instantly_id, email, raw)
        values (${fx.a.id}, ${`lead-${i}`}, ${email}, ${JSON.stringify({ id: `lead-${i}`, email, campaign: INSTANTLY_ID })}::jsonb)`);
    }
    // A lead of another Instantly campaign is not counted.
    await insertTestLead(fx.a, { email: "other@cafe-lyon.example", status: "replied" });
    await db.execute(sql`insert into instantly_leads (workspace_id, instantly_id, email, raw)
      values (${fx.a.id}, 'lead-other', 'other@cafe-lyon.example', '{"id":"lead-other","campaign":"another"}'::jsonb)`);

    const joined = await asUser(fx.a.members.viewer, (tx) => launchedFromHere(tx, { workspaceId: fx.a.id, instantlyId: INSTANTLY_ID }));
    expect(joined).toMatchObject({
      campaignId,
      campaignName: "Cafés à Lyon, printemps",
      pushStatus: "active",
      leadsUploaded: 4,
      leadsSkipped: 1,
      leadsBlocked: 1,
      linkedLeads: 4,
      replied: 1,
      bounced: 1,
      unsubscribed: 1,
    });
    // Created in Instantly itself: nothing to join. Another workspace: nothing at all.
    expect(await asUser(fx.a.members.viewer, (tx) => launchedFromHere(tx, { workspaceId: fx.a.id, instantlyId: "another" }))).toBeNull();
    expect(await asUser(fx.b.members.admin, (tx) => launchedFromHere(tx, { workspaceId: fx.a.id, instantlyId: INSTANTLY_ID }))).toBeNull();
  });
});
