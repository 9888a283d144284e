import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { authUsers } from "drizzle-orm/supabase";
import { withUserTx, type Database, type JwtClaims } from "@/db";
import { campaigns, savedViews, sendingIdentities, workspaceMembers, workspaces } from "@/db/schema";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { sendEvent } from "@/lib/jobs/send-event";
import { approveCampaign } from "@/lib/campaigns/approval/approve-campaign";
import { launchCampaign } from "@/lib/campaigns/lifecycle/launch-campaign";
import { campaignContentHash } from "@/lib/campaigns/content-hash";
import { createCampaign } from "@/lib/campaigns/create-campaign";
import { getCampaign } from "@/lib/campaigns/get-campaign";
import { saveCampaignDraft } from "@/lib/campaigns/save-campaign-draft";
import type { AudienceChoice } from "@/lib/campaigns/schemas";
import { submitCampaign } from "@/lib/campaigns/submit-campaign";
import type { VariantDraft } from "@/lib/campaigns/types";
import { DEMO_IDENTITIES } from "./seed-identities";

type DemoStep = { delayDays: number; businessDays: boolean; variants: VariantDraft[] };

type DemoCampaign = {
  name: string;
  /** How far the demo takes it, each stage through the service a person would use. */
  stage: "draft" | "pending_approval" | "approved" | "running";
  audience: { view: string } | { filter: Record<string, string> };
  identities: string[];
  steps: DemoStep[];
};

const one = (subject: string, body: string): VariantDraft[] => [{ label: "A", weight: 100, subject, body }];

/** Acme's three demo campaigns, all the rep's: one running (approved, then launched), one waiting for approval, one draft. */
export const DEMO_CAMPAIGNS: DemoCampaign[] = [
  {
    name: "Spring intro — my open leads",
    stage: "running",
    audience: { view: "My open leads" },
    identities: ["bruno.sanchez@acme.test"],
    steps: [
      {
        delayDays: 0,
        businessDays: false,
        variants: [
          {
            label: "A",
            weight: 50,
            subject: 'Quick idea for {{ company | default: "your team" }}',
            body: 'Hi {{ first_name | default: "there" }},\n\nTeams like {{ company | default: "yours" }} use Acme to find the accounts worth calling this week (two minutes: https://acme.example/tour). Worth a 15-minute look?',
          },
          {
            label: "B",
            weight: 50,
            subject: '{{ first_name | default: "Hello" }}, a shorter pipeline review?',
            body: 'Hi {{ first_name | default: "there" }},\n\nWe cut pipeline reviews to ten minutes for teams your size: https://acme.example/pipeline-review. Happy to show you how.',
          },
        ],
      },
      {
        delayDays: 3,
        businessDays: true,
        variants: one(
          "Re: quick idea",
          'Hi {{ first_name | default: "there" }},\n\nFollowing up in case my note got buried. Is next Tuesday or Wednesday better?',
        ),
      },
    ],
  },
  {
    name: "Hot pipeline check-in",
    stage: "pending_approval",
    audience: { view: "Hot pipeline" },
    identities: ["bruno.sanchez@acme.test", "amelie.durand@acme.test"],
    steps: [
      {
        delayDays: 0,
        businessDays: false,
        variants: one(
          'Next step for {{ company | default: "your team" }}?',
          'Hi {{ first_name | default: "there" }},\n\nThanks for the interest so far. Shall we book the technical walkthrough for your {{ title | default: "team" }} colleagues?',
        ),
      },
      {
        delayDays: 2,
        businessDays: true,
        variants: one(
          "The case study I mentioned",
          'Hi {{ first_name | default: "there" }},\n\nHere is the case study: https://acme.example/customers',
        ),
      },
    ],
  },
  {
    name: "Software leads — new this quarter",
    stage: "draft",
    audience: { filter: { status: "new", industry: "Computer Software" } },
    identities: ["amelie.durand@acme.test"],
    steps: [{ delayDays: 0, businessDays: false, variants: one("Hello from Acme", 'Hi {{ first_name | default: "there" }},\n\n') }],
  },
];

export const DEMO_CAMPAIGN_PEOPLE = { workspaceSlug: "acme-outbound", author: "rep@acme.test", approver: "admin@acme.test" } as const;

type Member = { userId: string; role: WorkspaceRole; claims: JwtClaims };

/**
 * Creates the demo campaigns the way people do: the rep creates each draft from a saved view or
 * a filter and fills it in through the editor's autosave, submits it (pre-flight runs), and the
 * admin approves the ones meant to be approved after reading its content hash, as the review
 * screen does, and launches the one meant to run (its launch job enrolls the audience and the
 * sequences send once the app is up). Sends from the demo identities (seed-identities.ts). A campaign whose name is
 * taken is left alone, so a forced re-seed changes nothing; skipped when a person is gone.
 */
