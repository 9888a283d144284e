import { expect, test } from "@playwright/test";
import { ACME_ADMIN, expectAccessible, logIn, unique } from "./helpers";
import { e2eDatabase } from "./mail";

const tag = unique();
const first = `Q4 outreach ${tag} waits for your approval`;
const second = `Webinar follow-up ${tag} waits for your approval`;
const third = `Trade fair leads ${tag} waits for your approval`;

/** Two notifications for Acme's admin from its rep, as submitting a campaign writes them. */
test.beforeAll(async ({}, info) => {
  const sql = e2eDatabase(info);
  await sql`
    insert into public.notifications (workspace_id, user_id, actor_id, kind, title, body, link)
    select w.id, admin.id, rep.id, 'campaign_submitted', t.title, 'Bruno Sánchez submitted it for approval.', '/settings/notifications'
    from public.workspaces w, auth.users admin, auth.users rep, (values (${first}), (${second}), (${third})) as t(title)
    where w.slug = 'acme-outbound' and admin.email = 'admin@acme.test' and rep.email = 'rep@acme.test'`;
  await sql.end();
});
test.afterAll(async ({}, info) => {
  const sql = e2eDatabase(info);
  await sql`delete from public.notifications where title in (${first}, ${second}, ${third})`;
  await sql`delete from public.notification_settings ns using auth.users u where u.id = ns.user_id and u.email = 'admin@acme.test'`;
  await sql.end();
});

test("the bell lists a member's notifications; one is marked read, one opened, then the rest all read; emails can be turned off", async ({
  page,
}) => {
  test.setTimeout(240_000);
  await logIn(page, ACME_ADMIN);
  const bell = page.getByRole("button", { name: /^Notifications, \d+ unread$/ });
  await expect(bell).toBeVisible();
  await bell.click();
  const panel = page.getByRole("dialog", { name: "Notifications" });
  const firstItem = panel.getByRole("listitem").filter({ hasText: first });
  const secondItem = panel.getByRole("listitem").filter({ hasText: second });
  await expect(firstItem).toContainText("Bruno Sánchez submitted it for approval.");
  await expect(firstItem.getByRole("link", { name: `${first} (unread)` })).toBeVisible();
  await expectAccessible(page);

  // From the keyboard: the focus moves from the button, which goes, to the item's link.
  await firstItem.getByRole("button", { name: "Mark read" }).focus();
  await page.keyboard.press("Enter");
  await expect(firstItem.getByRole("link", { name: first, exact: true })).toBeVisible();
  await expect(firstItem.getByRole("button", { name: "Mark read" })).toHaveCount(0);
  await expect(firstItem.getByRole("link")).toBeFocused();

  // Opening one follows its link and marks it read.
  await secondItem.getByRole("link").click();
  await expect(page).toHaveURL(/\/settings\/notifications$/, { timeout: 120_000 });
  await page.getByRole("button", { name: /^Notifications/ }).click();
  await expect(panel.getByRole("link", { name: second, exact: true })).toBeVisible();

  await expect(panel.getByRole("link", { name: `${third} (unread)` })).toBeVisible();
  await panel.getByRole("button", { name: "Mark all read" }).click();
  await expect(panel.getByRole("link", { name: third, exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Notifications", exact: true })).toBeVisible();
  await expect(panel.getByRole("button", { name: "Mark all read" })).toBeDisabled();
  await expect(panel.getByRole("button", { name: "Mark all read" })).toBeFocused();
  await page.keyboard.press("Escape");

  const emails = page.getByRole("switch", { name: "Email me notifications" });
  await expect(emails).toHaveAttribute("aria-checked", "true");
  await expectAccessible(page);
  // From the keyboard: the switch keeps the focus while it saves and after.
  await emails.focus();
  await page.keyboard.press("Space");
  await expect(page.getByText("Notifications will no longer be emailed.")).toBeVisible();
  await expect(emails).toHaveAttribute("aria-checked", "false");
  await expect(emails).toBeFocused();
  await page.reload();
  await expect(page.getByRole("switch", { name: "Email me notifications" })).toHaveAttribute("aria-checked", "false");
});
