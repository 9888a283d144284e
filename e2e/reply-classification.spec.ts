import { expect, test } from "@playwright/test";
import { nextDate } from "../lib/ai/testing/fake-reply-reading";
import { fakeModelRequests, isSchema, resetFakeModel } from "./fake-model";
import { ACME_ADMIN, DEMO_PASSWORD, expectAccessible, expectHydrated, unique, HOME_URL } from "./helpers";
import { e2eDatabase } from "./mail";

/**
 * A lead's reply read by the model end to end: the reply arrives as Resend's would (the Dev
 * outbox's simulated reply, a signed webhook, the processing job), the classification job asks
 * the run's fake OpenAI-compatible server (e2e/global-setup.ts; it reads "out until 12 January"
 * as out of office, back on the next 12 January: lib/ai/testing/fake-reply-reading.ts), and the
 * lead page shows the reading, what it did and its Undo; undone, a person reads it differently.
 */

test("a simulated reply “I'm out until 12 January” shows on the lead as out of office with the date, its next step put off, and Undo brings it back", async ({
  page,
}, info) => {
  test.setTimeout(600_000);
  const sql = e2eDatabase(info);
  const tag = unique();
  const [acme] = await sql<{ id: string }[]>`select id from public.workspaces where slug = 'acme-outbound'`;
  const [admin] = await sql<{ id: string }[]>`select id from auth.users where email = ${ACME_ADMIN}`;
  const ws = acme!.id;
  const leadEmail = `away-${tag}@lead.test`;
  const rfc = `<away-${tag}@acme.test>`;
  // A lead already sent step 1 of a two-step sequence (not stopped by replies), step 2 due in two days.
  const [lead] = await sql<{ id: string }[]>`
    insert into public.leads (workspace_id, first_name, last_name, email, status, owner_id)
    values (${ws}, 'Ola', ${`Away-${tag}`}, ${leadEmail}, 'contacted', ${admin!.id}) returning id`;
  const [identity] = await sql<{ id: string }[]>`
    insert into public.sending_identities (workspace_id, from_name, from_email, postal_address, signature)
    values (${ws}, 'Away Sender', ${`away-${tag}@acme.test`}, '1 Harbour Road, Reykjavík', 'Away Sender') returning id`;
  const [campaign] = await sql<{ id: string }[]>`
    insert into public.campaigns (workspace_id, owner_id, name, stop_on_reply)
    values (${ws}, ${admin!.id}, ${`Away ${tag}`}, false) returning id`;
  const [step] = await sql<{ id: string }[]>`
    insert into public.campaign_steps (workspace_id, campaign_id, position) values (${ws}, ${campaign!.id}, 1) returning id`;
  const dueAt = new Date(Date.now() + 2 * 86_400_000);
  const [enrollment] = await sql<{ id: string }[]>`
    insert into public.campaign_enrollments (workspace_id, campaign_id, lead_id, identity_id, next_step, next_send_at)
    values (${ws}, ${campaign!.id}, ${lead!.id}, ${identity!.id}, 2, ${dueAt}) returning id`;
  await sql`
    insert into public.email_messages (workspace_id, campaign_id, enrollment_id, step_id, step_position, lead_id, identity_id,
      status, to_email, from_address, subject, text_body, rfc_message_id, provider_id, sent_at)
    values (${ws}, ${campaign!.id}, ${enrollment!.id}, ${step!.id}, 1, ${lead!.id}, ${identity!.id}, 'sent', ${leadEmail},
      ${`Away Sender <away-${tag}@acme.test>`}, ${`Quick idea ${tag}`}, 'Hello Ola', ${rfc}, ${`prov-${tag}`}, now())`;
  const [message] = await sql<{ id: string }[]>`
    insert into local.outbox_messages (from_address, to_addresses, reply_to, subject, text_body, headers, tags)
    values (${`Away Sender <away-${tag}@acme.test>`}, ${[leadEmail]}, ${[`reply+${tag}@inbound.acme.test`]}, ${`Quick idea ${tag}`},
            'Hello Ola', ${sql.json({ "Message-ID": rfc })},
            ${sql.json([
              { name: "workspace_id", value: ws },
              { name: "category", value: "campaign" },
              { name: "kind", value: "product" },
            ])})
    returning id`;

  await resetFakeModel();
  // The next 12 January after today (the reply's received date), as the model is told to resolve it.
  const back = nextDate(new Date().toISOString().slice(0, 10), 0, 12);
  try {
    // A cold dev server compiles /leads on the first sign-in: on a busy 2-core machine that can take minutes.
    await page.goto("/login", { timeout: 180_000 });
    await page.getByLabel("Work email").fill(ACME_ADMIN);
    await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).toHaveURL(HOME_URL, { timeout: 240_000 });
    await page.goto(`/settings/outbox?id=${message!.id}`, { timeout: 120_000 });
    const replyForm = page.getByRole("form", { name: "Simulate a reply" });
    await replyForm.getByLabel("Reply from the recipient").fill("Hi, I'm out until 12 January with no access to email. Back then!");
    await replyForm.getByRole("button", { name: "Send reply" }).click();
    await expect(page.getByText("Reply received: event sent to the app.")).toBeVisible();

    // Webhook, processing job, classification job: the lead page shows what was there when it loaded.
    await expect
      .poll(
        async () => {
          const [row] = await sql<{ state: string }[]>`select state from public.reply_classifications where lead_id = ${lead!.id}`;
          return row?.state ?? "none";
        },
        { timeout: 120_000, message: "the reply read by the model" },
      )
      .toBe("classified");
    const asked = (await fakeModelRequests()).filter((r) => isSchema(r, "reply_classification"));
    expect(asked.some((r) => r.messages.at(-1)!.content.includes("out until 12 January"))).toBe(true);

    await page.goto(`/leads/${lead!.id}`, { timeout: 120_000 });
    const replies = page.getByRole("region", { name: "Replies" });
    await expect(replies.getByText("Hi, I'm out until 12 January")).toBeVisible();
    await expect(replies.getByText("Out of office", { exact: true })).toBeVisible();
    await expect(replies.getByTestId("reply-return-date")).toHaveText(`Back on 12 January ${back.slice(0, 4)}`);
    await expect(replies.getByText("96 % confident")).toBeVisible();
    await expect(replies.getByText("Next step put off until they are back")).toBeVisible();
    await expect(page.getByTestId("lead-timeline")).toContainText("read a reply as out of office");
    // The Replies inbox says the same at a glance: read as out of office, back on the date, the step moved.
    await page.goto("/replies", { timeout: 120_000 });
    const inboxRow = page.getByRole("table", { name: /Replies/ }).locator("tr", { hasText: "out until 12 January" });
    await expect(inboxRow).toContainText(`Back on 12 January ${back.slice(0, 4)}`);
    await expect(inboxRow).toContainText("Next step put off until they are back");
    await page.goto(`/leads/${lead!.id}`, { timeout: 120_000 });
    const [delayed] = await sql<{ next_send_at: Date; status: string }[]>`
      select e.next_send_at, l.status from public.campaign_enrollments e join public.leads l on l.id = e.lead_id where e.id = ${enrollment!.id}`;
    // The start of the day after the return date, in Acme's time zone (UTC).
    expect(delayed!.next_send_at.toISOString()).toBe(`${back.slice(0, 4)}-01-13T00:00:00.000Z`);
    // An absence notice is not an answer: the lead is contacted, not replied, so step 2 can go out after the return.
    expect(delayed!.status).toBe("contacted");
    await expectAccessible(page);

    await replies.getByRole("button", { name: "Undo: Next step put off until they are back" }).click();
    await expect(page.getByText("Undone.")).toBeVisible();
    await expect(replies.getByText(/^Undone /)).toBeVisible();
    const [restored] = await sql<
      { next_send_at: Date }[]
    >`select next_send_at from public.campaign_enrollments where id = ${enrollment!.id}`;
    expect(restored!.next_send_at.getTime()).toBe(dueAt.getTime());

    // Undone, the reply may be read differently by hand: it then acts as the model's reading would.
    await replies.getByText("Read it differently").click();
    const readForm = replies.getByRole("form", { name: "Read this reply yourself" });
    await expectHydrated(readForm.getByRole("button", { name: "Save reading" }), "the reading form");
    await readForm.getByLabel("The reply is").selectOption({ label: "Choose…" });
    await readForm.getByRole("button", { name: "Save reading" }).click();
    await expect(readForm.getByText("Choose what the reply says.")).toBeVisible();
    await readForm.getByLabel("The reply is").selectOption({ label: "Interested" });
    await expect(readForm.getByText("The lead becomes Interested and its owner is told.")).toBeVisible();
    await readForm.getByRole("button", { name: "Save reading" }).click();
    await expect(page.getByText("Reply read as interested.")).toBeVisible();
    await expect(replies.getByText("Interested", { exact: true })).toBeVisible();
    await expect(replies.getByTestId("reply-read-by")).toBeVisible();
    await expect(replies.getByText("Lead marked interested, owner notified")).toBeVisible();
    const [interested] = await sql<{ status: string }[]>`select status from public.leads where id = ${lead!.id}`;
    expect(interested!.status).toBe("interested");
    await expectAccessible(page);
  } finally {
    await sql.end();
  }
});