export async function seedDemoCampaigns(
  db: Database,
  people: { workspaceSlug: string; author: string; approver: string } = DEMO_CAMPAIGN_PEOPLE,
): Promise<Record<string, string>> {
  const [ws] = await db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.slug, people.workspaceSlug));
  if (!ws) return {};
  const author = await memberOf(db, ws.id, people.author);
  const approver = await memberOf(db, ws.id, people.approver);
  if (!author || !approver) return {};
  const identityIds = await identitiesOf(db, ws.id);
  const seeded: Record<string, string> = {};
  for (const demo of DEMO_CAMPAIGNS) {
    const [existing] = await db
      .select({ id: campaigns.id })
      .from(campaigns)
      .where(and(eq(campaigns.workspaceId, ws.id), eq(campaigns.name, demo.name)));
    if (existing) {
      seeded[demo.name] = existing.id;
      continue;
    }
    const audience = await audienceChoice(db, ws.id, author.userId, demo.audience);
    const identities = demo.identities.map((email) => identityIds.get(email)).filter((id): id is string => !!id);
    if (!audience || identities.length === 0) continue;
    const campaignId = await seedOne(ws.id, author, approver, demo, audience, identities);
    seeded[demo.name] = campaignId;
  }
  return seeded;
}

async function seedOne(
  workspaceId: string,
  author: Member,
  approver: Member,
  demo: DemoCampaign,
  audience: AudienceChoice,
  identityIds: string[],
): Promise<string> {
  const actor = { userId: author.userId, role: author.role };
  const campaignId = await withUserTx(author.claims, async (tx) => {
    const { id } = await createCampaign(tx, { workspaceId, actor, input: { name: demo.name, audience } });
    const { draft } = await getCampaign(tx, { workspaceId, campaignId: id });
    await saveCampaignDraft(tx, {
      workspaceId,
      actor,
      draft: {
        ...draft,
        identityIds,
        steps: demo.steps.map((step) => ({ id: randomUUID(), delayHours: 0, ...step })),
      },
    });
    return id;
  });
  if (demo.stage === "draft") return campaignId;
  await withUserTx(author.claims, (tx) => submitCampaign(tx, { workspaceId, actor, campaignId }));
  if (demo.stage === "approved" || demo.stage === "running") {
    await withUserTx(approver.claims, async (tx) => {
      const reviewedHash = (await campaignContentHash(tx, campaignId))!;
      await approveCampaign(tx, { userId: approver.userId, current: { workspaceId, role: approver.role } }, { campaignId, reviewedHash });
    });
  }
  if (demo.stage === "running") {
    await withUserTx(approver.claims, (tx) =>
      launchCampaign(tx, { userId: approver.userId, workspaceId, role: approver.role }, { campaignId }),
    );
  }
  return campaignId;
}

/**
 * Asks the demo job (inngest/functions/demo/play-demo-campaign.ts) to play the running demo
 * campaigns' first readers once their first emails are out. The fixed event id makes a forced
 * re-seed a no-op.
 */
export async function requestDemoCampaignActivity(db: Database, seeded: Record<string, string>): Promise<void> {
  const ids = DEMO_CAMPAIGNS.filter((c) => c.stage === "running" && seeded[c.name]).map((c) => seeded[c.name]!);
  if (ids.length === 0) return;
  const rows = await db
    .select({ id: campaigns.id, workspaceId: campaigns.workspaceId })
    .from(campaigns)
    .where(and(inArray(campaigns.id, ids), eq(campaigns.status, "running")));
  if (rows.length === 0) return;
  await sendEvent(
    rows.map((c) => ({
      name: "demo/campaign-activity.requested" as const,
      id: `seed-demo-activity-${c.id}`,
      data: { workspaceId: c.workspaceId, campaignId: c.id },
    })),
  );
}

async function memberOf(db: Database, workspaceId: string, email: string): Promise<Member | null> {
  const [row] = await db
    .select({ userId: authUsers.id, role: workspaceMembers.role })
    .from(workspaceMembers)
    .innerJoin(authUsers, eq(authUsers.id, workspaceMembers.userId))
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(authUsers.email, email)));
  return row ? { ...row, claims: { sub: row.userId, role: "authenticated", email } } : null;
}

async function identitiesOf(db: Database, workspaceId: string): Promise<Map<string, string>> {
  const emails = DEMO_IDENTITIES.map((d) => d.form.fromEmail);
  const rows = await db
    .select({ id: sendingIdentities.id, fromEmail: sendingIdentities.fromEmail })
    .from(sendingIdentities)
    .where(and(eq(sendingIdentities.workspaceId, workspaceId), inArray(sendingIdentities.fromEmail, emails)));
  return new Map(rows.map((r) => [r.fromEmail, r.id]));
}

/** A saved view the author may use (theirs or shared), or a filter; null when the view is gone. */
async function audienceChoice(
  db: Database,
  workspaceId: string,
  authorId: string,
  audience: DemoCampaign["audience"],
): Promise<AudienceChoice | null> {
  if ("filter" in audience) return { kind: "filter", query: new URLSearchParams(audience.filter).toString() };
  const views = await db
    .select({ id: savedViews.id, ownerId: savedViews.ownerId, shared: savedViews.shared })
    .from(savedViews)
    .where(and(eq(savedViews.workspaceId, workspaceId), eq(savedViews.tableName, "leads"), eq(savedViews.name, audience.view)));
  const view = views.find((v) => v.ownerId === authorId) ?? views.find((v) => v.shared);
  return view ? { kind: "view", viewId: view.id } : null;
}
