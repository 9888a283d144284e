import { expect, test } from "@playwright/test";
import { storedRateLimitKey } from "../lib/rate-limit/stored-key";
import { DEMO_PASSWORD, GLOBEX_ADMIN, expectAccessible, unique, HOME_URL } from "./helpers";
import { e2eDatabase } from "./mail";

test("a person over the actions limit reads when to try again, keeps what they typed, and goes on once under it", async ({
  page,
  baseURL,
}, info) => {
  test.setTimeout(300_000);
  const email = `limited-${unique()}@example.test`;
  // Run alone, this spec meets a cold dev server: its sign-in compiles /leads, which on a busy
  // 2-core machine takes longer than logIn waits. In the suite, earlier specs compiled it.
  await page.goto("/login");
  await page.getByLabel("Work email").fill(GLOBEX_ADMIN);
  await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(HOME_URL, { timeout: 180_000 });
  await page.goto("/leads/new", { timeout: 120_000 });
  await page.getByLabel("First name").fill("Rita");
  await page.getByLabel("Email").fill(email);

  // This person's actions counter, full for the next 45 seconds: as after 600 actions in a minute
  // (RATE_LIMIT_ACTIONS_PER_MINUTE), without sending them. Only this person is held back.
  const sql = e2eDatabase(info);
  const [user] = await sql<{ id: string }[]>`select id from auth.users where email = ${GLOBEX_ADMIN}`;
  const key = storedRateLimitKey(baseURL!, "actions-user", user!.id);
  try {
    await sql`
      insert into private.rate_limits (key, points, expire) values (${key}, 1000000, now() + interval '45 seconds')
      on conflict (key) do update set points = excluded.points, expire = excluded.expire`;
    await page.getByRole("button", { name: "Add lead" }).click();
    const form = page.getByRole("form", { name: "New lead" });
    await expect(form.getByRole("alert")).toHaveText(/^Too many requests — try again in \d+ seconds\.$/);
    await expect(page.getByLabel("Email")).toHaveValue(email);
    await expectAccessible(page);
  } finally {
    await sql`delete from private.rate_limits where key = ${key}`;
    await sql.end();
  }

  await page.getByRole("button", { name: "Add lead" }).click();
  await expect(page).toHaveURL(/\/leads\/[0-9a-f-]{36}$/, { timeout: 60_000 });
});
