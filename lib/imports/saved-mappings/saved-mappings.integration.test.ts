import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteImportMappingAction, saveImportMappingAction } from "@/app/(app)/imports/[id]/mapping/actions";
import { serviceDb } from "@/db";
import { leadImportMappings } from "@/db/schema";
import { executeAction } from "@/lib/actions/execute-action";
import { resolveSession } from "@/lib/auth/session";
import {
  asUser,
  claimsFor,
  createTenancyFixture,
  outcome,
  removeTenancyFixture,
  startTestSession,
  type TenancyFixture,
  type TenancyMember,
} from "@/tests/fixtures/tenancy";
import { createTestImport } from "@/tests/fixtures/imports";
import { listImportIssues } from "../list-import-issues";
import { customFieldKeyOf } from "../presets/header-key";
import { runImportBatch } from "../run-import-batch";
import type { ColumnTarget } from "../types";
import { applySavedColumns, toSavedColumns } from "./columns";
import { deleteImportMapping, listImportMappings, saveImportMapping } from "./saved-mappings";

let f: TenancyFixture;
const actor = (m: TenancyMember, workspaceId = f.a.id) => ({ workspaceId, userId: m.id, role: m.role });
const email = { kind: "field", field: "email" } as const;
const company = { kind: "field", field: "company_name" } as const;

/** `{ Email: email }` as a saved mapping's pairs. */
const pairs = (columns: Record<string, unknown>) => Object.entries(columns).map(([header, target]) => ({ header, target }));
const save = (m: TenancyMember, name: string, columns: Record<string, unknown> = { Email: email }, workspaceId = f.a.id) =>
  asUser(m, (tx) => saveImportMapping(tx, actor(m, workspaceId), { name, columns: pairs(columns) as never }));
const namesSeenBy = async (m: TenancyMember, workspaceId = f.a.id) =>
  (await asUser(m, (tx) => listImportMappings(tx, actor(m, workspaceId)))).map((x) => x.name);

async function sessionOf(m: TenancyMember, workspaceId: string) {
  return resolveSession(claimsFor(m.id, m.email, await startTestSession(serviceDb(), m.id)), workspaceId);
}

beforeAll(async () => {
  f = await createTenancyFixture();
});
afterAll(async () => {
  await removeTenancyFixture(f);
});

describe("saved import mappings", () => {
  it("are shared with the workspace's importers and invisible to another workspace", async () => {
    await save(f.a.members.sales_rep, "Apollo weekly", { Email: email, Company: company });
    await save(f.b.members.admin, "Globex list", { Email: email }, f.b.id);
    const seen = await asUser(f.a.members.manager, (tx) => listImportMappings(tx, actor(f.a.members.manager)));
    expect(seen).toEqual([
      {
        id: expect.any(String),
        name: "Apollo weekly",
        columns: pairs({ Email: email, Company: company }),
        createdBy: f.a.members.sales_rep.id,
        createdByName: f.a.members.sales_rep.fullName,
        canChange: false,
      },
    ]);
    expect(await namesSeenBy(f.b.members.admin, f.b.id)).toEqual(["Globex list"]);
    // Asking for workspace A's mappings as a member of B finds nothing (RLS), nor can B save into A.
    expect(await namesSeenBy(f.b.members.admin, f.a.id)).toEqual([]);
    expect(await outcome(() => save(f.b.members.admin, "Into Acme", { Email: email }, f.a.id))).toBe("denied");
  });

  it("refuse a viewer and an analyst, in the service and in the database", async () => {
    for (const m of [f.a.members.viewer, f.a.members.analyst]) {
      await expect(save(m, "Mine")).rejects.toMatchObject({ code: "forbidden", message: expect.stringContaining("cannot save mappings") });
      await expect(asUser(m, (tx) => listImportMappings(tx, actor(m)))).rejects.toMatchObject({ code: "forbidden" });
      const direct = await outcome(() =>
        asUser(m, (tx) =>
          tx.insert(leadImportMappings).values({ workspaceId: f.a.id, createdBy: m.id, name: "Direct", columns: { Email: email } }),
        ),
      );
      expect(direct).toBe("denied");
      expect(await asUser(m, (tx) => tx.select().from(leadImportMappings))).toEqual([]);
    }
  });

  it("replace one's own mapping of the same name (any case), and refuse a teammate's name", async () => {
    const rep = f.a.members.sales_rep;
    const { id } = await save(rep, "Trade fair", { Email: email });
    const again = await save(rep, "trade FAIR", { "E-mail": email, Firma: company });
    expect(again.id).toBe(id);
    const [row] = await serviceDb().select().from(leadImportMappings).where(eq(leadImportMappings.id, id));
    expect(row).toMatchObject({ name: "trade FAIR", columns: { "E-mail": email, Firma: company } });

    await expect(save(f.a.members.manager, "Trade Fair")).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("A teammate already saved a mapping named “trade FAIR”"),
    });
  });

  it("are deleted by their creator or an admin only; another workspace's id is not found", async () => {
    const rep = f.a.members.sales_rep;
    const { id } = await save(rep, "To delete");
    const manager = f.a.members.manager;
    await expect(asUser(manager, (tx) => deleteImportMapping(tx, actor(manager), { mappingId: id }))).rejects.toMatchObject({
      code: "forbidden",
    });
    // The database refuses the same delete if a service forgot to check (RLS backstop).
    const hijack = await asUser(manager, (tx) =>
      tx.delete(leadImportMappings).where(eq(leadImportMappings.id, id)).returning({ id: leadImportMappings.id }),
    );
    expect(hijack).toEqual([]);

    const bAdmin = f.b.members.admin;
    await expect(asUser(bAdmin, (tx) => deleteImportMapping(tx, actor(bAdmin, f.b.id), { mappingId: id }))).rejects.toMatchObject({
      code: "not_found",
    });
    expect(await serviceDb().select().from(leadImportMappings).where(eq(leadImportMappings.id, id))).toHaveLength(1);

    const admin = f.a.members.admin;
    await asUser(admin, (tx) => deleteImportMapping(tx, actor(admin), { mappingId: id }));
    expect(await serviceDb().select().from(leadImportMappings).where(eq(leadImportMappings.id, id))).toEqual([]);
  });
});

