import { expect, test, type APIRequestContext, type Page, type TestInfo } from "@playwright/test";
import postgres from "postgres";

/**
 * What the takeover specs need to see behind the app: the e2e server's own embedded database
 * (to read the real credentials a message carries). Both servers of playwright.config.ts are
 * local by construction.
 */
const isProduction = (info: TestInfo) => info.project.name === "production";

export function e2eDatabase(info: TestInfo) {
  const port = isProduction(info) ? Number(process.env.E2E_PROD_PG_PORT ?? 54398) : Number(process.env.E2E_PG_PORT ?? 54399);
  return postgres(`postgres://postgres:postgres@127.0.0.1:${port}/lip`, { max: 1, onnotice: () => {} });
}

/** The login page's "Forgot your password?" form: public, as an attacker would use it. */
export async function requestPasswordReset(page: Page, email: string) {
  await page.goto("/login");
  await page.getByRole("button", { name: "Forgot your password?" }).click();
  await page.getByLabel("Work email").fill(email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(answered(page)).toBeVisible();
}

export async function requestMagicLink(page: Page, email: string) {
  await page.goto("/login");
  await page.getByRole("tab", { name: "Email me a link" }).click();
  await page.getByLabel("Work email").fill(email);
  await page.getByRole("button", { name: "Send sign-in link" }).click();
  await expect(answered(page)).toBeVisible();
}

/** The login form's answer: "on its way", or a refusal such as "Email is not configured". (Not Next's empty route announcer.) */
const answered = (page: Page) =>
  page
    .getByRole("status")
    .filter({ hasText: "is on its way" })
    .or(page.locator("form").getByRole("alert").filter({ hasText: /\S/ }))
    .first();

export type StoredMail = { id: string; to: string[]; subject: string; text: string; html: string };

/**
 * Waits, as a person waits for their inbox, until the sign-in, reset and confirmation emails
 * to `address` (to anyone, without one) have gone out: the auth server sends each after it
 * has answered. Then the outbox holds all that the requests so far sent, and nothing more is
 * coming: "no email" is as sure as "this email".
 */
export async function untilAuthEmailsSent(sql: postgres.Sql, address?: string) {
  const to = address?.toLowerCase() ?? null;
  await expect
    .poll(
      async () => {
        const [row] = await sql<{ n: number }[]>`
          select count(*)::int as n from auth.pending_emails where ${to}::text is null or lower(to_address) = ${to}`;
        return row!.n;
      },
      { message: `auth emails to ${address ?? "anyone"} still unsent`, timeout: 20_000 },
    )
    .toBe(0);
}

/** Every message the server kept for an address (since a time, if given), newest first, once its auth emails have gone out. */
export async function mailTo(sql: postgres.Sql, address: string, since = new Date(0)): Promise<StoredMail[]> {
  await untilAuthEmailsSent(sql, address);
  const rows = await sql<{ id: string; to_addresses: string[]; subject: string; text_body: string | null; html: string | null }[]>`
    select id, to_addresses, subject, text_body, html from local.outbox_messages
    where ${address.toLowerCase()} = any(select lower(a) from unnest(to_addresses) a) and created_at >= ${since}
    order by created_at desc`;
  return rows.map((r) => ({ id: r.id, to: r.to_addresses, subject: r.subject, text: r.text_body ?? "", html: r.html ?? "" }));
}

/**
 * The secrets in a message: sign-in, reset and confirm token hashes, invitation tokens and
 * 6-digit codes. Any one of them in a page another user can see is an account takeover.
 */
export function credentialsIn(mail: StoredMail): string[] {
  const found = new Set<string>();
  for (const m of mail.text.matchAll(/token_hash=([\w-]+)/g)) found.add(m[1]!);
  for (const m of mail.text.matchAll(/\/invite\/([\w%-]+)/g)) found.add(decodeURIComponent(m[1]!));
  for (const m of mail.text.matchAll(/code: (\d{6})\b/g)) found.add(m[1]!);
  return [...found];
}

/** True when `body` contains the credential: a code only as a whole number, not inside an id. */
export function shows(body: string, credential: string): boolean {
  if (/^\d{6}$/.test(credential)) return new RegExp(`(?<![0-9a-zA-Z-])${credential}(?![0-9a-zA-Z-])`).test(body);
  return body.includes(credential);
}

/**
 * The Dev outbox as the signed-in user sees it shows none of the credentials: its list, and the
 * page of every message that carries one (found in the database: only those can show them; the
 * demo campaign's hundreds of others cannot, and opening each made the check take minutes).
 */
export async function expectOutboxShowsNone(page: Page, sql: postgres.Sql, credentials: string[]) {
  expect(credentials.length).toBeGreaterThan(0);
  const carriers = await sql<{ id: string }[]>`
    select id from local.outbox_messages m
    where exists (select 1 from unnest(${sql.array(credentials)}::text[]) c
                  where strpos(coalesce(m.text_body, ''), c) > 0 or strpos(coalesce(m.html, ''), c) > 0)`;
  expect(carriers.length, "the messages that carry the credentials").toBeGreaterThan(0);
  const bodies = [await (await page.request.get("/settings/outbox")).text()];
  for (const { id } of carriers) bodies.push(await (await page.request.get(`/settings/outbox?id=${id}`)).text());
  for (const body of bodies) for (const credential of credentials) expect(shows(body, credential), credential).toBe(false);
}

/**
 * Credential mail as an older version of the app stored it (tagged with a workspace, or only
 * addressed to a member, no `kind`): a database upgraded in place may still hold such rows.
 */
export async function insertLegacyCredentialMail(
  sql: postgres.Sql,
  { workspaceSlug, memberEmail }: { workspaceSlug: string; memberEmail: string },
) {
  const [workspace] = await sql<{ id: string }[]>`select id from public.workspaces where slug = ${workspaceSlug}`;
  const token = `legacy${unique32()}`;
  const hash = `legacy${unique32()}`;
  await sql`
    insert into local.outbox_messages (from_address, to_addresses, subject, html, text_body, tags) values
    ('no-reply@lip.localhost', ${[`legacy-${unique32().slice(0, 8)}@example.test`]}, 'You''re invited (legacy)',
     ${`<a href="http://localhost/invite/${token}">Accept</a>`}, ${`Accept: http://localhost/invite/${token}`},
     ${sql.json([
       { name: "workspace_id", value: workspace!.id },
       { name: "category", value: "invitation" },
     ])}),
    ('no-reply@lip.localhost', ${[memberEmail]}, 'Your sign-in link (legacy)',
     ${`<a href="http://localhost/auth/confirm?token_hash=${hash}&type=magiclink">Sign in</a>`},
     ${`Sign in: http://localhost/auth/confirm?token_hash=${hash}&type=magiclink`}, '[]'::jsonb)`;
  return [token, hash];
}

const unique32 = () => crypto.randomUUID().replaceAll("-", "");

/** Every message that is not product mail, with the credentials it carries, once every auth email has gone out. */
export async function credentialMail(sql: postgres.Sql): Promise<{ ids: string[]; credentials: string[] }> {
  await untilAuthEmailsSent(sql);
  const rows = await sql<{ id: string; to_addresses: string[]; subject: string; text_body: string | null; html: string | null }[]>`
    select id, to_addresses, subject, text_body, html from local.outbox_messages
    where not tags @> '[{"name":"kind","value":"product"}]'::jsonb`;
  const mails = rows.map((r) => ({ id: r.id, to: r.to_addresses, subject: r.subject, text: r.text_body ?? "", html: r.html ?? "" }));
  return { ids: mails.map((m) => m.id), credentials: [...new Set(mails.flatMap(credentialsIn))] };
}

/**
 * Every page and route a signed-in user can reach by following links from the home page,
 * plus the routes named in `extra`, each fetched as that user; `skip` leaves paths out.
 */
export async function crawl(page: Page, { extra = [], skip = [] }: { extra?: string[]; skip?: RegExp[] } = {}) {
  const seen = new Map<string, { status: number; body: string }>();
  const queue = ["/", ...extra];
  // Links to one kind of page (the same path but for ids and the query: a lead, an outbox message,
  // a table's next page) are followed a few times each: the budget goes to reaching every kind.
  const variants = new Map<string, number>();
  const wanted = new Set(extra);
  while (queue.length && seen.size < 120) {
    const path = queue.shift()!;
    if (seen.has(path) || skip.some((re) => re.test(path))) continue;
    const kind = path.split("?")[0]!.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ":id");
    if (!wanted.has(path) && (variants.get(kind) ?? 0) >= 5) continue;
    variants.set(kind, (variants.get(kind) ?? 0) + 1);
    // A page's first visit compiles it on the dev server: on a busy machine, well over a minute.
    const response = await page.request.get(path, { timeout: 120_000 });
    const body = await response.text();
    seen.set(path, { status: response.status(), body });
    if (!(response.headers()["content-type"] ?? "").includes("text/html")) continue;
    for (const m of body.matchAll(/href="(\/[^"#]*)"/g)) {
      const href = m[1]!.replaceAll("&amp;", "&");
      if (!/^\/(_next|auth\/v1|api\/inngest)/.test(href) && !seen.has(href)) queue.push(href);
    }
  }
  return seen;
}

/**
 * Opens the newest message to `to` in the development mail catcher, once the auth emails to it
 * have gone out, and returns its first link containing `part`.
 */
export async function linkFromMailCatcher(page: Page, to: string, part: string, subject: RegExp = /./): Promise<string> {
  const sql = e2eDatabase(test.info());
  await untilAuthEmailsSent(sql, to).finally(() => sql.end());
  await page.goto("/dev/mail");
  await page
    .getByRole("link", { name: new RegExp(`${subject.source}.*to ${to.replaceAll(".", "\\.")}`) })
    .first()
    .click();
  const link = await page.getByTestId("outbox-link").filter({ hasText: part }).first().getAttribute("href");
  expect(link).toContain(part);
  return link!;
}
