import { expect, test } from "@playwright/test";
import { ACME_ADMIN, GLOBEX_ADMIN, logIn, unique } from "./helpers";
import { crawl, credentialMail, e2eDatabase, insertLegacyCredentialMail, requestMagicLink, requestPasswordReset, shows } from "./mail";

/**
 * DESIGN.md §11: no page or route shows a tenant a credential addressed to someone else.
 * Credential mail for others is generated through the real flows (and as an older version
 * stored it), read back from the database, and looked for in everything the Acme admin can
 * reach. The one exception is the development mail catcher, which shows all mail by design.
 */
test("no page or route the Acme admin can reach shows a credential addressed to someone else", async ({ page, browser }, info) => {
  test.setTimeout(420_000); // it visits every kind of page; each first visit compiles it on the dev server
  const sql = e2eDatabase(info);

  const globex = await (await browser.newContext()).newPage();
  await logIn(globex, GLOBEX_ADMIN);
  await globex.goto("/settings/team");
  await globex.getByLabel("Email").fill(`leak-${unique()}@globex.test`);
  await globex.getByRole("button", { name: "Send invitation" }).click();
  await expect(globex.getByText(/^Invitation sent to /)).toBeVisible();

  await logIn(page, ACME_ADMIN);
  await page.goto("/settings/team");
  await page.getByLabel("Email").fill(`leak-${unique()}@acme.test`);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText(/^Invitation sent to /)).toBeVisible();

  const stranger = await browser.newPage();
  await requestMagicLink(stranger, "viewer@acme.test");
  await expect(stranger.getByRole("status")).toContainText("a sign-in link is on its way");
  await requestPasswordReset(stranger, "viewer@acme.test");
  await insertLegacyCredentialMail(sql, { workspaceSlug: "acme-outbound", memberEmail: "rep@acme.test" });

  const { ids, credentials } = await credentialMail(sql);
  expect(credentials.length, "credential mail exists to look for").toBeGreaterThanOrEqual(6);

  const pages = await crawl(page, {
    extra: ["/api/health", "/settings/outbox", ...ids.map((id) => `/settings/outbox?id=${id}`)],
    skip: [/^\/dev\/mail/],
  });
  expect(pages.size).toBeGreaterThan(10);
  for (const [path, { body }] of pages) {
    for (const credential of credentials) expect(shows(body, credential), `${credential} on ${path}`).toBe(false);
  }
  await sql.end();
});