describe("saved mapping actions", () => {
  it("save for an importer, refuse a viewer with words, and validate the columns", async () => {
    const rep = await sessionOf(f.a.members.sales_rep, f.a.id);
    const saved = await executeAction(saveImportMappingAction.definition, rep, { name: " Via action ", columns: pairs({ Email: email }) });
    expect(saved).toMatchObject({ ok: true, data: { id: expect.any(String) } });

    const viewer = await sessionOf(f.a.members.viewer, f.a.id);
    expect(
      await executeAction(saveImportMappingAction.definition, viewer, { name: "Viewer's", columns: pairs({ Email: email }) }),
    ).toMatchObject({
      ok: false,
      code: "forbidden",
      error: expect.stringContaining("Your role does not allow this"),
    });
    expect(
      await executeAction(deleteImportMappingAction.definition, viewer, { mappingId: (saved as { data: { id: string } }).data.id }),
    ).toMatchObject({ ok: false, code: "forbidden" });

    const bad = await executeAction(saveImportMappingAction.definition, rep, {
      name: "",
      columns: pairs({ Email: { kind: "field", field: "password" } }),
    });
    expect(bad).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { name: ["Give the mapping a name."] } });
    expect(await namesSeenBy(f.a.members.sales_rep)).toContain("Via action");
    expect(await namesSeenBy(f.a.members.sales_rep)).not.toContain("Viewer's");
  });
});

describe("columns headed with a name of Object.prototype (__proto__, constructor, toString)", () => {
  const headers = ["Email", "__proto__", "constructor", "toString"];
  // What the mapping page offers for each as a custom field: proto, constructor, tostring.
  const columns: ColumnTarget[] = headers.map((header, i) => (i === 0 ? email : { kind: "custom", key: customFieldKeyOf(header, i) }));

  it("are kept by a saved mapping, from the action to the table and back onto the file, and the import fills them", async () => {
    const rep = f.a.members.sales_rep;
    const name = "Prototype columns";
    const saved = await executeAction(saveImportMappingAction.definition, await sessionOf(rep, f.a.id), {
      name,
      columns: toSavedColumns(headers, columns),
    });
    expect(saved).toMatchObject({ ok: true });
    const [stored] = await serviceDb().execute<{ keys: string[] }>(
      sql`select array(select jsonb_object_keys(columns)) as keys from lead_import_mappings where workspace_id = ${f.a.id} and name = ${name}`,
    );
    expect([...stored!.keys].sort()).toEqual([...headers].sort());
    const mapping = (await asUser(rep, (tx) => listImportMappings(tx, actor(rep)))).find((m) => m.name === name);
    const applied = applySavedColumns(headers, mapping!.columns);
    expect(applied).toEqual(columns);

    // A file with those columns, mapped by the saved mapping: each value lands in its custom field.
    const address = `prototype-${f.a.slug}@example.com`;
    const importId = await createTestImport({
      workspaceId: f.a.id,
      createdBy: rep.id,
      headers,
      rows: [
        [address, "from __proto__", "from constructor", "from toString"],
        ["", "no", "email", "here"],
      ],
      start: { mapping: { columns: applied }, rules: { onMatch: "skip", owner: { kind: "none" }, tags: [] } },
    });
    const ref = { workspaceId: f.a.id, importId, requestedBy: rep.id };
    for (let i = 0; i < 10 && (await runImportBatch(ref, 10)).status === "running"; i++);
    const [lead] = await serviceDb().execute<{ custom_fields: Record<string, string> }>(
      sql`select custom_fields from leads where workspace_id = ${f.a.id} and email = ${address}`,
    );
    expect(lead!.custom_fields).toEqual({ proto: "from __proto__", constructor: "from constructor", tostring: "from toString" });
    // The failed row's values, by the file's column names, every one of them.
    const issues = await asUser(rep, (tx) => listImportIssues(tx, { workspaceId: f.a.id, importId, after: 0, outcomes: ["failed"] }));
    const fields = issues!.rows[0]!.fields!;
    expect(Object.keys(fields)).toEqual(headers);
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(fields))).toEqual({ Email: "", ["__proto__"]: "no", constructor: "email", toString: "here" });
    expect(({} as Record<string, unknown>).kind).toBeUndefined();
  });

  it("are read from a mapping saved before, as the table holds it", async () => {
    // JSON text: an object literal's `__proto__:` would set a prototype, not a key.
    const storedBefore =
      '{"Work Email": {"kind": "field", "field": "email"}, "__proto__": {"kind": "custom", "key": "proto"}, "constructor": {"kind": "custom", "key": "constructor"}}';
    const admin = f.a.members.admin;
    await serviceDb().execute(sql`
      insert into lead_import_mappings (workspace_id, created_by, name, columns)
      values (${f.a.id}, ${admin.id}, 'Saved before', ${storedBefore}::jsonb)`);
    const mapping = (await asUser(admin, (tx) => listImportMappings(tx, actor(admin)))).find((m) => m.name === "Saved before");
    expect(applySavedColumns(["constructor", "__proto__", "Work Email"], mapping!.columns)).toEqual([
      { kind: "custom", key: "constructor" },
      { kind: "custom", key: "proto" },
      email,
    ]);
  });
});
