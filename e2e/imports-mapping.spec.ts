import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, GLOBEX_ADMIN, logIn, unique } from "./helpers";
import { e2eDatabase } from "./mail";

/**
 * The mapping page of an Apollo export uploaded through POST /api/imports: the preset is detected, a column is
 * changed, the mapping is saved for the next file, and starting the import leads to its
 * page. Another workspace's admin and a viewer never reach it.
 */

const REP = "rep@acme.test";

// The first test of a dev run waits for next dev's first compiles (a minute on a busy 2-core machine).
test.describe.configure({ timeout: 180_000 });

// A slice of Apollo's newer export layout (vendors/apollo-phantombuster-openai.md §1.10).
const HEADERS = [
  "First Name",
  "Last Name",
  "Title",
  "Company Name",
  "Company Name for Emails",
  "Email",
  "Email Status",
  "Seniority",
  "Work Direct Phone",
  "Person Linkedin Url",
  "Website",
  "City",
  "State",
  "Country",
  "Apollo Contact Id",
  "Apollo Account Id",
];

function apolloRows(tag: string): string[][] {
  return [
    [
      "Zoë",
      "Ångström",
      "Head of Growth",
      "Fjäll AB",
      "Fjäll",
      `zoe-${tag}@fjall.example`,
      "Verified",
      "Head",
      "'+46 31 123 45",
      "",
      "fjall.example",
      "Göteborg",
      "Västra Götaland",
      "Sweden",
      `c1-${tag}`,
      `a1-${tag}`,
    ],
    [
      "Björn",
      "Nuñez",
      "CTO",
      "Fjäll AB",
      "Fjäll",
      "not-an-email",
      "Guessed",
      "C-Suite",
      "",
      "",
      "fjall.example",
      "Malmö",
      "Skåne",
      "Sweden",
      `c2-${tag}`,
      `a1-${tag}`,
    ],
    [
      "Hina",
      "Sato",
      "CEO",
      "Sato KK",
      "Sato",
      "",
      "Unavailable",
      "Owner",
      "",
      `https://linkedin.com/in/hina-${tag}`,
      "sato.example",
      "Tokyo",
      "",
      "Japan",
      `c3-${tag}`,
      `a2-${tag}`,
    ],
  ];
}

