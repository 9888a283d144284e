import { randomUUID } from "node:crypto";
import type postgres from "postgres";
import { withUserTx, type JwtClaims } from "@/db";
import { approveCampaign } from "@/lib/campaigns/approval/approve-campaign";
import { campaignContentHash } from "@/lib/campaigns/content-hash";
import { createCampaign } from "@/lib/campaigns/create-campaign";
import { getCampaign } from "@/lib/campaigns/get-campaign";
import { launchCampaign } from "@/lib/campaigns/lifecycle/launch-campaign";
import { saveCampaignDraft } from "@/lib/campaigns/save-campaign-draft";
import { submitCampaign } from "@/lib/campaigns/submit-campaign";
import { createBenchWorkspace } from "./bench-leads-data";

/**
 * The data of `npm run bench:campaign`: one workspace, ten mailboxes that may send at any hour
 * of any day up to the highest daily cap, `leads` eligible leads (every one with a valid
 * address, none suppressed), and a two-step campaign for all of them, created, submitted and
 * approved through the services a person uses. The rows the services do not own (workspace,
 * people, mailboxes, leads) are written directly, as the other benches do.
 */

export type BenchCampaign = {
  workspaceId: string;
  campaignId: string;
  identityIds: string[];
  admin: { userId: string; claims: JwtClaims };
};

export async function createBenchCampaign(sql: postgres.Sql, o: { leads: number; step2DelayHours: number }): Promise<BenchCampaign> {
  const ws = await createBenchWorkspace(sql, "Bench campaign", "bench-campaign", 1);
  const people = await sql<{ id: string; email: string; role: string }[]>`
    select u.id, u.email, m.role::text as role from workspace_members m join auth.users u on u.id = m.user_id
    where m.workspace_id = ${ws.id}`;
  const admin = people.find((p) => p.role === "admin")!;
  const rep = people.find((p) => p.role === "sales_rep")!;
  const claims = (p: { id: string; email: string }): JwtClaims => ({
    sub: p.id,
    role: "authenticated",
    email: p.email,
    aud: "authenticated",
  });

  const identities = await sql<{ id: string }[]>`
    insert into sending_identities (workspace_id, from_name, from_email, daily_cap, send_days, send_from_minute, send_until_minute,
      time_zone, postal_address, signature)
    select ${ws.id}, 'Mailbox ' || g, 'mailbox' || g || '@bench-campaign.test', 10000, '{1,2,3,4,5,6,7}', 0, 1440, 'UTC',
      'Bench Ltd, 1 Example Street, London', 'The bench'
    from generate_series(1, 10) g
    returning id`;
  await sql`
    insert into leads (workspace_id, first_name, last_name, email, email_status, company_name, owner_id, status, source)
    select ${ws.id}, 'Lead', 'Number ' || g, 'lead' || g || '@bench-recipient.test', 'valid', 'Company ' || (g % 500), ${rep.id}, 'new', 'manual'
    from generate_series(1, ${o.leads}) g`;

  const actor = { userId: rep.id, role: "sales_rep" as const };
  const campaignId = await withUserTx(claims(rep), async (tx) => {
    const { id } = await createCampaign(tx, {
      workspaceId: ws.id,
      actor,
      input: { name: "Bench campaign", audience: { kind: "filter", query: "status=new" } },
    });
    const { draft } = await getCampaign(tx, { workspaceId: ws.id, campaignId: id });
    await saveCampaignDraft(tx, {
      workspaceId: ws.id,
      actor,
      draft: {
        ...draft,
        identityIds: identities.map((i) => i.id),
        steps: [
          {
            id: randomUUID(),
            delayDays: 0,
            delayHours: 0,
            businessDays: false,
            variants: [
              {
                label: "A",
                weight: 50,
                subject: 'Quick idea for {{ company | default: "your team" }}',
                body: 'Hi {{ first_name | default: "there" }},\n\nTeams like {{ company | default: "yours" }} use Acme to find the accounts worth calling this week. Worth a 15-minute look?',
              },
              {
                label: "B",
                weight: 50,
                subject: '{{ first_name | default: "Hello" }}, a shorter pipeline review?',
                body: 'Hi {{ first_name | default: "there" }},\n\nWe cut pipeline reviews to ten minutes for teams your size. Happy to show you how.',
              },
            ],
          },
          {
            id: randomUUID(),
            delayDays: 0,
            delayHours: o.step2DelayHours,
            businessDays: false,
            variants: [
              {
                label: "A",
                weight: 100,
                subject: "Re: quick idea",
                body: 'Hi {{ first_name | default: "there" }},\n\nFollowing up in case my note got buried. Is next Tuesday or Wednesday better?',
              },
            ],
          },
        ],
      },
    });
    return id;
  });
  await withUserTx(claims(rep), (tx) => submitCampaign(tx, { workspaceId: ws.id, actor, campaignId }));
  await withUserTx(claims(admin), async (tx) => {
    const reviewedHash = (await campaignContentHash(tx, campaignId))!;
    await approveCampaign(tx, { userId: admin.id, current: { workspaceId: ws.id, role: "admin" } }, { campaignId, reviewedHash });
  });
  return { workspaceId: ws.id, campaignId, identityIds: identities.map((i) => i.id), admin: { userId: admin.id, claims: claims(admin) } };
}

/** Launches the campaign as its admin does (the Launch button's service); the launch job starts after the commit. */
export async function launchBenchCampaign(c: BenchCampaign): Promise<void> {
  await withUserTx(c.admin.claims, (tx) =>
    launchCampaign(tx, { userId: c.admin.userId, workspaceId: c.workspaceId, role: "admin" }, { campaignId: c.campaignId }),
  );
}
