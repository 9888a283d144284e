import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { companyNamesAtDomains } from "@/lib/companies/company-names-at-domains";
import { createTestImport } from "@/tests/fixtures/imports";
import { asUser, createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { candidateDomains, companyNameNotes } from "./company-links";
import { mapRow } from "./map-row";
import { listImportPreviewRows } from "./preview-rows";
import { runImportBatch } from "./run-import-batch";
import type { ImportMapping, MatchRule } from "./types";

/**
 * The mapping preview's company notes (company-links.ts) against what the import then does: for
 * each rule, the name each row's lead ends up with is the file's own exactly when the preview
 * says nothing (or says the import renames the company), and otherwise the name the note gives.
 */

let fx: TenancyFixture;
beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
});
afterAll(() => removeTenancyFixture(fx, serviceDb()));

const HEADERS = ["Email", "Company"];
const MAPPING: ImportMapping = {
  columns: [
    { kind: "field", field: "email" },
    { kind: "field", field: "company_name" },
  ],
};

/** The preview as the mapping page builds it, in the importer's RLS transaction. */
async function previewNotes(importId: string, onMatch: MatchRule) {
  const { a } = fx;
  return asUser(a.members.manager, async (tx) => {
    const rows = await listImportPreviewRows(tx, { workspaceId: a.id, importId });
    const existing = await companyNamesAtDomains(tx, { workspaceId: a.id, domains: candidateDomains(rows) });
    return companyNameNotes(
      rows.map((r) => mapRow(r.fields, MAPPING, HEADERS)),
      existing,
      onMatch,
    );
  });
}

describe.each<MatchRule>(["skip", "fill_empty", "overwrite"])("an import's preview under %s", (onMatch) => {
  it("says which company name the import will not keep, and the import bears it out", async () => {
    const t = randomSuffix();
    const [known, bare, fresh] = [`known-${t}.example`, `bare-${t}.example`, `fresh-${t}.example`];
    await serviceDb().execute(sql`
      insert into public.companies (workspace_id, name, domain) values
        (${fx.a.id}, 'Café Ünïcode', ${known}), (${fx.a.id}, ${bare}, ${bare}), (${fx.b.id}, 'Globex Only', ${fresh})`);
    const rows = [
      [`ana@${known}`, "QA Corp"],
      [`bo@${known}`, "café ünïcode"],
      [`cy@${fresh}`, "Fresh Start"],
      [`di@${fresh}`, "Comma, Inc."],
      [`ed@${bare}`, "Bare Named"],
      [`fy@${bare}`, "Bare Other"],
      [`gus.${t}@gmail.com`, "Free Mail Co"],
    ];
    const importId = await createTestImport({
      workspaceId: fx.a.id,
      createdBy: fx.a.members.manager.id,
      headers: HEADERS,
      rows,
      start: { mapping: MAPPING, rules: { onMatch, owner: { kind: "none" }, tags: [] } },
    });

    const notes = await previewNotes(importId, onMatch);
    const joinsKnown = `${known} is already the company “Café Ünïcode”: the lead joins it under that name (one company per domain).`;
    const freshNote = `An earlier row names ${fresh} “Fresh Start”: the lead joins that company (one company per domain).`;
    // Globex's company at the fresh domain is not Acme's: it is neither named nor joined.
    expect(notes).toEqual(
      onMatch === "overwrite"
        ? [
            `${known} is already the company “Café Ünïcode”: this import renames it “QA Corp” for all its leads (“Overwrite”).`,
            `An earlier row names ${known} “QA Corp”: the lead joins that company (one company per domain).`,
            null,
            freshNote,
            null,
            `An earlier row names ${bare} “Bare Named”: the lead joins that company (one company per domain).`,
            null,
          ]
        : [
            joinsKnown,
            null,
            null,
            freshNote,
            onMatch === "skip"
              ? `${bare} is already the company “${bare}”: the lead joins it under that name (one company per domain).`
              : null,
            onMatch === "skip"
              ? `${bare} is already the company “${bare}”: the lead joins it under that name (one company per domain).`
              : `An earlier row names ${bare} “Bare Named”: the lead joins that company (one company per domain).`,
            null,
          ],
    );

    const ref = { workspaceId: fx.a.id, importId, requestedBy: fx.a.members.manager.id };
    expect(await runImportBatch(ref)).toMatchObject({ status: "completed" });
    const landed = await serviceDb().execute<{ email: string; company: string | null }>(sql`
      select l.email, c.name as company from public.leads l left join public.companies c on c.id = l.company_id
      where l.workspace_id = ${fx.a.id} and l.email like ${`%${t}%`}`);
    const companyOf = new Map(landed.map((l) => [l.email, l.company]));
    rows.forEach(([email, fileName = ""], i) => {
      const note = notes[i] ?? null;
      const named = note === null || note.includes("this import renames it") ? fileName : /“([^”]*)”: the lead joins/.exec(note)![1]!;
      // A free-mail row's company is found or made by its name (merge-sql.ts): no domain, no note.
      // Names differing only in case are the same name to the preview.
      expect({ email, company: companyOf.get(email!)?.toLowerCase() }).toEqual({ email, company: named.toLowerCase() });
    });
  });
});

it("looks up only the caller's workspace's companies", async () => {
  const t = randomSuffix();
  await serviceDb().execute(sql`
    insert into public.companies (workspace_id, name, domain) values (${fx.a.id}, 'Acme Side', ${`both-${t}.example`}),
      (${fx.b.id}, 'Globex Side', ${`both-${t}.example`}), (${fx.b.id}, 'Globex Alone', ${`alone-${t}.example`})`);
  const domains = [`both-${t}.example`, `alone-${t}.example`, `none-${t}.example`];
  expect(await asUser(fx.a.members.viewer, (tx) => companyNamesAtDomains(tx, { workspaceId: fx.a.id, domains }))).toEqual({
    [`both-${t}.example`]: "Acme Side",
  });
  // Asking for the other workspace's id under A's member's session finds nothing (RLS).
  expect(await asUser(fx.a.members.viewer, (tx) => companyNamesAtDomains(tx, { workspaceId: fx.b.id, domains }))).toEqual({});
});