function csvOf(rows: string[][]): string {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return rows.map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

/** Uploads the Apollo file through the upload route, as the signed-in page's upload card does. */
async function uploadImport(page: Page, tag: string): Promise<string> {
  const response = await page.request.post("/api/imports", {
    headers: { "x-file-name": encodeURIComponent(`apollo-${tag}.csv`), "content-type": "text/csv" },
    data: Buffer.from(csvOf([HEADERS, ...apolloRows(tag)]), "utf8"),
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { importId: string }).importId;
}

test("a rep accepts the detected Apollo preset, changes a column, saves the mapping and starts the import", async ({ page }, info) => {
  const tag = unique();
  await logIn(page, REP);
  const importId = await uploadImport(page, tag);
  await page.goto(`/imports/${importId}/mapping`);

  await expect(page.getByRole("heading", { name: `Map the columns of apollo-${tag}.csv`, level: 1 })).toBeVisible();
  await expect(page.getByText("Detected: Apollo.io contacts export")).toBeVisible();
  await expect(page.getByLabel("Start from")).toHaveValue("preset:apollo");
  await expect(page.getByLabel("What column “Email” fills")).toHaveValue("field:email");
  await expect(page.getByLabel("What column “Work Direct Phone” fills")).toHaveValue("field:phone");
  await expect(page.getByLabel("What column “State” fills")).toHaveValue("ignore");

  // The preview marks what the import will do with each of the first rows, and why.
  const preview = page.getByRole("region", { name: "Preview of the first rows" });
  await expect(page.getByText("Of the first 3 rows: 2 will be imported, 1 will fail.")).toBeVisible();
  await expect(preview.getByRole("row", { name: /^2 / })).toContainText(
    "“Email” is not an email address".replaceAll("“", '"').replaceAll("”", '"'),
  );
  await expect(preview.locator("tbody tr").nth(0)).toContainText("Leading apostrophe removed.");
  await expectAccessible(page);

  // Keep the state as a custom field; take the company from the short name instead.
  await page.getByLabel("What column “State” fills").selectOption("custom");
  await expect(page.getByLabel("Custom field name")).toHaveValue("state");
  await page.getByLabel("What column “Company Name for Emails” fills").selectOption("field:company_name");
  await expect(page.getByLabel("What column “Company Name” fills")).toHaveValue("ignore");
  await expect(page.getByRole("status").filter({ hasText: "Company name now comes from" })).toBeVisible();
  await expect(preview.getByRole("columnheader", { name: /Custom field “state”/ })).toBeVisible();

  // Saved for the next file, and offered from then on.
  const name = `Apollo weekly ${tag}`;
  await page.getByLabel("Save this mapping as").fill(name);
  await page.getByRole("button", { name: "Save mapping" }).click();
  await expect(page.getByText(`Mapping “${name}” saved.`)).toBeVisible();
  await expect(page.getByLabel("Start from")).toHaveValue(/^saved:/);
  await expect(page.getByLabel("Start from").locator("option", { hasText: name })).toHaveCount(1);
  await expect(page.getByLabel("Save this mapping as")).toHaveValue(name);

  // Rules: overwrite on a match, tag the leads.
  await page.getByLabel("Overwrite").check();
  await page.getByLabel("Tags to add").fill(`fair-${tag}, q4`);
  await expectAccessible(page);
  await page.getByRole("button", { name: "Start import" }).click();
  // next dev compiles the import's page on its first visit: on a busy 2-core machine, a minute.
  await expect(page).toHaveURL(new RegExp(`/imports/${importId}$`), { timeout: 60_000 });

  const sql = e2eDatabase(info);
  try {
    const [imp] = await sql<
      {
        status: string;
        mapping: { columns: { kind: string; key?: string; field?: string }[] };
        rules: { onMatch: string; tags: string[] };
      }[]
    >`
      select status, mapping, rules from public.lead_imports where id = ${importId}`;
    expect(imp!.status).not.toBe("mapping");
    expect(imp!.mapping.columns[HEADERS.indexOf("State")]).toEqual({ kind: "custom", key: "state" });
    expect(imp!.mapping.columns[HEADERS.indexOf("Company Name for Emails")]).toEqual({ kind: "field", field: "company_name" });
    expect(imp!.rules).toMatchObject({ onMatch: "overwrite", tags: [`fair-${tag}`, "q4"] });
    const [saved] = await sql<{ columns: Record<string, unknown> }[]>`select columns from public.lead_import_mappings where name = ${name}`;
    expect(saved!.columns).toMatchObject({ State: { kind: "custom", key: "state" }, Email: { kind: "field", field: "email" } });
  } finally {
    await sql.end();
  }

  // Once started, the mapping page sends people to the import's own page.
  await page.goto(`/imports/${importId}/mapping`);
  await expect(page).toHaveURL(new RegExp(`/imports/${importId}$`));
});

test("an import without an email or LinkedIn column cannot start, and says why", async ({ page }) => {
  const tag = unique();
  await logIn(page, REP);
  const importId = await uploadImport(page, tag);
  await page.goto(`/imports/${importId}/mapping`);
  await page.getByLabel("What column “Email” fills").selectOption("ignore");
  await page.getByLabel("What column “Person Linkedin Url” fills").selectOption("ignore");
  await page.getByRole("button", { name: "Start import" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Map a column to Email or LinkedIn URL" })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/imports/${importId}/mapping$`));
});

test("another workspace's admin gets a 404 and a viewer is refused", async ({ page }) => {
  await logIn(page, REP);
  const importId = await uploadImport(page, unique());
  await page.context().clearCookies();
  await logIn(page, GLOBEX_ADMIN);
  const response = await page.goto(`/imports/${importId}/mapping`);
  expect(response?.status()).toBe(404);
  const unknown = await page.goto(`/imports/00000000-0000-4000-8000-000000000000/mapping`);
  expect(unknown?.status()).toBe(404);

  await page.context().clearCookies();
  await logIn(page, "viewer@acme.test");
  await page.goto(`/imports/${importId}/mapping`);
  await expect(page).toHaveURL(/\/forbidden\?need=imports\.run/);
});

test("the preview says when a row's company name gives way to the company already at its domain", async ({ page }, info) => {
  const tag = unique();
  const known = `known-${tag}.example`;
  const sql = e2eDatabase(info);
  try {
    await sql`insert into public.companies (workspace_id, name, domain)
      select id, 'Café Ünïcode', ${known} from public.workspaces where name = 'Acme Outbound'`;
  } finally {
    await sql.end();
  }
  await logIn(page, REP);
  const response = await page.request.post("/api/imports", {
    headers: { "x-file-name": encodeURIComponent(`companies-${tag}.csv`), "content-type": "text/csv" },
    data: Buffer.from(
      csvOf([
        ["Email", "Company"],
        [`ana-${tag}@${known}`, "QA Corp"],
        [`bo-${tag}@${known}`, "Comma, Inc."],
      ]),
      "utf8",
    ),
  });
  expect(response.status(), await response.text()).toBe(201);
  const { importId } = (await response.json()) as { importId: string };
  await page.goto(`/imports/${importId}/mapping`);

  const preview = page.getByRole("region", { name: "Preview of the first rows" });
  const joins = `${known} is already the company “Café Ünïcode”: the lead joins it under that name (one company per domain).`;
  await expect(preview.locator("tbody tr").nth(0)).toContainText(joins);
  await expect(preview.locator("tbody tr").nth(1)).toContainText(joins);

  // Overwriting renames the company after the first row that names it; the second row joins it.
  await page.getByLabel("Overwrite").check();
  await expect(preview.locator("tbody tr").nth(0)).toContainText(
    `${known} is already the company “Café Ünïcode”: this import renames it “QA Corp” for all its leads (“Overwrite”).`,
  );
  await expect(preview.locator("tbody tr").nth(1)).toContainText(
    `An earlier row names ${known} “QA Corp”: the lead joins that company (one company per domain).`,
  );
  await expectAccessible(page);
});

test("Apollo's phones: Work Direct Phone first, then Mobile and Corporate when it is blank; a rep orders them by hand", async ({
  page,
}, info) => {
  const tag = unique();
  const headers = ["First Name", "Last Name", "Title", "Company Name", "Email", "Email Status", "Seniority", "Work Direct Phone"];
  headers.push("Mobile Phone", "Corporate Phone", "Person Linkedin Url", "Apollo Contact Id", "Apollo Account Id");
  const row = (name: string, work: string, mobile: string, corporate: string) =>
    [name, "Ødegård", "CTO", "Nordlys AS", `${name.toLowerCase()}-${tag}@nordlys.example`, "Verified", "C-Suite"].concat([
      work,
      mobile,
      corporate,
      "",
      `c-${name}-${tag}`,
      `a-${tag}`,
    ]);
  await logIn(page, REP);
  const response = await page.request.post("/api/imports", {
    headers: { "x-file-name": encodeURIComponent(`phones-${tag}.csv`), "content-type": "text/csv" },
    data: Buffer.from(
      csvOf([
        headers,
        row("Ingrid", "", "'+47 912 34 567", "+47 22 00 00 00"),
        row("Ola", "+47 23 45 67 89", "+47 987 65 432", ""),
        row("Kari", "", "", "+47 22 11 11 11"),
      ]),
      "utf8",
    ),
  });
  expect(response.status(), await response.text()).toBe(201);
  const { importId } = (await response.json()) as { importId: string };
  await page.goto(`/imports/${importId}/mapping`);

  await expect(page.getByLabel("What column “Work Direct Phone” fills")).toHaveValue("field:phone");
  await expect(page.getByLabel("What column “Mobile Phone” fills")).toHaveValue("fallback:phone");
  await expect(page.getByLabel("What column “Corporate Phone” fills")).toHaveValue("fallback:phone");
  await expect(page.getByText("When blank: “Mobile Phone”, then “Corporate Phone”.")).toBeVisible();
  const preview = page.getByRole("region", { name: "Preview of the first rows" });
  await expect(preview.locator("tbody tr").nth(0)).toContainText('Used because "Work Direct Phone" is blank.');
  await expect(preview.locator("tbody tr").nth(1)).toContainText('Not used: "Work Direct Phone" has a value.');
  await expectAccessible(page);

  // Corporate numbers first: Work Direct Phone given up, Corporate Phone takes its place, Mobile Phone after it.
  await page.getByLabel("What column “Work Direct Phone” fills").selectOption("ignore");
  await expect(page.getByRole("status").filter({ hasText: "Phone now comes from “Mobile Phone”." })).toBeVisible();
  await page.getByLabel("What column “Corporate Phone” fills").selectOption("field:phone");
  await expect(page.getByLabel("What column “Mobile Phone” fills")).toHaveValue("ignore");
  await page.getByLabel("What column “Mobile Phone” fills").selectOption({ label: "Phone (fallback)" });
  await expect(page.getByText("Used when “Corporate Phone” is blank.")).toBeVisible();
  await expect(page.getByText("When blank: “Mobile Phone”.")).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Start import" }).click();
  await expect(page).toHaveURL(new RegExp(`/imports/${importId}$`), { timeout: 60_000 });

  const sql = e2eDatabase(info);
  try {
    const phones = async () =>
      Object.fromEntries(
        (
          await sql<{ first_name: string; phone: string | null }[]>`
            select first_name, phone from public.leads where email like ${`%-${tag}@nordlys.example`}`
        ).map((l) => [l.first_name, l.phone]),
      );
    await expect.poll(phones, { timeout: 60_000 }).toEqual({ Ingrid: "+47 22 00 00 00", Ola: "+47 987 65 432", Kari: "+47 22 11 11 11" });
  } finally {
    await sql.end();
  }
});
