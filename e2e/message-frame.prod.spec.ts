import { test } from "@playwright/test";
import { ACME_ADMIN, logIn } from "./helpers";
import { e2eDatabase } from "./mail";
import { expectMessageFrameLoadsNothing } from "./message-frame";

test("an email shown in the demo Outbox loads nothing remote, and keeps its inline styles", async ({ page }, info) => {
  const sql = e2eDatabase(info);
  await logIn(page, ACME_ADMIN);
  await expectMessageFrameLoadsNothing(page, sql, (id) => `/settings/outbox?id=${id}`);
  await sql.end();
});
