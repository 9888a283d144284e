import { eq } from "drizzle-orm";
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
import { deleteImportMapping, listImportMappings, saveImportMapping } from "./saved-mappings";

let f: TenancyFixture;
const actor = (m: TenancyMember, workspaceId = f.a.id) => ({ workspaceId, userId: m.id, role: m.role });
const email = { kind: "field", field: "email" } as const;
const company = { kind: "field", field: "company_name" } as const;

const save = (m: TenancyMember, name: string, columns: Record<string, unknown> = { Email: email }, workspaceId = f.a.id) =>
  asUser(m, (tx) => saveImportMapping(tx, actor(m, workspaceId), { name, columns: columns as never }));
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
        columns: { Email: email, Company: company },
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
    const saved = await executeAction(saveImportMappingAction.definition, rep, { name: " Via action ", columns: { Email: email } });
    expect(saved).toMatchObject({ ok: true, data: { id: expect.any(String) } });

    const viewer = await sessionOf(f.a.members.viewer, f.a.id);
    expect(await executeAction(saveImportMappingAction.definition, viewer, { name: "Viewer's", columns: { Email: email } })).toMatchObject({
      ok: false,
      code: "forbidden",
      error: expect.stringContaining("Your role does not allow this"),
    });
    expect(
      await executeAction(deleteImportMappingAction.definition, viewer, { mappingId: (saved as { data: { id: string } }).data.id }),
    ).toMatchObject({ ok: false, code: "forbidden" });

    const bad = await executeAction(saveImportMappingAction.definition, rep, {
      name: "",
      columns: { Email: { kind: "field", field: "password" } },
    });
    expect(bad).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { name: ["Give the mapping a name."] } });
    expect(await namesSeenBy(f.a.members.sales_rep)).toContain("Via action");
    expect(await namesSeenBy(f.a.members.sales_rep)).not.toContain("Viewer's");
  });
});
