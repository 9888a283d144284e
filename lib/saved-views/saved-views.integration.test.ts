import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { savedViews } from "@/db/schema";
import {
  asUser,
  createTenancyFixture,
  outcome,
  removeTenancyFixture,
  sqlState,
  type TenancyFixture,
  type TestUser,
} from "@/tests/fixtures/tenancy";
import { createSavedView, deleteSavedView, listSavedViews, updateSavedView } from "./saved-views";
import { ZCreateLeadView } from "./schemas";

let f: TenancyFixture;
const scope = (user: TestUser, workspaceId = f.a.id) => ({ workspaceId, userId: user.id, tableName: "leads" as const });
const create = (user: TestUser, name: string, shared: boolean, params: Record<string, string> = { status: "new" }) =>
  asUser(user, (tx) => createSavedView(tx, scope(user), { name, shared, params }));
const namesSeenBy = async (user: TestUser, workspaceId = f.a.id) =>
  (await asUser(user, (tx) => listSavedViews(tx, scope(user, workspaceId)))).map((v) => v.name);

beforeAll(async () => {
  f = await createTenancyFixture();
});
afterAll(async () => {
  await removeTenancyFixture(f);
});

describe("saved views", () => {
  it("keeps a private view to its owner and shows a shared one to the whole workspace, never to another", async () => {
    const rep = f.a.members.sales_rep;
    await create(rep, "My hot leads", false);
    await create(rep, "Team pipeline", true);
    expect(await namesSeenBy(rep)).toEqual(["My hot leads", "Team pipeline"]);
    expect(await namesSeenBy(f.a.members.viewer)).toEqual(["Team pipeline"]);
    expect(await namesSeenBy(f.b.members.admin, f.b.id)).toEqual([]);
    // Even asking for workspace A's views as a member of B finds nothing (RLS).
    expect(await namesSeenBy(f.b.members.admin, f.a.id)).toEqual([]);
    const shared = (await asUser(f.a.members.viewer, (tx) => listSavedViews(tx, scope(f.a.members.viewer))))[0]!;
    expect(shared).toMatchObject({ ownerId: rep.id, ownerName: rep.fullName, params: { status: "new" } });
  });

  it("lets only the owner rename, reshare, change or delete a view", async () => {
    const owner = f.a.members.manager;
    const { id } = await create(owner, "Mine to change", true);
    for (const other of [f.a.members.admin, f.a.members.viewer]) {
      await expect(asUser(other, (tx) => updateSavedView(tx, scope(other), { viewId: id, name: "Taken over" }))).rejects.toMatchObject({
        code: "forbidden",
        message: expect.stringContaining("Only the person who saved this view"),
      });
      await expect(asUser(other, (tx) => deleteSavedView(tx, scope(other), { viewId: id }))).rejects.toMatchObject({ code: "forbidden" });
    }
    // The database refuses the same writes if a service forgot to check (RLS backstop).
    const admin = f.a.members.admin;
    const hijack = await outcome(() =>
      asUser(admin, (tx) => tx.update(savedViews).set({ name: "Taken" }).where(eq(savedViews.id, id)).returning({ id: savedViews.id })),
    );
    expect(hijack).toEqual([]);

    await asUser(owner, (tx) =>
      updateSavedView(tx, scope(owner), { viewId: id, name: "Renamed", shared: false, params: { sort: "score" } }),
    );
    const [row] = await serviceDb().select().from(savedViews).where(eq(savedViews.id, id));
    expect(row).toMatchObject({ name: "Renamed", shared: false, state: { sort: "score" } });
    await asUser(owner, (tx) => deleteSavedView(tx, scope(owner), { viewId: id }));
    expect(await serviceDb().select().from(savedViews).where(eq(savedViews.id, id))).toEqual([]);
  });

  it("lets an admin delete a view a teammate shared (one a member who left made), audited, but never a private one", async () => {
    const rep = f.a.members.sales_rep;
    const admin = f.a.members.admin;
    const manager = f.a.members.manager;
    const { id: shared } = await create(rep, "Left behind", true);
    const { id: personal } = await create(rep, "Rep's own list", false);
    const asAdmin = { ...scope(admin), role: "admin" as const };
    await expect(asUser(admin, (tx) => deleteSavedView(tx, asAdmin, { viewId: personal }))).rejects.toMatchObject({ code: "not_found" });
    await asUser(admin, (tx) => deleteSavedView(tx, asAdmin, { viewId: shared }));
    expect(await serviceDb().select().from(savedViews).where(eq(savedViews.id, shared))).toEqual([]);
    const [audit] = await serviceDb().execute<{ actor_id: string; metadata: { name: string; ownerId: string } }>(
      sql`select actor_id, metadata from public.audit_log where action = 'saved_view.deleted' and target_id = ${shared}`,
    );
    expect(audit).toMatchObject({ actor_id: admin.id, metadata: { name: "Left behind", ownerId: rep.id } });

    // The database holds the same line: an admin's token deletes no private view of another, and
    // a manager's no shared one (RLS backstop).
    const { id: sharedAgain } = await create(rep, "Still shared", true);
    const byAdmin = await asUser(admin, (tx) => tx.delete(savedViews).where(eq(savedViews.id, personal)).returning({ id: savedViews.id }));
    const byManager = await asUser(manager, (tx) =>
      tx.delete(savedViews).where(eq(savedViews.id, sharedAgain)).returning({ id: savedViews.id }),
    );
    expect([byAdmin, byManager]).toEqual([[], []]);
    expect(await serviceDb().select({ id: savedViews.id }).from(savedViews).where(eq(savedViews.ownerId, rep.id))).toEqual(
      expect.arrayContaining([{ id: personal }, { id: sharedAgain }]),
    );
  });

  it("holds only a URL query, whoever writes the row: a member's own token cannot store a value that is not a string", async () => {
    const rep = f.a.members.sales_rep;
    const { id } = await create(rep, "Shared with everyone", true);
    // What the Data API does with the owner's own token (saved_views_update_own lets them write the state).
    for (const state of [{ status: 5 }, { status: ["new"] }, { q: null }, { sort: { by: "score" } }]) {
      const written = await asUser(rep, (tx) => tx.update(savedViews).set({ state }).where(eq(savedViews.id, id))).then(
        () => "written",
        (error: unknown) => sqlState(error),
      );
      expect(written, JSON.stringify(state)).toBe("23514"); // check_violation
    }
    const [view] = await asUser(f.a.members.viewer, (tx) => listSavedViews(tx, scope(f.a.members.viewer)));
    expect(view).toMatchObject({ name: "Shared with everyone", params: { status: "new" } });
  });

  it("keeps at most 50 views per person and table, however they are written", async () => {
    const viewer = f.a.members.viewer;
    await serviceDb().execute(sql`
      insert into public.saved_views (workspace_id, owner_id, table_name, name, shared, state)
      select ${f.a.id}, ${viewer.id}, 'leads', 'View ' || i, true, '{"status": "new"}'::jsonb from generate_series(1, 49) i`);
    await create(viewer, "The fiftieth", true);
    await expect(create(viewer, "One too many", true)).rejects.toMatchObject({
      code: "conflict",
      message: "You have 50 saved views of this table, the most one person keeps. Delete one you no longer use, then save this one.",
    });
    // Another table, and another person, count apart.
    await asUser(viewer, (tx) =>
      createSavedView(tx, { ...scope(viewer), tableName: "companies" }, { name: "Accounts", shared: false, params: {} }),
    );
    await create(f.a.members.analyst, "Mine", true);
    // What one statement through the Data API does with the analyst's own token.
    const flood = await asUser(f.a.members.analyst, (tx) =>
      tx.execute(sql`
        insert into public.saved_views (workspace_id, owner_id, table_name, name, shared, state)
        select ${f.a.id}, ${f.a.members.analyst.id}, 'leads', 'Flood ' || i, true, '{}'::jsonb from generate_series(1, 60) i`),
    ).then(
      () => "written",
      (error: unknown) => sqlState(error),
    );
    expect(flood).toBe("23514");
    const counts = await serviceDb().execute<{ owner_id: string; n: number }>(sql`
      select owner_id, count(*)::int as n from public.saved_views where workspace_id = ${f.a.id} and table_name = 'leads'
        and owner_id in (${viewer.id}, ${f.a.members.analyst.id}) group by owner_id`);
    expect(Object.fromEntries(counts.map((c) => [c.owner_id, c.n]))).toEqual({ [viewer.id]: 50, [f.a.members.analyst.id]: 1 });
    await serviceDb().execute(
      sql`delete from public.saved_views where workspace_id = ${f.a.id} and owner_id in (${viewer.id}, ${f.a.members.analyst.id})`,
    );
  });

  it("treats another workspace's view as not found", async () => {
    // Nor can a member of B save a view into A (RLS on insert).
    expect(await outcome(() => create(f.b.members.admin, "Into Acme", true))).toBe("denied");
    const bAdmin = f.b.members.admin;
    const { id: bView } = await asUser(bAdmin, (tx) =>
      createSavedView(tx, scope(bAdmin, f.b.id), { name: "Globex", shared: true, params: {} }),
    );
    const admin = f.a.members.admin;
    await expect(asUser(admin, (tx) => deleteSavedView(tx, scope(admin), { viewId: bView }))).rejects.toMatchObject({ code: "not_found" });
    expect(await serviceDb().select().from(savedViews).where(eq(savedViews.id, bView))).toHaveLength(1);
  });

  it("refuses a second view of the same name (any case) by the same person, with a message", async () => {
    const analyst = f.a.members.analyst;
    await create(analyst, "Weekly", false);
    await expect(create(analyst, "weekly", true)).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("view named “weekly”"),
    });
    // Someone else may use the name.
    await expect(create(f.a.members.viewer, "Weekly", false)).resolves.toMatchObject({ id: expect.any(String) });
  });
});

describe("a view's stored params", () => {
  it("are the table's canonical URL query: defaults, the page cursor and the open lead left out", () => {
    const parsed = ZCreateLeadView.parse({
      name: " Pipeline ",
      shared: false,
      params: { status: "new, contacted", sort: "created", dir: "desc", pageSize: "100", cursor: "abc", before: "1", lead: "x", view: "y" },
    });
    expect(parsed).toEqual({ name: "Pipeline", shared: false, params: { status: "new,contacted", pageSize: "100" } });
  });

  it("are refused when the table could not apply them", () => {
    const result = ZCreateLeadView.safeParse({ name: "Bad", shared: false, params: { sort: "nonsense" } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain("settings the table cannot use");
  });
});
