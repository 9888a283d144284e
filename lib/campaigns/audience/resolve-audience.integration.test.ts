import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import type { StoredAudience } from "@/lib/campaigns/types";
import { DEFAULT_LEAD_LIST_STATE, leadListSearchParams } from "@/lib/leads/list-state";
import { insertTestLead } from "@/tests/fixtures/leads";
import { asUser, createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { audienceCountsQuery, resolveAudience, sampleEligibleLeadIds } from "./resolve-audience";

/**
 * Audience resolution on a fixture with a lead for every exclusion reason, leads that match
 * several (counted once, under the first), leads that look excluded but are not, and leads the
 * rule does not select at all.
 */

let fx: TenancyFixture;
const db = () => serviceDb();
const tag = `aud-${randomSuffix()}`;
const filter: StoredAudience = { kind: "filter", query: `tags=${tag}` };
let thisCampaign: string;
let runningCampaign: string;
const eligibleIds: string[] = [];
const ids: Record<string, string> = {};

/** A campaign of workspace A taken to `status` on the service connection, as the jobs would. */
async function campaignIn(status: "draft" | "approved" | "running" | "paused" | "completed"): Promise<string> {
  const ws = fx.a.id;
  const admin = fx.a.members.admin.id;
  const [c] = await db().execute<{ id: string }>(sql`
    insert into public.campaigns (workspace_id, name, owner_id) values (${ws}, ${`Campaign ${status}`}, ${admin}) returning id`);
  const id = c!.id;
  const path = {
    draft: [],
    approved: ["approved"],
    running: ["approved", "running"],
    paused: ["approved", "running", "paused"],
    completed: ["approved", "running", "completed"],
  }[status];
  if (path.length) await db().execute(sql`update public.campaigns set status = 'pending_approval' where id = ${id}`);
  for (const next of path) {
    await db().execute(sql`update public.campaigns set status = ${next}::public.campaign_status,
      approved_content_hash = private.campaign_content_hash(id), approved_by = ${admin}, approved_at = now() where id = ${id}`);
  }
  return id;
}

async function enroll(campaignId: string, leadId: string, status: "active" | "completed" | "stopped" = "active") {
  await db().execute(sql`insert into public.campaign_enrollments (workspace_id, campaign_id, lead_id, status)
    values (${fx.a.id}, ${campaignId}, ${leadId}, ${status}::public.campaign_enrollment_status)`);
}

async function suppress(kind: "email" | "domain", value: string, reason: "manual" | "unsubscribe" | "bounce" | "complaint" = "manual") {
  await db().execute(sql`insert into public.suppressions (workspace_id, kind, value, reason)
    values (${fx.a.id}, ${kind}::public.suppression_kind, ${value}, ${reason}::public.suppression_reason)`);
}

const email = (name: string, domain = "example.test") => `${name}-${tag}@${domain}`;

beforeAll(async () => {
  fx = await createTenancyFixture(db());
  const ws = fx.a;
  const lead = async (key: string, values: Parameters<typeof insertTestLead>[1]) => {
    ids[key] = await insertTestLead(ws, { tags: [tag], ...values });
    return ids[key]!;
  };
  thisCampaign = await campaignIn("draft");
  const running = await campaignIn("running");
  runningCampaign = running;
  const paused = await campaignIn("paused");
  const approved = await campaignIn("approved");
  const completed = await campaignIn("completed");

  // Eligible: an ordinary lead, a risky and an unknown address, one enrolled only in this very
  // campaign, one whose enrollment elsewhere is finished, and ones active only in campaigns
  // that are not sending (approved but not launched, completed).
  for (const key of ["plain", "risky", "unknown"]) {
    eligibleIds.push(await lead(key, { email: email(key), emailStatus: key === "plain" ? "valid" : (key as "risky" | "unknown") }));
  }
  eligibleIds.push(await lead("enrolledHere", { email: email("here") }));
  await enroll(thisCampaign, ids.enrolledHere!);
  eligibleIds.push(await lead("finishedElsewhere", { email: email("finished") }));
  await enroll(running, ids.finishedElsewhere!, "completed");
  eligibleIds.push(await lead("inApproved", { email: email("approved") }));
  await enroll(approved, ids.inApproved!);
  eligibleIds.push(await lead("inCompleted", { email: email("completed") }));
  await enroll(completed, ids.inCompleted!);
  // Suppressed elsewhere than this workspace: still eligible here.
  eligibleIds.push(await lead("suppressedInB", { email: email("globex") }));
  await db().execute(sql`insert into public.suppressions (workspace_id, kind, value) values (${fx.b.id}, 'email', ${email("globex")})`);

  // One reason each.
  await lead("noEmail", { email: null, linkedinUrl: `https://www.linkedin.com/in/${tag}` });
  await lead("invalid", { email: email("invalid"), emailStatus: "invalid" });
  await lead("unsubscribedStatus", { email: email("unsub"), status: "unsubscribed" });
  await lead("unsubscribedSuppression", { email: email("UnsubList") });
  await suppress("email", email("unsublist"), "unsubscribe");
  await lead("bouncedStatus", { email: email("bounced"), status: "bounced" });
  await lead("bouncedSuppression", { email: email("bouncelist") });
  await suppress("email", email("bouncelist"), "bounce");
  await lead("repliedStatus", { email: email("replied"), status: "replied" });
  await lead("suppressedEmail", { email: email("manual") });
  await suppress("email", email("manual"), "complaint");
  await lead("suppressedDomain", { email: email("anyone", `blocked-${tag}.test`) });
  await suppress("domain", `blocked-${tag}.test`);
  await lead("activeRunning", { email: email("running") });
  await enroll(running, ids.activeRunning!);
  await lead("activePaused", { email: email("paused") });
  await enroll(paused, ids.activePaused!);

  // Several reasons: counted once, under the first.
  await lead("invalidAndUnsubscribed", { email: email("inv-unsub"), emailStatus: "invalid", status: "unsubscribed" });
  await lead("bouncedAndSuppressedDomain", { email: email("b", `blocked-${tag}.test`), status: "bounced" });
  await lead("suppressedAndActive", { email: email("sup-active", `blocked-${tag}.test`) });
  await enroll(running, ids.suppressedAndActive!);
  await lead("unsubscribedAndActive", { email: email("unsub-active"), status: "unsubscribed" });
  await enroll(paused, ids.unsubscribedAndActive!);

  // Not selected: deleted, untagged, another workspace's lead with the tag.
  await lead("deleted", { email: email("deleted"), deletedAt: new Date() });
  await insertTestLead(ws, { email: email("untagged") });
  await insertTestLead(fx.b, { email: email("other-ws"), tags: [tag] });
});

afterAll(async () => {
  if (fx) await removeTenancyFixture(fx, db());
});

const expected = {
  matched: 23,
  eligible: 8,
  excluded: { no_email: 1, email_invalid: 2, unsubscribed: 3, bounced: 3, replied: 1, suppressed: 3, active_elsewhere: 2 },
};

describe("resolveAudience", () => {
  it("counts matched, eligible and each exclusion reason once, under the first that applies", async () => {
    const counts = await asUser(fx.a.members.sales_rep, (tx) =>
      resolveAudience(tx, { workspaceId: fx.a.id, userId: fx.a.members.sales_rep.id, audience: filter, campaignId: thisCampaign }),
    );
    expect(counts).toEqual(expected);
    const excludedTotal = Object.values(counts.excluded).reduce((a, b) => a + b, 0);
    expect(counts.eligible + excludedTotal).toBe(counts.matched);
  });

  it("does not count the campaign's own enrollments as active elsewhere", async () => {
    const scope = { workspaceId: fx.a.id, userId: fx.a.members.viewer.id, audience: filter };
    const [unnamed, asRunning] = await asUser(fx.a.members.viewer, async (tx) => [
      await resolveAudience(tx, scope),
      await resolveAudience(tx, { ...scope, campaignId: runningCampaign }),
    ]);
    expect(unnamed).toEqual(expected);
    // Checked as the running campaign itself: its active lead is eligible; the one also
    // suppressed stays suppressed.
    expect(asRunning).toEqual({ ...expected, eligible: 9, excluded: { ...expected.excluded, active_elsewhere: 1 } });
  });

  it("resolves a saved view's query and picked ids the same way", async () => {
    const view: StoredAudience = { kind: "view", viewId: crypto.randomUUID(), viewName: "Tagged", query: filter.query };
    const picked: StoredAudience = {
      kind: "ids",
      ids: [ids.plain!, ids.noEmail!, ids.activeRunning!, ids.deleted!, ids.suppressedAndActive!],
    };
    const [byView, byIds] = await asUser(fx.a.members.sales_rep, async (tx) => [
      await resolveAudience(tx, { workspaceId: fx.a.id, userId: fx.a.members.sales_rep.id, audience: view, campaignId: thisCampaign }),
      await resolveAudience(tx, { workspaceId: fx.a.id, userId: fx.a.members.sales_rep.id, audience: picked, campaignId: thisCampaign }),
    ]);
    expect(byView).toEqual(expected);
    expect(byIds).toEqual({
      matched: 4,
      eligible: 1,
      excluded: { no_email: 1, email_invalid: 0, unsubscribed: 0, bounced: 0, replied: 0, suppressed: 1, active_elsewhere: 1 },
    });
  });

  it("ignores a query's request for deleted leads and a member of another workspace sees nothing", async () => {
    const deletedQuery: StoredAudience = {
      kind: "filter",
      query: leadListSearchParams({ ...DEFAULT_LEAD_LIST_STATE, tags: [tag], deleted: true }).toString(),
    };
    const counts = await asUser(fx.a.members.sales_rep, (tx) =>
      resolveAudience(tx, { workspaceId: fx.a.id, userId: fx.a.members.sales_rep.id, audience: deletedQuery, campaignId: thisCampaign }),
    );
    expect(counts.matched).toBe(expected.matched);
    const outsider = await asUser(fx.b.members.admin, (tx) =>
      resolveAudience(tx, { workspaceId: fx.a.id, userId: fx.b.members.admin.id, audience: filter }),
    );
    expect(outsider.matched).toBe(0);
  });

  it("with no rule yet, everything is zero", async () => {
    const counts = await asUser(fx.a.members.sales_rep, (tx) =>
      resolveAudience(tx, { workspaceId: fx.a.id, userId: fx.a.members.sales_rep.id, audience: null }),
    );
    expect(counts).toEqual({
      matched: 0,
      eligible: 0,
      excluded: { no_email: 0, email_invalid: 0, unsubscribed: 0, bounced: 0, replied: 0, suppressed: 0, active_elsewhere: 0 },
    });
  });

  it("samples only eligible leads, at random, up to the size asked", async () => {
    const scope = { workspaceId: fx.a.id, userId: fx.a.members.sales_rep.id, audience: filter, campaignId: thisCampaign };
    const all = await asUser(fx.a.members.sales_rep, (tx) => sampleEligibleLeadIds(tx, { ...scope, size: 50 }));
    expect(new Set(all)).toEqual(new Set(eligibleIds));
    const three = await asUser(fx.a.members.sales_rep, (tx) => sampleEligibleLeadIds(tx, { ...scope, size: 3 }));
    expect(three).toHaveLength(3);
    for (const id of three) expect(eligibleIds).toContain(id);
  });

  it("reads suppressions and other campaigns' enrollments once each, not per lead", async () => {
    const plan = await asUser(fx.a.members.sales_rep, async (tx) => {
      const [row] = await tx.execute<{ "QUERY PLAN": unknown }>(
        sql`explain (format json) ${audienceCountsQuery({ workspaceId: fx.a.id, userId: fx.a.members.sales_rep.id, audience: filter, campaignId: thisCampaign })}`,
      );
      return JSON.stringify(row?.["QUERY PLAN"]);
    });
    // No subplan evaluated per audience lead (RLS's once-only InitPlans are fine).
    expect(plan).not.toContain('"Parent Relationship":"SubPlan"');
  });
});
