import { expect, test } from "@playwright/test";
import { startFakeInstantly, type FakeInstantly } from "../lib/integrations/instantly/testing/fake-instantly";
import { fakeInstantlyPort } from "../tests/e2e-servers";
import { ACME_ADMIN, disconnectIfConnected, expectAccessible, logIn, unique } from "./helpers";
import { e2eDatabase } from "./mail";

// The same key as e2e/instantly-settings.spec.ts, which expects Acme's Instantly not connected: this spec disconnects what it connected.
const KEY = "e2e-instantly-Key_4Rt9";
const REP = "rep@acme.test";
let fake: FakeInstantly;

// next dev compiles the campaign page, the settings page and their actions on first use.
test.describe.configure({ timeout: 480_000 });

test.beforeAll(async () => {
  fake = await startFakeInstantly({ keys: { [KEY]: ["all:all"] }, port: fakeInstantlyPort(Number(process.env.E2E_PORT ?? 3100)) });
});
test.afterAll(async () => {
  await fake?.close();
});

/** An approved one-step campaign of Acme's rep for two of Acme's leads, as the approval leaves it. */
async function approvedCampaign(sql: ReturnType<typeof e2eDatabase>, name: string): Promise<string> {
  const [ws] = await sql<{ id: string; admin: string; rep: string }[]>`
    select w.id,
      (select m.user_id from workspace_members m join auth.users u on u.id = m.user_id where m.workspace_id = w.id and u.email = ${ACME_ADMIN}) as admin,
      (select m.user_id from workspace_members m join auth.users u on u.id = m.user_id where m.workspace_id = w.id and u.email = ${REP}) as rep
    from workspaces w where exists (
      select 1 from workspace_members m join auth.users u on u.id = m.user_id where m.workspace_id = w.id and u.email = ${ACME_ADMIN})
    limit 1`;
  const leads = await sql<{ id: string }[]>`
    select id from leads where workspace_id = ${ws!.id} and email is not null and deleted_at is null and status not in ('unsubscribed', 'bounced', 'replied')
      and email_status is distinct from 'invalid'
      and not exists (select 1 from campaign_enrollments e where e.lead_id = leads.id and e.status = 'active')
      and not exists (select 1 from suppressions s where s.workspace_id = leads.workspace_id and s.kind = 'email' and s.value = lower(leads.email))
    order by id desc limit 2`;
  const [identity] = await sql<{ id: string; from_email: string }[]>`
    select id, from_email from sending_identities where workspace_id = ${ws!.id} and archived_at is null order by from_email limit 1`;
  const audience = { kind: "ids", ids: leads.map((l) => l.id) };
  // Its mailbox is a sending account of the Instantly workspace (the push checks).
  fake.data.accounts.push({ email: identity!.from_email, status: 1 });
  return sql.begin(async (tx) => {
    const [campaign] = await tx<{ id: string }[]>`
      insert into campaigns (workspace_id, owner_id, name, audience) values (${ws!.id}, ${ws!.rep}, ${name}, ${tx.json(audience)}) returning id`;
    const [step] = await tx<{ id: string }[]>`
      insert into campaign_steps (workspace_id, campaign_id, position) values (${ws!.id}, ${campaign!.id}, 1) returning id`;
    await tx`insert into campaign_step_variants (workspace_id, campaign_id, step_id, label, subject, body)
      values (${ws!.id}, ${campaign!.id}, ${step!.id}, 'A', 'Hello {{ first_name | default: "there" }}', 'A short note.')`;
    await tx`insert into campaign_identities (workspace_id, campaign_id, identity_id) values (${ws!.id}, ${campaign!.id}, ${identity!.id})`;
    await tx`update campaigns set status = 'pending_approval', submitted_at = now(), submitted_by = ${ws!.rep} where id = ${campaign!.id}`;
    await tx`update campaigns set status = 'approved', approved_content_hash = private.campaign_content_hash(${campaign!.id}),
      approved_by = ${ws!.admin}, approved_at = now() where id = ${campaign!.id}`;
    return campaign!.id;
  });
}

