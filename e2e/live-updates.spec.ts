import { expect, test, type Page } from "@playwright/test";
import { ACME_ADMIN, compilePagesSignedIn, createLead, NO_SUCH_ID, expectAccessible, expectHydrated, logIn, unique } from "./helpers";
import { e2eDatabase } from "./mail";

const MANAGER = "manager@acme.test";
const REP_NAME = "Bruno Sánchez";

// Each page is compiled on first visit in next dev: on a busy 2-core machine that can take a minute.
test.describe.configure({ timeout: 180_000 });
test.use({ navigationTimeout: 240_000 });
test.beforeAll(async ({ browser, request }) => {
  test.setTimeout(600_000);
  // Compiled before the tests: what a test times is the live path, never a first compile.
  for (const path of ["/login", "/auth/v1/.well-known/jwks.json", "/", "/api/events"]) {
    await request.get(path, { timeout: 300_000, maxRedirects: 0 });
  }
  await compilePagesSignedIn(browser, ACME_ADMIN, [
    "/leads/new",
    `/leads/${NO_SUCH_ID}`,
    "/leads",
    "/settings/notifications",
    "/jobs",
    `/imports/${NO_SUCH_ID}`,
    `/api/imports/${NO_SUCH_ID}`,
  ]);
});

const leadTable = (page: Page) => page.getByRole("table", { name: "Leads" });
const bodyRows = (page: Page) => leadTable(page).locator("tbody tr");

test("a lead assigned in one session shows its new owner in another session's open table, without a reload", async ({ browser }) => {
  const adminContext = await browser.newContext();
  const managerContext = await browser.newContext();
  const admin = await adminContext.newPage();
  const manager = await managerContext.newPage();
  await logIn(admin, ACME_ADMIN);
  await logIn(manager, MANAGER);

  // The admin adds a lead: it is theirs until they give it away.
  const lastName = `Live-${unique()}`;
  await createLead(admin, { firstName: "Lina", lastName, email: `lina.${lastName.toLowerCase()}@example.test` });

  // The manager's table: newest first, a long page scrolled down, two rows selected.
  await manager.goto("/leads?sort=created&dir=desc&pageSize=100&columns=name,owner,created");
  const row = bodyRows(manager).filter({ hasText: lastName });
  await expect(row).toHaveCount(1, { timeout: 60_000 });
  await expect(row).not.toContainText(REP_NAME);
  await bodyRows(manager).nth(1).getByRole("checkbox").check();
  await bodyRows(manager).nth(2).getByRole("checkbox").check();
  const scroller = manager.locator('div:has(> table[aria-label="Leads"])');
  await scroller.evaluate((element) => (element.scrollTop = 600));
  const scrolled = await scroller.evaluate((element) => element.scrollTop);
  expect(scrolled).toBeGreaterThan(0);
  // Gone after a reload: proves the page was never loaded again.
  await manager.evaluate(() => ((window as { __sameDocument?: boolean }).__sameDocument = true));

  await admin.getByLabel("Owner").selectOption({ label: REP_NAME });
  await expect(admin.getByText(`Lead assigned to ${REP_NAME}.`)).toBeVisible({ timeout: 30_000 });

  // Within a second on an idle machine (app/api/events/events.integration.test.ts times it);
  // the wait allows for next dev on a loaded one.
  await expect(row).toContainText(REP_NAME, { timeout: 20_000 });
  expect(await manager.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  await expect(bodyRows(manager).nth(1).getByRole("checkbox")).toBeChecked();
  await expect(bodyRows(manager).nth(2).getByRole("checkbox")).toBeChecked();
  expect(await scroller.evaluate((element) => element.scrollTop)).toBe(scrolled);
  await expectAccessible(manager);

  // The admin's Jobs page says how it follows changes.
  await admin.goto("/jobs");
  await expect(admin.getByTestId("live-status")).toContainText("server-sent events fed by PostgreSQL LISTEN/NOTIFY, connected", {
    timeout: 60_000,
  });
  await expectAccessible(admin);

  await adminContext.close();
  await managerContext.close();
});

/**
 * What can bring a change to an open page other than its event stream: a server action (the
 * bell reads its inbox through one), a server-component refresh (router.refresh, which the
 * Jobs page's polling fallback and its live refresh both use) or a JSON read of /api/… (the
 * import page's progress). Timed in this process, on the same clock as the database writes below.
 */
type PageRequest = { at: number; kind: "action" | "refresh" | "api"; path: string };

function watchRequests(page: Page): PageRequest[] {
  const seen: PageRequest[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    const headers = request.headers();
    const kind = headers["next-action"]
      ? "action"
      : headers["rsc"] === "1"
        ? "refresh"
        : url.pathname.startsWith("/api/") && url.pathname !== "/api/events"
          ? "api"
          : null;
    if (kind) seen.push({ at: Date.now(), kind, path: url.pathname });
  });
  return seen;
}

