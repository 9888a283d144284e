import { expect, test } from "@playwright/test";
import { storedRateLimitKey } from "../lib/rate-limit/stored-key";
import { ACME_ADMIN, GLOBEX_ADMIN, expectAccessible, logIn, mainNav } from "./helpers";
import { e2eDatabase } from "./mail";

test("an admin inspects the seeded digest run and replays it", async ({ page }) => {
  await logIn(page, ACME_ADMIN);
  await mainNav(page).getByRole("link", { name: "Jobs" }).click();
  await page.getByRole("combobox", { name: "Status" }).selectOption("failed");
  await expect(page).toHaveURL(/status=failed/);
  await expect(page.getByRole("heading", { name: "No runs match these filters" })).toBeVisible();
  await page.getByRole("combobox", { name: "Status" }).selectOption("");
  // The demo campaign's hundreds of sequence and webhook runs come after the seed's digest: find it by its function.
  await page.getByRole("combobox", { name: "Function" }).selectOption("compose-workspace-digest");
  await expect(page).toHaveURL(/function=compose-workspace-digest/);
  await expect(page.getByRole("link", { name: "compose-workspace-digest" }).first()).toBeVisible();
  await expectAccessible(page);

  // The digest sleeps a few seconds between its steps; the run page refreshes itself until it ends.
  await page.getByRole("link", { name: "compose-workspace-digest" }).first().click();
  await expect(page.getByTestId("step-compose-digest")).toContainText("completed", { timeout: 30_000 });
  await expect(page.getByTestId("step-load-workspace")).toContainText("completed");
  await expect(page.getByText("workspace/digest.requested")).toBeVisible();
  await expect(page.getByTestId("run-result")).toContainText("Welcome to Acme Outbound");
  await expectAccessible(page);

  await page.getByRole("button", { name: "Replay" }).click();
  await expect(page.getByText("Replay started.")).toBeVisible();
  await expect(page.getByRole("link", { name: "an earlier run" })).toBeVisible();
  await expect(page.getByTestId("step-compose-digest")).toContainText("completed", { timeout: 30_000 });
});

test("a replay refused because another run does the same work offers that run", async ({ page }, info) => {
  await logIn(page, ACME_ADMIN);
  await page.goto("/jobs?function=compose-workspace-digest");
  await page.getByRole("link", { name: "compose-workspace-digest" }).first().click();
  await expect(page.getByTestId("run-result")).toContainText("Welcome to Acme Outbound", { timeout: 30_000 });
  const runId = new URL(page.url()).pathname.split("/").pop()!;

  // Another run of the same event, queued for an hour from now: the executor leaves it alone while the page is used.
  const sql = e2eDatabase(info);
  const [busy] = await sql<{ id: string }[]>`
    insert into job_runs (workspace_id, function_id, event_id, next_at)
    select workspace_id, function_id, event_id, now() + interval '1 hour' from job_runs where id = ${runId}
    returning id`;
  try {
    await page.getByRole("button", { name: "Replay" }).click();
    await expect(
      page.getByText("Another run of this job is doing the same work now: cancel it first, or wait for it to end."),
    ).toBeVisible();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Open that run" }).click();
    await expect(page).toHaveURL(new RegExp(`/jobs/${busy!.id}$`));
    await expect(page.getByRole("button", { name: "Cancel" })).toBeVisible();
  } finally {
    await sql`delete from job_runs where id = ${busy!.id}`;
    await sql.end();
  }
});

test("stepping through a filter with the arrow keys loads the last choice once, leaving one entry in the history", async ({ page }) => {
  await logIn(page, ACME_ADMIN);
  await page.goto("/jobs");
  const time = page.getByRole("combobox", { name: "Time" });
  await expect(time).toHaveValue("all");
  const entries = await page.evaluate(() => history.length);
  const loads: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/jobs" && request.headers()["rsc"] === "1") loads.push(request.url());
  });
  await time.focus();
  // Any time → Last hour → Last 24 hours → Last 7 days, a key press at a time as a keyboard user reads them.
  for (let i = 0; i < 3; i++) await time.press("ArrowDown");
  await expect(time).toHaveValue("7d");
  await expect(page).toHaveURL(/range=7d/);
  // No page for the options passed over (the page's own refresh may load the last one again).
  expect(new Set(loads.map((url) => new URL(url).searchParams.get("range")).filter(Boolean))).toEqual(new Set(["7d"]));
  expect(await page.evaluate(() => history.length)).toBe(entries + 1);
  await page.goBack();
  await expect(page).not.toHaveURL(/range=/);
  await expect(time).toHaveValue("all");
});

test("the Jobs page shows only this workspace's runs", async ({ page }) => {
  await logIn(page, "admin@globex.test");
  await page.goto("/jobs");
  await page.getByRole("link", { name: "compose-workspace-digest" }).first().click();
  await expect(page.getByTestId("run-result")).toContainText("Welcome to Globex", { timeout: 30_000 });
  await expect(page.getByText("Acme Outbound")).toHaveCount(0);
});

test("past the workspace's hourly limit on replays, a replay is refused with when to try again; under it, it starts", async ({
  page,
  baseURL,
}, info) => {
  await logIn(page, GLOBEX_ADMIN);
  await page.goto("/jobs?function=compose-workspace-digest");
  await page.getByRole("link", { name: "compose-workspace-digest" }).first().click();
  await expect(page.getByTestId("run-result")).toContainText("Welcome to Globex", { timeout: 30_000 });

  // Globex's job-replays counter, full for the next minute: as after 120 replays and retries within
  // the hour (RATE_LIMIT_JOB_REPLAYS_PER_HOUR), without making them.
  const sql = e2eDatabase(info);
  const [globex] = await sql<{ id: string }[]>`
    select m.workspace_id as id from workspace_members m join auth.users u on u.id = m.user_id where u.email = ${GLOBEX_ADMIN} limit 1`;
  const key = storedRateLimitKey(baseURL!, "workspace-job-replays", globex!.id);
  const replays = async () =>
    (await sql<{ n: number }[]>`select count(*)::int as n from job_runs where workspace_id = ${globex!.id} and replay_of is not null`)[0]!
      .n;
  try {
    const before = await replays();
    await sql`
      insert into private.rate_limits (key, points, expire) values (${key}, 1000000, now() + interval '60 seconds')
      on conflict (key) do update set points = excluded.points, expire = excluded.expire`;
    await page.getByRole("button", { name: "Replay" }).click();
    await expect(
      page.getByText(
        /^This workspace has replayed or retried 120 runs within the last hour, the most allowed — try again in \d+ seconds\.$/,
      ),
    ).toBeVisible();
    await expectAccessible(page);
    expect(await replays()).toBe(before);
  } finally {
    await sql`delete from private.rate_limits where key = ${key}`;
    await sql.end();
  }
  await page.getByRole("button", { name: "Replay" }).click();
  await expect(page.getByText("Replay started.")).toBeVisible();
});