test("an admin chooses to deliver an approved campaign through Instantly at launch; the push runs and the campaign page says where it is", async ({
  page,
}, testInfo) => {
  const sql = e2eDatabase(testInfo);
  try {
    const name = `Through Instantly ${unique()}`;
    const campaignId = await approvedCampaign(sql, name);
    await logIn(page, ACME_ADMIN);

    // Connect Instantly with its key unless another spec did already (the demo's sandbox is disconnected first).
    await page.goto("/settings/integrations", { timeout: 180_000 });
    const seeded = page.getByRole("region", { name: "Instantly" }).getByText("Sandbox: sample data");
    if (await seeded.isVisible()) await disconnectIfConnected(page, "Instantly");
    await page.goto("/settings/integrations", { timeout: 180_000 });
    const instantly = page.getByRole("region", { name: "Instantly" });
    const connectedHere = await instantly.getByText("Not connected").isVisible();
    if (connectedHere) {
      // Not connected: the launch offers Instantly, disabled, saying how to enable it.
      await page.goto(`/campaigns/${campaignId}`, { timeout: 180_000 });
      await page.getByTestId("campaign-lifecycle").getByRole("button", { name: "Launch" }).click();
      const dialog = page.getByRole("alertdialog", { name: `Launch “${name}”?` });
      await expect(dialog.getByRole("radio", { name: "Send through Instantly" })).toBeDisabled();
      await expect(dialog).toContainText("Connect Instantly with an API key in Settings → Integrations to choose it.");
      await dialog.getByRole("button", { name: "Cancel" }).click();
      await page.goto("/settings/integrations");
      const connect = page.getByRole("form", { name: "Connect Instantly" });
      await connect.getByLabel("Instantly API key").fill(KEY);
      await connect.getByRole("button", { name: "Connect" }).click();
      await expect(instantly.getByText("Connected", { exact: true })).toBeVisible({ timeout: 60_000 });
    }

    await page.goto(`/campaigns/${campaignId}`, { timeout: 180_000 });
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible({ timeout: 120_000 });
    await page.getByTestId("campaign-lifecycle").getByRole("button", { name: "Launch" }).click();
    const dialog = page.getByRole("alertdialog", { name: `Launch “${name}”?` });
    await expect(dialog.getByRole("radio", { name: "Send from this app (Resend)" })).toBeChecked();
    await dialog.getByRole("radio", { name: "Send through Instantly" }).check();
    await expectAccessible(page);
    await dialog.getByRole("button", { name: "Launch through Instantly" }).click();
    await expect(page.getByText(`“${name}” is being sent to Instantly.`)).toBeVisible({ timeout: 60_000 });

    // The app's executor pushes it to the fake Instantly: created as a draft, its two leads added, activated.
    const panel = page.getByTestId("instantly-delivery");
    await expect
      .poll(
        async () => {
          await page.reload();
          return panel.getByRole("status").textContent();
        },
        { timeout: 120_000, intervals: [2_000] },
      )
      .toBe("Sending in Instantly");
    const created = fake.data.campaigns.find((c) => String(c.name).startsWith(name))!;
    expect(created).toMatchObject({ status: 1 });
    expect(fake.data.leads.filter((l) => l.campaign === created.id)).toHaveLength(2);
    await expect(panel).toContainText("Leads added2");
    await expectAccessible(page);
    // Ours sends nothing itself: its two leads are enrolled here with Instantly's id for each (the
    // sync follows them there), and no email of ours was made.
    const enrolled = await sql<{ status: string; instantly_lead_id: string | null }[]>`
      select status, instantly_lead_id from campaign_enrollments where campaign_id = ${campaignId}`;
    expect(enrolled.map((e) => e.status)).toEqual(["active", "active"]);
    expect(new Set(enrolled.map((e) => e.instantly_lead_id))).toEqual(
      new Set(fake.data.leads.filter((l) => l.campaign === created.id).map((l) => l.id)),
    );
    const [messages] = await sql<{ n: number }[]>`select count(*)::int as n from email_messages where campaign_id = ${campaignId}`;
    expect(messages!.n).toBe(0);

    // Leave Acme as the other specs expect it: Instantly as this spec found it.
    if (connectedHere) {
      await page.goto("/settings/integrations");
      await instantly.getByRole("button", { name: "Disconnect" }).click();
      await page.getByRole("alertdialog").getByRole("button", { name: "Disconnect" }).click();
      await expect(instantly.getByText("Not connected")).toBeVisible();
    }
  } finally {
    await sql.end();
  }
});