type StreamEvent = { at: number; event: string; data: string };

/**
 * The events the page's /api/events stream delivers, timed as they reach the browser: read off
 * Chromium's network layer (CDP Network.streamResourceContent), so the page's code and its
 * fetch are left as they are.
 */
async function tapLiveStream(page: Page): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  const cdp = await page.context().newCDPSession(page);
  const streams = new Map<string, string>();
  const feed = (requestId: string, base64: string) => {
    let buffer = (streams.get(requestId) ?? "") + Buffer.from(base64, "base64").toString("utf8");
    let cut: number;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut).split("\n");
      buffer = buffer.slice(cut + 2);
      const event =
        block
          .find((line) => line.startsWith("event:"))
          ?.slice(6)
          .trim() ?? "message";
      const data = block.filter((line) => line.startsWith("data:")).map((line) => line.slice(5).trim());
      if (data.length > 0) events.push({ at: Date.now(), event, data: data.join("\n") });
    }
    streams.set(requestId, buffer);
  };
  cdp.on("Network.responseReceived", ({ requestId, response }) => {
    if (new URL(response.url).pathname !== "/api/events" || response.status !== 200) return;
    streams.set(requestId, "");
    void cdp
      .send("Network.streamResourceContent", { requestId })
      .then(({ bufferedData }) => feed(requestId, bufferedData))
      .catch(() => undefined);
  });
  cdp.on("Network.dataReceived", ({ requestId, data }) => {
    if (data && streams.has(requestId)) feed(requestId, data);
  });
  await cdp.send("Network.enable");
  return events;
}

/**
 * The stream's data and the page's requests reach this process over two channels (a CDP session
 * of its own, Playwright's): a request set off by an event can be seen a few ms before it.
 */
const CHANNEL_SKEW_MS = 50;

const liveMessages = (events: StreamEvent[], kind: string, after: number) =>
  events.filter((e) => e.event === "message" && e.at >= after && (JSON.parse(e.data) as { k: string }).k === kind);

/** Connected after `since`: the stream said `ready` (the server LISTENs for this workspace from then on). */
async function expectConnected(events: StreamEvent[], since: number): Promise<number> {
  const ready = () => events.find((e) => e.event === "ready" && e.at >= since);
  await expect.poll(() => ready() !== undefined, { message: "the page's event stream said ready" }).toBe(true);
  return ready()!.at;
}

/** Records how long the change took to reach the page, as annotations of the test (the JSON and HTML reports show them). */
const latency = (what: string, ms: number) => test.info().annotations.push({ type: "latency", description: `${what}: ${ms} ms` });

const markDocument = (page: Page) => page.evaluate(() => ((window as { __sameDocument?: boolean }).__sameDocument = true));
const sameDocument = (page: Page) => page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument === true);

