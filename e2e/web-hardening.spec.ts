import { expect, test } from "@playwright/test";
import { HOME_URL } from "./helpers";
import { e2eDatabase, mailTo, untilAuthEmailsSent } from "./mail";
import { defineWebHardeningTests, EVIL_NEXT, expectStillHere } from "./web-hardening";

defineWebHardeningTests();

// Development only: sign-in links are delivered to the mail catcher only in development.
test("next on an emailed sign-in link stays on this site", async ({ page }) => {
  const email = "viewer@acme.test";
  await page.goto("/login");
  await page.getByRole("tab", { name: "Email me a link" }).click();
  await page.getByLabel("Work email").fill(email);
  await page.getByRole("button", { name: "Send sign-in link" }).click();
  await expect(page.getByRole("status")).toContainText("on its way");

  const tokenHash = await newestLinkToken(email);
  await page.goto(`/auth/confirm?token_hash=${tokenHash}&type=magiclink&next=${EVIL_NEXT[0]}`);
  await expectStillHere(page, HOME_URL);
});

/** The token of the newest sign-in email to `email`, read from the e2e server's own database. */
async function newestLinkToken(email: string): Promise<string> {
  const sql = e2eDatabase(test.info());
  try {
    const [newest] = await mailTo(sql, email);
    const token = /token_hash=([\w-]+)/.exec(newest?.text ?? "")?.[1];
    if (!token) throw new Error(`no sign-in email to ${email}`);
    return token;
  } finally {
    await sql.end();
  }
}

// The mail catcher shows email HTML in a sandboxed srcdoc frame, which inherits the page's CSP:
// the emails' inline styles must still apply under it (and the frame's own stricter policy).
test("the mail catcher still shows an email's inline styles under the page CSP", async ({ page }) => {
  const email = "admin@globex.test";
  await page.goto("/login");
  await page.getByRole("tab", { name: "Email me a link" }).click();
  await page.getByLabel("Work email").fill(email);
  await page.getByRole("button", { name: "Send sign-in link" }).click();
  await expect(page.getByRole("status")).toContainText("on its way");

  const sql = e2eDatabase(test.info());
  await untilAuthEmailsSent(sql, email).finally(() => sql.end());
  await page.goto("/dev/mail");
  await page
    .getByRole("link", { name: /sign-in link.*to admin@globex\.test/ })
    .first()
    .click();
  const heading = page.frameLocator('iframe[title="Message body"]').getByRole("heading", { name: "Sign in to Lead Intelligence Panel" });
  await expect(heading).toBeVisible();
  // renderActionEmail sets font-size:18px inline; a CSP that refused inline styles leaves 32px.
  expect(await heading.evaluate((el) => getComputedStyle(el).fontSize)).toBe("18px");
});
