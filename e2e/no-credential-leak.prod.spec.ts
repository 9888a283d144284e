import { expect, test } from "@playwright/test";
import { ACME_ADMIN, logIn } from "./helpers";
import { crawl, credentialMail, e2eDatabase, insertLegacyCredentialMail, requestMagicLink, requestPasswordReset, shows } from "./mail";

/**
 * DESIGN.md §11 against `npm start` with the demo outbox: credential mail for others is
 * requested through the public flows (and refused), and planted as an older version of the
 * app stored it; nothing the Acme admin can reach shows any of it, and there is no mail catcher.
 */
test("no page or route the Acme admin can reach shows a credential addressed to someone else", async ({ page, browser }, info) => {
  test.setTimeout(180_000);
  const sql = e2eDatabase(info);
  await logIn(page, ACME_ADMIN);
  await requestMagicLink(await browser.newPage(), "viewer@acme.test");
  await requestPasswordReset(await browser.newPage(), "viewer@acme.test");
  await insertLegacyCredentialMail(sql, { workspaceSlug: "acme-outbound", memberEmail: "viewer@acme.test" });
  await insertLegacyCredentialMail(sql, { workspaceSlug: "globex", memberEmail: "admin@globex.test" });

  const { ids, credentials } = await credentialMail(sql);
  expect(credentials.length, "credential mail exists to look for").toBeGreaterThanOrEqual(4);
  const pages = await crawl(page, {
    extra: ["/api/health", "/settings/outbox", "/dev/mail", ...ids.flatMap((id) => [`/settings/outbox?id=${id}`, `/dev/mail?id=${id}`])],
  });
  expect(pages.size).toBeGreaterThan(10);
  for (const [path, { body }] of pages) {
    for (const credential of credentials) expect(shows(body, credential), `${credential} on ${path}`).toBe(false);
  }
  expect(pages.get("/dev/mail")?.status).toBe(404);
  await sql.end();
});