test("a notification written elsewhere reaches the bell of an open page within a second, over the event stream, not its poll", async ({
  page,
}, info) => {
  const sql = e2eDatabase(info);
  const title = `Live bell ${unique()} waits for your approval`;
  try {
    await logIn(page, ACME_ADMIN);
    const stream = await tapLiveStream(page);
    const requests = watchRequests(page);
    // A page that refreshes nothing itself: only the bell can show the change.
    const openedAt = Date.now();
    await page.goto("/settings/notifications");
    const connectedAt = await expectConnected(stream, openedAt);
    const bell = page.getByRole("button", { name: /^Notifications(, \d+ unread)?$/ });
    const unread = Number(/(\d+) unread/.exec((await bell.getAttribute("aria-label")) ?? "")?.[1] ?? 0);
    await markDocument(page);

    const writtenAt = Date.now();
    await sql`
      insert into public.notifications (workspace_id, user_id, actor_id, kind, title, body, link)
      select w.id, admin.id, rep.id, 'campaign_submitted', ${title}, 'Bruno Sánchez submitted it for approval.', '/campaigns'
      from public.workspaces w, auth.users admin, auth.users rep
      where w.slug = 'acme-outbound' and admin.email = 'admin@acme.test' and rep.email = 'rep@acme.test'`;
    // The page asks for the change within a second (below); the answer is next dev's render,
    // which takes a second or three on a loaded 2-core machine.
    await expect(page.getByRole("button", { name: `Notifications, ${unread + 1} unread` })).toBeVisible({ timeout: 5_000 });
    const shownAt = Date.now();

    // The stream carried it within a second, and the bell read its inbox right after: its only
    // read since the connection (the fallback polls every 60 s, and only while not connected).
    const [message] = liveMessages(stream, "notification", writtenAt);
    expect(message, "a notification event on the stream").toBeDefined();
    expect(message!.at - writtenAt).toBeLessThan(1_000);
    const reads = requests.filter((r) => r.kind === "action" && r.at >= connectedAt);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.at >= message!.at - CHANNEL_SKEW_MS)).toBe(true);
    expect(reads[0]!.at - writtenAt).toBeLessThan(1_000);
    expect(shownAt - openedAt).toBeLessThan(60_000);
    latency("stream event after the write", message!.at - writtenAt);
    latency("bell's read after the write", reads[0]!.at - writtenAt);
    latency("bell showed it after the write", shownAt - writtenAt);
    expect(await sameDocument(page)).toBe(true);

    await page.getByRole("button", { name: `Notifications, ${unread + 1} unread` }).click();
    await expect(page.getByRole("dialog", { name: "Notifications" }).getByRole("link", { name: `${title} (unread)` })).toBeVisible();
    await expectAccessible(page);
  } finally {
    await sql`delete from public.notifications where title = ${title}`;
    await sql.end();
  }
});

test("a job run that changes elsewhere changes on the open Jobs page within a second, over the event stream, not its poll", async ({
  page,
}, info) => {
  const sql = e2eDatabase(info);
  const functionId = `e2e-live-${unique()}`;
  try {
    // A run in progress, as the executor leaves one between two steps (no lease, nothing due):
    // with it on the page, the page would poll every 2 s were it not connected.
    const [run] = await sql<{ id: string }[]>`
      with w as (select id from public.workspaces where slug = 'acme-outbound'),
      e as (
        insert into public.job_events (workspace_id, name, data, ts, dispatched_at)
        select w.id, 'e2e/live.requested', '{}'::jsonb, now(), now() from w returning id, workspace_id
      )
      insert into public.job_runs (workspace_id, function_id, event_id, status, attempt, started_at)
      select e.workspace_id, ${functionId}, e.id, 'running', 1, now() from e returning id`;
    await logIn(page, ACME_ADMIN);
    const stream = await tapLiveStream(page);
    const requests = watchRequests(page);
    const openedAt = Date.now();
    await page.goto(`/jobs?function=${functionId}`);
    const row = page.locator("tbody tr").filter({ has: page.getByRole("link", { name: functionId }) });
    await expect(row).toContainText("running");
    await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "live");
    const connectedAt = await expectConnected(stream, openedAt);
    // Longer than the fallback's 2 s: connected, the page does not poll.
    await page.waitForTimeout(2_500);
    const jobEvents = () => liveMessages(stream, "job", connectedAt);
    const unexplained = (from: number, to: number) =>
      requests.filter(
        (r) =>
          r.kind === "refresh" &&
          r.at >= from &&
          r.at < to &&
          !jobEvents().some((e) => e.at <= r.at + CHANNEL_SKEW_MS && r.at - e.at < 1_000),
      );
    expect(unexplained(connectedAt, Date.now()), "refreshes without a job event before them (polling)").toEqual([]);
    await markDocument(page);

    const writtenAt = Date.now();
    await sql`update public.job_runs set status = 'completed', ended_at = now(), updated_at = now() where id = ${run!.id}`;
    await expect(row).toContainText("completed", { timeout: 5_000 });
    const shownAt = Date.now();

    const message = jobEvents().find((e) => e.at >= writtenAt && (JSON.parse(e.data) as { ids: string[] | null }).ids?.includes(run!.id));
    expect(message, "the run's event on the stream").toBeDefined();
    expect(message!.at - writtenAt).toBeLessThan(1_000);
    // The refresh it set off: at once, or up to 0.8 s later when another job's change had just
    // refreshed the page (then that refresh may already have shown it).
    const refreshAfter = () => requests.find((r) => r.kind === "refresh" && r.at >= message!.at - CHANNEL_SKEW_MS);
    await expect.poll(refreshAfter, { message: "the page refreshed after the event", timeout: 2_000 }).toBeDefined();
    const refresh = refreshAfter()!;
    expect(refresh.at - message!.at).toBeLessThanOrEqual(1_000);
    latency("stream event after the write", message!.at - writtenAt);
    latency("page's refresh after the write", refresh.at - writtenAt);
    latency("page showed it after the write", shownAt - writtenAt);
    expect(unexplained(connectedAt, Date.now())).toEqual([]);
    expect(await sameDocument(page)).toBe(true);
    await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "live");
    await expectAccessible(page);
  } finally {
    await sql`delete from public.job_events e using public.job_runs r where r.event_id = e.id and r.function_id = ${functionId}`;
    await sql.end();
  }
});

