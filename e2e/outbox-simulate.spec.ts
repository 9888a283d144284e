import { expect, test, type Page } from "@playwright/test";
import { ACME_ADMIN, expectAccessible, logIn, unique } from "./helpers";
import { e2eDatabase } from "./mail";

/** The webhook events listed for the selected message; the delivery loop posts them within a second or so. */
async function expectEventReceived(page: Page, type: string) {
  const row = page.getByRole("list", { name: "Webhook events" }).getByRole("listitem").filter({ hasText: type });
  await expect(async () => {
    await page.reload();
    await expect(row.getByText("received by the app").first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
}

test("an admin simulates an open and a reply for a campaign email in the Outbox; the app receives the signed events", async ({
  page,
}, info) => {
  // The first visits compile the pages of a fresh dev server: a minute on a busy 2-core machine.
  test.setTimeout(180_000);
  const sql = e2eDatabase(info);
  const tag = unique();
  const [acme] = await sql<{ id: string }[]>`select id from public.workspaces where slug = 'acme-outbound'`;
  const [message] = await sql<{ id: string }[]>`
    insert into local.outbox_messages (from_address, to_addresses, reply_to, subject, text_body, headers, tags)
    values ('Sam <sam@acme.test>', ${[`lead-${tag}@example.test`]}, ${[`reply+${tag}@inbound.acme.test`]}, ${`Quick question ${tag}`},
            'Hi, see https://acme.test/pricing', ${sql.json({ "Message-ID": `<${tag}@acme.test>` })},
            ${sql.json([
              { name: "workspace_id", value: acme!.id },
              { name: "category", value: "campaign" },
              { name: "kind", value: "product" },
            ])})
    returning id`;

  try {
    await logIn(page, ACME_ADMIN);
    await page.goto(`/settings/outbox?id=${message!.id}`);
    await expect(page.getByRole("heading", { name: `Quick question ${tag}` })).toBeVisible();
    await expect(page.getByRole("list", { name: "Webhook events" })).toHaveCount(0);
    await expectAccessible(page);

    await page.getByRole("button", { name: "Opened" }).click();
    await expect(page.getByText("Opened: event sent to the app.")).toBeVisible();
    await expectEventReceived(page, "email.opened");

    // A reply needs its text.
    await page.getByRole("button", { name: "Send reply" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Write the reply's text." })).toBeVisible();

    await page.getByLabel("Reply from the recipient").fill(`Tuesday works for me ${tag}`);
    await page.getByRole("button", { name: "Send reply" }).click();
    await expect(page.getByText("Reply received: event sent to the app.")).toBeVisible();
    await expect(page.getByRole("region", { name: "Replies" }).getByText(`Tuesday works for me ${tag}`)).toBeVisible();
    await expectEventReceived(page, "email.received");

    // What the app stored: the signed deliveries, once each, verified by its webhook route.
    const receipts = await sql<{ event_type: string }[]>`
      select r.event_type from private.webhook_receipts r
      join local.outbox_webhook_deliveries d on d.id = r.delivery_id
      where r.provider = 'resend' and (d.email_id = ${message!.id} or d.email_id in (
        select id from local.outbox_received_emails where reply_to_message_id = ${message!.id}))
      order by r.event_type`;
    expect(receipts.map((r) => r.event_type)).toEqual(["email.opened", "email.received"]);
    await expectAccessible(page);
  } finally {
    await sql.end();
  }
});
