import { expect, test } from "@playwright/test";
import postgres from "postgres";
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
  await expectStillHere(page, /\/leads$/);
});

/** The token of the newest sign-in email to `email`, read from the e2e server's own database. */
async function newestLinkToken(email: string): Promise<string> {
  const sql = postgres(`postgres://postgres:postgres@127.0.0.1:${Number(process.env.E2E_PG_PORT ?? 54399)}/lip`, {
    max: 1,
    onnotice: () => {},
  });
  try {
    for (let attempt = 0; attempt < 20; attempt++) {
      const rows = await sql<{ text_body: string | null }[]>`
        select text_body from local.outbox_messages where ${email} = any(to_addresses) order by created_at desc limit 1`;
      const token = /token_hash=([\w-]+)/.exec(rows[0]?.text_body ?? "")?.[1];
      if (token) return token;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`no sign-in email to ${email}`);
  } finally {
    await sql.end();
  }
}