test("an import's progress written elsewhere moves its open page within a second, over the event stream, not its poll", async ({
  page,
}, info) => {
  const sql = e2eDatabase(info);
  const fileName = `live-${unique()}.csv`;
  try {
    // An import under way between two batches (no job runs it here: the test writes its progress).
    const [imp] = await sql<{ id: string }[]>`
      insert into public.lead_imports (workspace_id, created_by, file_name, file_size, encoding, delimiter, headers, total_rows,
        status, preset, mapping, rules, started_at)
      select w.id, u.id, ${fileName}, 2048, 'utf-8', ',', array['Email'], 1000,
        'running', 'generic', '{"columns":[]}'::jsonb, '{"onMatch":"skip","owner":{"kind":"none"},"tags":[]}'::jsonb, now()
      from public.workspaces w, auth.users u where w.slug = 'acme-outbound' and u.email = 'admin@acme.test'
      returning id`;
    const progressPath = `/api/imports/${imp!.id}`;
    await logIn(page, ACME_ADMIN);
    const stream = await tapLiveStream(page);
    const requests = watchRequests(page);
    const openedAt = Date.now();
    await page.goto(`/imports/${imp!.id}`);
    const processed = page.getByTestId("import-processed");
    await expect(processed).toHaveText("0 of 1,000 rows");
    const connectedAt = await expectConnected(stream, openedAt);
    // Not connected, a running import's page reads its progress every second: connected, it reads
    // once (what changed meanwhile) and then only when the stream says the import changed.
    const reads = () => requests.filter((r) => r.kind === "api" && r.path === progressPath);
    await expect
      .poll(() => Date.now() - Math.max(connectedAt, ...reads().map((r) => r.at)), { message: "the page stopped reading its progress" })
      .toBeGreaterThan(3_000);
    await markDocument(page);

    const writtenAt = Date.now();
    await sql`update public.lead_imports set processed_rows = 400, inserted = 400, updated_at = now() where id = ${imp!.id}`;
    await expect(processed).toHaveText("400 of 1,000 rows", { timeout: 5_000 });
    const shownAt = Date.now();
    await expect(page.getByRole("progressbar", { name: "Import progress" })).toHaveAttribute("aria-valuenow", "40");

    const [message] = liveMessages(stream, "import", writtenAt);
    expect(message, "the import's event on the stream").toBeDefined();
    expect(message!.at - writtenAt).toBeLessThan(1_000);
    const after = reads().filter((r) => r.at >= writtenAt);
    expect(after.length).toBeGreaterThan(0);
    expect(after[0]!.at).toBeGreaterThanOrEqual(message!.at - CHANNEL_SKEW_MS);
    expect(after[0]!.at - writtenAt).toBeLessThan(1_000);
    latency("stream event after the write", message!.at - writtenAt);
    latency("page's read after the write", after[0]!.at - writtenAt);
    latency("page showed it after the write", shownAt - writtenAt);
    expect(await sameDocument(page)).toBe(true);
    await expectAccessible(page);
  } finally {
    await sql`delete from public.lead_imports where file_name = ${fileName}`;
    await sql.end();
  }
});

