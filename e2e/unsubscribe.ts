import { createHmac, hkdfSync } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type TestInfo } from "@playwright/test";
import type postgres from "postgres";
import { expectAccessible, unique } from "./helpers";
import { e2eDatabase } from "./mail";

/**
 * A campaign email's genuine unsubscribe token for a lead the spec creates, signed with the e2e
 * server's own key (its data directory's secrets.json). Signed here as
 * lib/campaigns/unsubscribe-token.ts signs it, because that module is server-only; if the
 * format changed there, every genuine-link step of these specs would fail, never pass wrongly.
 */
function signToken(info: TestInfo, subject: { workspaceId: string; leadId: string; campaignId: string }): string {
  const dataDir = info.project.name === "production" ? ".data/e2e-prod" : ".data/e2e";
  const { encryptionKey } = JSON.parse(readFileSync(path.join(dataDir, "secrets.json"), "utf8")) as { encryptionKey: string };
  const key = Buffer.from(hkdfSync("sha256", Buffer.from(encryptionKey, "base64"), Buffer.alloc(0), "lip unsubscribe-token v1", 32));
  const payload = Buffer.concat(
    [subject.workspaceId, subject.leadId, subject.campaignId].map((id) => Buffer.from(id.replace(/-/g, ""), "hex")),
  );
  const signature = createHmac("sha256", key).update("u1").update(payload).digest().subarray(0, 16);
  return `u1.${payload.toString("base64url")}.${signature.toString("base64url")}`;
}

export type EmailedLead = { token: string; leadId: string; email: string; workspaceId: string };

/** A lead of Acme with a draft campaign that names it, and the token its email would carry. */
export async function emailedLead(sql: postgres.Sql, info: TestInfo, tag: string): Promise<EmailedLead> {
  const [acme] = await sql<{ id: string }[]>`select id from public.workspaces where slug = 'acme-outbound'`;
  const [owner] = await sql<{ user_id: string }[]>`
    select user_id from public.workspace_members where workspace_id = ${acme!.id} and role = 'admin' limit 1`;
  const email = `Unsub.${tag}@Lead.example`;
  const [lead] = await sql<{ id: string }[]>`
    insert into public.leads (workspace_id, first_name, last_name, email, status)
    values (${acme!.id}, 'Una', ${`Sub ${tag}`}, ${email}, 'contacted') returning id`;
  const [campaign] = await sql<{ id: string }[]>`
    insert into public.campaigns (workspace_id, owner_id, name) values (${acme!.id}, ${owner!.user_id}, ${`Unsubscribe ${tag}`}) returning id`;
  const token = signToken(info, { workspaceId: acme!.id, leadId: lead!.id, campaignId: campaign!.id });
  return { token, leadId: lead!.id, email, workspaceId: acme!.id };
}

export async function leadState(sql: postgres.Sql, lead: EmailedLead) {
  const [row] = await sql<{ status: string; reasons: string[] | null }[]>`
    select l.status, (select array_agg(s.reason::text) from public.suppressions s
      where s.workspace_id = l.workspace_id and s.kind = 'email' and s.value = lower(l.email)) as reasons
    from public.leads l where l.id = ${lead.leadId}`;
  return { status: row!.status, suppressed: row!.reasons ?? [] };
}

/**
 * The unsubscribe link as its recipient meets it, as a suite that runs against both servers
 * (unsubscribe.spec.ts: npm run dev; unsubscribe.prod.spec.ts: the production build): no
 * account, no cookies, and in a mail client's browser perhaps no JavaScript.
 */
