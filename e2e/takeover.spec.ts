import { expect, test, type Browser, type Page } from "@playwright/test";
import { ACME_ADMIN, GLOBEX_ADMIN, logIn, unique } from "./helpers";
import { credentialsIn, e2eDatabase, expectOutboxShowsNone, mailTo, requestMagicLink, requestPasswordReset } from "./mail";

/**
 * Issue 8, finding 1, in development: every email is caught (the mail catcher shows it, as a
 * development tool), but a workspace's own Outbox never shows a credential addressed to
 * someone else, whoever invited whom.
 */

async function invite(page: Page, email: string, role: "admin" | "sales_rep" = "sales_rep") {
  await page.goto("/settings/team");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption(role);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText(`Invitation sent to ${email}.`)).toBeVisible();
}

async function signedIn(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await logIn(page, email);
  return page;
}

test("(a) a magic link for an address Acme invited never reaches Acme's admin", async ({ page, browser }, info) => {
  const sql = e2eDatabase(info);
  await logIn(page, ACME_ADMIN);
  await invite(page, GLOBEX_ADMIN);

  const stranger = await browser.newPage();
  await requestMagicLink(stranger, GLOBEX_ADMIN);
  await expect(stranger.getByRole("status")).toContainText("a sign-in link is on its way");

  const [signIn] = (await mailTo(sql, GLOBEX_ADMIN)).filter((m) => /sign-in link/.test(m.subject));
  expect(signIn, "the sign-in email was sent").toBeDefined();
  const invitation = (await mailTo(sql, GLOBEX_ADMIN)).find((m) => m.subject === "You're invited to Acme Outbound")!;
  await expectOutboxShowsNone(page, sql, [...credentialsIn(signIn!), ...credentialsIn(invitation)]);

  // The development mail catcher does show it, labelled as the tool that shows everything.
  await stranger.goto(`/dev/mail?id=${signIn!.id}`);
  await expect(stranger.getByRole("heading", { name: "Mail catcher (development only)" })).toBeVisible();
  await expect(stranger.getByRole("note")).toContainText("to anyone who opens this page");
  await sql.end();
});

test("(b) after Acme revokes its invitation, a reset link for that address never reaches Acme's admin", async ({ page, browser }, info) => {
  const sql = e2eDatabase(info);
  await logIn(page, ACME_ADMIN);
  await invite(page, GLOBEX_ADMIN);
  await page.reload();
  await page.getByTestId(`invitation-${GLOBEX_ADMIN}`).getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke invitation" }).click();
  await expect(page.getByTestId(`invitation-${GLOBEX_ADMIN}`)).toHaveCount(0);

  await requestPasswordReset(await browser.newPage(), GLOBEX_ADMIN);
  const [reset] = (await mailTo(sql, GLOBEX_ADMIN)).filter((m) => /Reset your/.test(m.subject));
  expect(reset, "the reset email was sent").toBeDefined();
  await expectOutboxShowsNone(page, sql, credentialsIn(reset!));
  await sql.end();
});

test("(c) Globex's invitation of an address Acme also invited never reaches Acme's admin", async ({ page, browser }, info) => {
  const sql = e2eDatabase(info);
  const newhire = `newhire-${unique()}@globex.test`;
  await logIn(page, ACME_ADMIN);
  await invite(page, newhire);
  const globex = await signedIn(browser, GLOBEX_ADMIN);
  await invite(globex, newhire, "admin");

  const mail = await mailTo(sql, newhire);
  const globexInvitation = mail.find((m) => m.subject === "You're invited to Globex");
  expect(globexInvitation, "Globex's invitation was sent").toBeDefined();
  await expectOutboxShowsNone(page, sql, mail.flatMap(credentialsIn));
  await sql.end();
});