/**
 * How a chunk of next dev (Turbopack) defines the edit form's module, as opposed to the chunks
 * that only name it (the lead page's lazy loader).
 */
const EDIT_FORM_MODULE = '"[project]/components/leads/detail/edit-lead-form.tsx [app-client] (ecmascript)", ((__turbopack_context__)';

test("text typed into a lead's edit form while its code loads is still there once the page is live and the form works", async ({
  page,
}) => {
  await logIn(page, ACME_ADMIN);
  const lastName = `Typing-${unique()}`;
  const leadUrl = await createLead(page, { firstName: "Inès", lastName });
  await page.goto("/");

  // The edit form's code (loaded lazily: components/leads/detail/lead-controls.tsx) is held back,
  // so the form stays the server's HTML, not yet hydrated, for as long as this test says: what a
  // slow phone or a busy machine meets for a moment, made to last. (Routing turns the HTTP cache off.)
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = 0;
  await page.route("**/_next/static/chunks/*.js", async (route) => {
    const response = await route.fetch();
    const body = await response.text();
    if (body.includes(EDIT_FORM_MODULE)) {
      held++;
      await released;
    }
    await route.fulfill({ response, body });
  });
  const stream = await tapLiveStream(page);
  const openedAt = Date.now();
  // Not until "load": the held script holds the load event too.
  await page.goto(leadUrl, { waitUntil: "domcontentloaded" });
  await page.locator("summary", { hasText: "Edit lead" }).click();
  const form = page.getByRole("form", { name: "Edit lead" });
  await form.getByLabel("City").fill("Lyon");

  // The page's live connection comes up meanwhile: its status changing must not make React throw
  // the form's server HTML away and render it afresh (empty), as a non-transition update would.
  await expectConnected(stream, openedAt);
  // React takes the new status within milliseconds; a second lets it show what it did with it.
  await page.waitForTimeout(1_000);
  expect(held, "the edit form's code was held back").toBe(1);
  await expect(form.getByLabel("City")).toHaveValue("Lyon");

  release();
  await expectHydrated(form, "the edit form");
  await expect(form.getByLabel("City")).toHaveValue("Lyon");
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Lead saved.")).toBeVisible();
  await expect(page.getByTestId("lead-timeline")).toContainText("set City to “Lyon”");
});

test("a page opens one live connection, not one per mount of its provider", async ({ page }) => {
  await logIn(page, ACME_ADMIN);
  const streams: number[] = [];
  // Only the leads page's own: Home's connection (opened a task after its load, so possibly
  // after logIn returned) is another page's.
  page.on(
    "request",
    (request) =>
      new URL(request.url()).pathname === "/api/events" && new URL(request.frame().url()).pathname === "/leads" && streams.push(Date.now()),
  );
  const stream = await tapLiveStream(page);
  const openedAt = Date.now();
  await page.goto("/leads");
  await expectConnected(stream, openedAt);
  // A second connection would have been asked for within milliseconds of the first.
  await page.waitForTimeout(1_000);
  expect(streams).toHaveLength(1);
});

test("the event stream answers 401 and streams nothing without a session", async ({ request }) => {
  const response = await request.get("/api/events", { headers: { accept: "text/event-stream" } });
  expect(response.status()).toBe(401);
  expect(response.headers()["content-type"]).toContain("application/json");
  expect(await response.json()).toEqual({ message: expect.stringContaining("Log in again") });
});