export function defineUnsubscribeTests() {
  test.describe("the unsubscribe link", () => {
    test.describe.configure({ timeout: 240_000 });

    test("GET shows who and changes nothing; the button works without JavaScript or cookies; then Undo", async ({ browser }, info) => {
      const sql = e2eDatabase(info);
      try {
        const lead = await emailedLead(sql, info, unique());
        // The recipient's browser: no cookies of this site.
        await using context = await browser.newContext();
        const page = await context.newPage();
        // A first visit may compile the route in `next dev`.
        const response = await page.goto(`/unsubscribe/${lead.token}`, { timeout: 180_000 });
        expect(response!.status()).toBe(200);
        const headers = response!.headers();
        expect(headers["referrer-policy"]).toBe("no-referrer");
        // Its own policy, not the app pages': nothing may load or run.
        expect(headers["content-security-policy"]).toContain("default-src 'none'");
        expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
        expect(headers["cache-control"]).toContain("no-store");
        expect(headers["set-cookie"]).toBeUndefined();
        await expect(page.getByRole("heading", { name: "Unsubscribe from Acme Outbound?" })).toBeVisible();
        await expect(page.getByText(lead.email.toLowerCase())).toBeVisible();
        await expectAccessible(page);
        // Opening the link (a scanner, a preview, a second look) changes nothing.
        await page.reload();
        expect(await leadState(sql, lead)).toEqual({ status: "contacted", suppressed: [] });

        // A mail client's browser without JavaScript: the button is a plain form.
        await using noScript = await browser.newContext({ javaScriptEnabled: false });
        const plain = await noScript.newPage();
        await plain.goto(`/unsubscribe/${lead.token}`);
        await plain.getByRole("button", { name: "Unsubscribe" }).click();
        await expect(plain.getByRole("heading", { name: "You are unsubscribed" })).toBeVisible();
        await expect(plain.getByRole("status")).toContainText(`${lead.email.toLowerCase()} will get no more emails from Acme Outbound.`);
        expect(await leadState(sql, lead)).toEqual({ status: "unsubscribed", suppressed: ["unsubscribe"] });
        expect(await noScript.cookies()).toEqual([]);

        // Opening the link again shows the state and offers Undo.
        await page.reload();
        await expect(page.getByRole("heading", { name: "You are unsubscribed" })).toBeVisible();
        await expectAccessible(page);
        await page.getByRole("button", { name: "Undo: subscribe me again" }).click();
        await expect(page.getByRole("heading", { name: "You are subscribed again" })).toBeVisible();
        expect(await leadState(sql, lead)).toEqual({ status: "contacted", suppressed: [] });
        expect(await context.cookies()).toEqual([]);
        await expectAccessible(page);
      } finally {
        await sql.end();
      }
    });

    test("the RFC 8058 one-click POST works with no cookies and no page; a replay changes nothing more", async ({ playwright }, info) => {
      const sql = e2eDatabase(info);
      try {
        const lead = await emailedLead(sql, info, unique());
        // A mail provider's server: a bare POST, no cookies, no Origin.
        const provider = await playwright.request.newContext({
          baseURL: info.project.use.baseURL,
          storageState: { cookies: [], origins: [] },
        });
        for (let i = 0; i < 2; i++) {
          const response = await provider.post(`/unsubscribe/${lead.token}`, {
            headers: { "content-type": "application/x-www-form-urlencoded" },
            data: "List-Unsubscribe=One-Click",
            maxRedirects: 0,
            timeout: 180_000,
          });
          expect(response.status()).toBe(200);
          expect(response.headers()["set-cookie"]).toBeUndefined();
        }
        expect(await leadState(sql, lead)).toEqual({ status: "unsubscribed", suppressed: ["unsubscribe"] });
        const [timeline] = await sql<{ n: number }[]>`
          select count(*)::int as n from public.lead_activities where lead_id = ${lead.leadId} and type = 'unsubscribed'`;
        expect(timeline!.n).toBe(1);
        await provider.dispose();
      } finally {
        await sql.end();
      }
    });

    test("forged, altered and the editor's test links get a friendly page and change nothing", async ({ browser }, info) => {
      const sql = e2eDatabase(info);
      try {
        const lead = await emailedLead(sql, info, unique());
        await using context = await browser.newContext();
        const page = await context.newPage();
        const altered = `${lead.token.slice(0, -2)}${lead.token.endsWith("AA") ? "BB" : "AA"}`;
        const forged = await page.goto(`/unsubscribe/${altered}`, { timeout: 180_000 });
        expect(forged!.status()).toBe(404);
        await expect(page.getByRole("heading", { name: "This unsubscribe link does not work" })).toBeVisible();
        await expect(page.getByText("Nothing was changed.")).toBeVisible();
        await expectAccessible(page);
        const post = await context.request.post(`/unsubscribe/${altered}`, { form: { "List-Unsubscribe": "One-Click" } });
        expect(post.status()).toBe(404);

        await page.goto("/unsubscribe/test");
        await expect(page.getByRole("heading", { name: "This is a test email" })).toBeVisible();
        await expectAccessible(page);
        expect(await leadState(sql, lead)).toEqual({ status: "contacted", suppressed: [] });
      } finally {
        await sql.end();
      }
    });
  });
}
