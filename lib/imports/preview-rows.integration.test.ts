import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestImport } from "@/tests/fixtures/imports";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { listImportPreviewRows } from "./preview-rows";

let f: TenancyFixture;
let importId: string;

beforeAll(async () => {
  f = await createTenancyFixture();
  const rows = Array.from({ length: 25 }, (_, i) => [`lead-${i + 1}@acme.example`, `Name ${i + 1}`]);
  importId = await createTestImport({ workspaceId: f.a.id, createdBy: f.a.members.sales_rep.id, headers: ["Email", "Name"], rows });
});
afterAll(async () => {
  await removeTenancyFixture(f);
});

describe("listImportPreviewRows", () => {
  it("gives the first rows in file order to the workspace's importers", async () => {
    const rows = await asUser(f.a.members.manager, (tx) => listImportPreviewRows(tx, { workspaceId: f.a.id, importId }));
    expect(rows).toHaveLength(20);
    expect(rows[0]).toEqual({ rowNumber: 1, fields: ["lead-1@acme.example", "Name 1"] });
    expect(rows.map((r) => r.rowNumber)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("gives nothing to a viewer or to another workspace, even naming this one", async () => {
    const scope = { workspaceId: f.a.id, importId };
    expect(await asUser(f.a.members.viewer, (tx) => listImportPreviewRows(tx, scope))).toEqual([]);
    expect(await asUser(f.b.members.admin, (tx) => listImportPreviewRows(tx, scope))).toEqual([]);
    expect(await asUser(f.b.members.admin, (tx) => listImportPreviewRows(tx, { workspaceId: f.b.id, importId }))).toEqual([]);
  });
});
