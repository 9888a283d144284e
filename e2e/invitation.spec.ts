import { expect, test } from "@playwright/test";
import { ACME_ADMIN, expectAccessible, logIn, mainNav, unique, HOME_URL } from "./helpers";
import { e2eDatabase, linkFromMailCatcher } from "./mail";

test("an admin invites a sales rep, who joins from the emailed link and sees a rep's navigation", async ({ page, browser }) => {
  // Often the first spec of a dev run: it compiles every page it visits, slow on a busy machine.
  test.setTimeout(180_000);
  // A long address, as real ones can be: the sidebar cuts it short, the user menu shows it whole.
  const repEmail = `ines.lefevre-oby.${unique()}@acme-outbound-partners.test`;

  await logIn(page, ACME_ADMIN);
  await mainNav(page).getByRole("link", { name: "Settings" }).click();
  await page.getByRole("link", { name: "Team" }).click();
  await page.getByLabel("Email").fill(repEmail);
  await page.getByLabel("Role", { exact: true }).selectOption("sales_rep");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText(`Invitation sent to ${repEmail}.`)).toBeVisible();
  await expect(page.getByTestId(`invitation-${repEmail}`)).toBeVisible();
  await expectAccessible(page);

  // Development: the invitee's email is in the mail catcher (never in the workspace's Outbox).
  const repContext = await browser.newContext();
  const rep = await repContext.newPage();
  const link = await linkFromMailCatcher(rep, repEmail, "/invite/");
  await expectAccessible(rep); // the mail catcher, with the invitation open
  await rep.goto(link);
  await expect(rep.getByRole("heading", { name: "Join Acme Outbound" })).toBeVisible();
  await rep.getByLabel("Your name").fill("Inès Lefèvre-Øby");
  await rep.getByLabel("Choose a password").fill("short");
  await rep.getByRole("button", { name: "Create account and join" }).click();
  await expect(rep.getByText("Use at least 8 characters.")).toBeVisible();
  await expectAccessible(rep);
  await rep.getByLabel("Choose a password").fill("rep-password-123");
  await rep.getByRole("button", { name: "Create account and join" }).click();
  await expect(rep).toHaveURL(HOME_URL);
  await expect(rep.getByTestId("current-workspace")).toHaveText("Acme Outbound");
  const nav = mainNav(rep);
  for (const item of ["Leads", "Imports", "Campaigns", "Analytics", "Settings"])
    await expect(nav.getByRole("link", { name: item })).toBeVisible();
  for (const item of ["Approvals", "Jobs"]) await expect(nav.getByRole("link", { name: item })).toHaveCount(0);
  await rep.setViewportSize({ width: 1366, height: 768 });
  const userMenu = rep.getByRole("button", { name: "User menu" });
  await expect(userMenu.getByTitle(repEmail)).toBeVisible();
  await userMenu.click();
  await expect(rep.getByRole("menu").getByText(repEmail, { exact: true })).toBeVisible();
  expect(await rep.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
  // Audited closed: an open Radix menu hides the page from assistive tech, as a modal menu should.
  await rep.keyboard.press("Escape");
  await expect(rep.getByRole("menu")).toHaveCount(0);
  await expectAccessible(rep);

  // The link works once.
  await rep.goto(link);
  await expect(rep.getByText("already been used")).toBeVisible();

  // The admin now sees the rep as a member with the invited role.
  await page.goto("/settings/team");
  await expect(page.getByRole("combobox", { name: `Role of ${repEmail}` })).toHaveValue("sales_rep");
  await repContext.close();
});

test("an expired invitation is marked so on the Team page, and Send again replaces it with a new link", async ({ page }, info) => {
  const email = `lapsed-${unique()}@acme-outbound-partners.test`;
  await logIn(page, ACME_ADMIN);
  await page.goto("/settings/team");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Send invitation" }).click();
  const row = page.getByTestId(`invitation-${email}`);
  await expect(row).toContainText("expires");

  // Its seven days pass.
  const sql = e2eDatabase(info);
  try {
    await sql`update public.invitations set expires_at = now() - interval '1 day' where email = ${email} and accepted_at is null and revoked_at is null`;
  } finally {
    await sql.end();
  }
  await page.reload();
  await expect(row.getByText("Expired", { exact: true })).toBeVisible();
  await expectAccessible(page);
  await row.getByRole("button", { name: "Send again" }).click();
  await expect(page.getByText(`Invitation sent to ${email} again.`)).toBeVisible();
  await expect(row.getByText("Expired", { exact: true })).toHaveCount(0);
  await expect(row).toContainText("expires");
});

test("the Team page's role picker follows a role another admin changed, once the page shows it", async ({ page }, info) => {
  await logIn(page, ACME_ADMIN);
  await page.goto("/settings/team");
  const viewer = page.getByRole("combobox", { name: "Role of viewer@acme.test" });
  await expect(viewer).toHaveValue("viewer");

  // Another admin makes the viewer an analyst; this page learns of it with its next refresh (here, an invitation sent).
  const sql = e2eDatabase(info);
  try {
    await sql`update public.workspace_members set role = 'analyst'
      where user_id = (select id from auth.users where email = 'viewer@acme.test')
        and workspace_id = (select id from public.workspaces where name = 'Acme Outbound')`;
    const email = `refresh-${unique()}@acme-outbound-partners.test`;
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Send invitation" }).click();
    await expect(page.getByTestId(`invitation-${email}`)).toBeVisible();
    await expect(viewer).toHaveValue("analyst");
  } finally {
    await sql`update public.workspace_members set role = 'viewer'
      where user_id = (select id from auth.users where email = 'viewer@acme.test')
        and workspace_id = (select id from public.workspaces where name = 'Acme Outbound')`;
    await sql.end();
  }
});
