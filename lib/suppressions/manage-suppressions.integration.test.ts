import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { auditLog, suppressions } from "@/db/schema";
import { AppError } from "@/lib/errors";
import {
  asUser,
  asUserRolledBack,
  createTenancyFixture,
  outcome,
  randomSuffix,
  removeTenancyFixture,
  type TenancyFixture,
} from "@/tests/fixtures/tenancy";
import { addSuppression } from "./add-suppression";
import {
  addSuppressionByHand,
  importSuppressions,
  listSuppressions,
  removeSuppression,
  SUPPRESSIONS_PAGE_SIZE,
  type SuppressionActor,
} from "./manage-suppressions";

let fx: TenancyFixture;
const db = () => serviceDb();
const actor = (ws: TenancyFixture["a"], role: SuppressionActor["role"] = "admin"): SuppressionActor => ({
  workspaceId: ws.id,
  userId: ws.members[role].id,
  role,
});
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: unknown) => (e instanceof AppError ? { code: e.code, message: e.message } : e),
  );

beforeAll(async () => {
  fx = await createTenancyFixture();
});
afterAll(async () => {
  await removeTenancyFixture(fx);
});

describe("adding by hand", () => {
  it("keeps an address typed in Unicode in its ASCII form, found again by the Unicode search and named as typed", async () => {
    const admin = fx.a.members.admin;
    const local = `ann-${randomSuffix()}`;
    const added = await asUser(admin, (tx) => addSuppressionByHand(tx, actor(fx.a), { value: `${local}@Bücher.de` }));
    expect(added.value).toBe(`${local}@xn--bcher-kva.de`);
    const publisher = await asUser(admin, (tx) => addSuppressionByHand(tx, actor(fx.a), { value: `@Bücher-${local}.de` }));
    const found = async (search: string) =>
      (await asUser(fx.a.members.viewer, (tx) => listSuppressions(tx, { workspaceId: fx.a.id, search }))).rows.map((r) => r.value);
    for (const search of ["bücher", `${local}@bücher.de`, "xn--bcher"]) expect(await found(search), search).toContain(added.value);
    // The start of a label typed in Unicode finds the longer label too.
    for (const search of ["bücher", `bücher-${local}`, `Bücher-${local}.de`])
      expect(await found(search), search).toContain(publisher.value);
    expect(await found(`${local}@bücher.de`)).not.toContain(publisher.value);
    expect(await refusal(asUser(admin, (tx) => addSuppressionByHand(tx, actor(fx.a), { value: `${local}@bücher.de` })))).toMatchObject({
      message: `${local}@bücher.de is already on the suppression list (added by hand).`,
    });
  });

  it("adds an address or a whole domain, read from what was typed, with the admin's name and an audit entry", async () => {
    const admin = fx.a.members.admin;
    const email = await asUser(admin, (tx) =>
      addSuppressionByHand(tx, actor(fx.a), { value: " Hand@Example.com ", note: "Asked by phone" }),
    );
    const domain = await asUser(admin, (tx) => addSuppressionByHand(tx, actor(fx.a), { value: "@competitor.example" }));
    expect(email).toEqual({ id: expect.any(String), kind: "email", value: "hand@example.com" });
    expect(domain).toEqual({ id: expect.any(String), kind: "domain", value: "competitor.example" });
    const page = await asUser(fx.a.members.viewer, (tx) => listSuppressions(tx, { workspaceId: fx.a.id, search: "hand@" }));
    expect(page.rows).toEqual([
      expect.objectContaining({ value: "hand@example.com", reason: "manual", note: "Asked by phone", createdByName: admin.fullName }),
    ]);
    const audits = await db()
      .select({ action: auditLog.action, metadata: auditLog.metadata })
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, fx.a.id), eq(auditLog.action, "suppression.added")));
    expect(audits.map((a) => a.metadata)).toEqual(
      expect.arrayContaining([
        { kind: "email", value: "hand@example.com" },
        { kind: "domain", value: "competitor.example" },
      ]),
    );
  });

  it("says so when it is already there, and why; refuses what is no address or domain", async () => {
    await addSuppression(db(), { workspaceId: fx.a.id, kind: "email", value: "left@example.com", reason: "unsubscribe" });
    expect(
      await refusal(asUserRolledBack(fx.a.members.admin, (tx) => addSuppressionByHand(tx, actor(fx.a), { value: "LEFT@example.com" }))),
    ).toEqual({
      code: "conflict",
      message: "left@example.com is already on the suppression list (unsubscribed).",
    });
    expect(
      await refusal(asUserRolledBack(fx.a.members.admin, (tx) => addSuppressionByHand(tx, actor(fx.a), { value: "=cmd|' /C calc'!A0" }))),
    ).toEqual({
      code: "invalid_input",
      message: "Not a domain (like example.com).",
    });
  });

  it("refuses every role below manager, before the database would", async () => {
    for (const role of ["sales_rep", "analyst", "viewer"] as const) {
      const error = await refusal(
        asUserRolledBack(fx.a.members[role], (tx) => addSuppressionByHand(tx, actor(fx.a, role), { value: "nope@example.com" })),
      );
      expect(error).toMatchObject({ code: "forbidden" });
    }
  });

  it("lets a manager add by hand (adding only stops email); the database lets a manager add nothing else", async () => {
    const manager = fx.a.members.manager;
    const added = await asUser(manager, (tx) => addSuppressionByHand(tx, actor(fx.a, "manager"), { value: "crm-dnc@example.com" }));
    expect(added).toMatchObject({ kind: "email", value: "crm-dnc@example.com" });
    // RLS, without the service: a manager's row must be a manual one, and a sales rep may write none.
    const insert = (member: typeof manager, reason: "manual" | "complaint") =>
      outcome(() =>
        asUserRolledBack(member, (tx) =>
          tx
            .insert(suppressions)
            .values({ workspaceId: fx.a.id, kind: "email", value: `rls-${reason}@example.com`, reason, createdBy: member.id }),
        ),
      );
    expect(await insert(manager, "complaint")).toBe("denied");
    expect(await insert(fx.a.members.sales_rep, "manual")).toBe("denied");
    expect(await insert(manager, "manual")).not.toBe("denied");
  });
});

describe("a domain that reaches far more than one company", () => {
  it("a free-mail provider or the workspace's own domain is added only once confirmed, saying why", async () => {
    const admin = fx.a.members.admin;
    const own = `own-${randomSuffix()}.example`;
    await db().execute(sql`insert into public.sending_identities (workspace_id, from_name, from_email, postal_address, signature)
      values (${fx.a.id}, 'Zoë', ${`zoe@${own}`}, '1 Harbour Road, Reykjavík', 'Zoë')`);
    const refused = (value: string) =>
      asUser(admin, (tx) => addSuppressionByHand(tx, actor(fx.a), { value })).then(
        () => null,
        (e: unknown) => (e instanceof AppError ? { code: e.code, fieldErrors: e.fieldErrors } : e),
      );
    expect(await refused("@Gmail.com")).toEqual({
      code: "invalid_input",
      fieldErrors: {
        confirmBroad: [
          "gmail.com is a free email provider: suppressing the whole domain stops every email to anyone with a gmail.com address, not one company. Tick the box to add it anyway.",
        ],
      },
    });
    expect(await refused(own)).toEqual({
      code: "invalid_input",
      fieldErrors: {
        confirmBroad: [
          `${own} is a domain this workspace sends from: suppressing it stops every email to your own colleagues there. Tick the box to add it anyway.`,
        ],
      },
    });
    // One address there is no whole domain; another workspace does not send from `own`.
    expect(await refused("ann@gmail.com")).toBeNull();
    expect(await asUser(fx.b.members.admin, (tx) => addSuppressionByHand(tx, actor(fx.b), { value: own }))).toMatchObject({ value: own });
    const none = await db()
      .select()
      .from(suppressions)
      .where(and(eq(suppressions.workspaceId, fx.a.id), eq(suppressions.kind, "domain"), eq(suppressions.value, "gmail.com")));
    expect(none).toHaveLength(0);

    expect(await asUser(admin, (tx) => addSuppressionByHand(tx, actor(fx.a), { value: "gmail.com", confirmBroad: true }))).toMatchObject({
      kind: "domain",
      value: "gmail.com",
    });
  });

  it("a file's line for one is refused with the reason, the other lines added", async () => {
    const admin = fx.a.members.admin;
    const result = await asUser(admin, (tx) =>
      importSuppressions(tx, actor(fx.a), { fileName: "list.csv", text: "hotmail.com\nrival-corp.example\nbea@hotmail.com\n" }),
    );
    expect(result.rows).toEqual([
      {
        row: 1,
        raw: "hotmail.com",
        outcome: "refused",
        error:
          "hotmail.com is a free email provider: suppressing the whole domain stops every email to anyone with a hotmail.com address, not one company. Add it by hand if you mean it.",
      },
      { row: 2, raw: "rival-corp.example", outcome: "added" },
      { row: 3, raw: "bea@hotmail.com", outcome: "added" },
    ]);
  });
});

describe("removing", () => {
  it("removes an entry of the workspace, audited; another workspace's entry is not found and stays", async () => {
    const mine = await addSuppression(db(), { workspaceId: fx.a.id, kind: "email", value: "gone@example.com", reason: "manual" });
    const theirs = await addSuppression(db(), { workspaceId: fx.b.id, kind: "email", value: "kept@example.com", reason: "manual" });
    expect(await asUser(fx.a.members.admin, (tx) => removeSuppression(tx, actor(fx.a), { id: mine.id }))).toEqual({
      value: "gone@example.com",
    });
    expect(await db().select().from(suppressions).where(eq(suppressions.id, mine.id))).toEqual([]);
    const [audit] = await db()
      .select({ metadata: auditLog.metadata })
      .from(auditLog)
      .where(and(eq(auditLog.targetId, mine.id), eq(auditLog.action, "suppression.removed")));
    expect(audit!.metadata).toEqual({ kind: "email", value: "gone@example.com", reason: "manual" });

    expect(await refusal(asUser(fx.a.members.admin, (tx) => removeSuppression(tx, actor(fx.a), { id: theirs.id })))).toMatchObject({
      code: "not_found",
    });
    // Even with B's workspace id claimed, RLS leaves B's row alone.
    expect(
      await refusal(asUser(fx.a.members.admin, (tx) => removeSuppression(tx, { ...actor(fx.a), workspaceId: fx.b.id }, { id: theirs.id }))),
    ).toMatchObject({
      code: "not_found",
    });
    expect(await db().select().from(suppressions).where(eq(suppressions.id, theirs.id))).toHaveLength(1);
    expect(
      await refusal(asUser(fx.a.members.manager, (tx) => removeSuppression(tx, actor(fx.a, "manager"), { id: mine.id }))),
    ).toMatchObject({ code: "forbidden" });
  });
});

describe("uploading a list", () => {
  it("adds the valid rows in one go and reports every row: added, already there, repeated, refused", async () => {
    await addSuppression(db(), { workspaceId: fx.a.id, kind: "email", value: "known@example.com", reason: "bounce" });
    const text = [
      "Name,Email",
      "Ann,ann@upload.example",
      "Known,KNOWN@example.com",
      "Again,ann@upload.example",
      'Evil,"=HYPERLINK(""http://x.example"")"',
      "Dom,'@upload-domain.example",
    ].join("\n");
    const result = await asUser(fx.a.members.admin, (tx) => importSuppressions(tx, actor(fx.a), { fileName: "list.csv", text }));
    expect(result).toMatchObject({ added: 2, already: 1, repeated: 1, refused: 1 });
    expect(result.rows).toEqual([
      { row: 2, raw: "ann@upload.example", outcome: "added" },
      { row: 3, raw: "KNOWN@example.com", outcome: "already" },
      { row: 4, raw: "ann@upload.example", outcome: "repeated", sameAs: 2 },
      { row: 5, raw: '=HYPERLINK("http://x.example")', outcome: "refused", error: "Not a domain (like example.com)." },
      { row: 6, raw: "'@upload-domain.example", outcome: "added" },
    ]);
    const stored = await db()
      .select({ kind: suppressions.kind, value: suppressions.value, reason: suppressions.reason, createdBy: suppressions.createdBy })
      .from(suppressions)
      .where(and(eq(suppressions.workspaceId, fx.a.id), eq(suppressions.reason, "import")));
    expect(stored).toEqual(
      expect.arrayContaining([
        { kind: "email", value: "ann@upload.example", reason: "import", createdBy: fx.a.members.admin.id },
        { kind: "domain", value: "upload-domain.example", reason: "import", createdBy: fx.a.members.admin.id },
      ]),
    );
    // The bounce stays a bounce.
    const [known] = await db()
      .select({ reason: suppressions.reason })
      .from(suppressions)
      .where(and(eq(suppressions.workspaceId, fx.a.id), eq(suppressions.value, "known@example.com")));
    expect(known!.reason).toBe("bounce");
  });

  it("refuses an empty list and a lower role, changing nothing", async () => {
    expect(
      await refusal(asUser(fx.a.members.admin, (tx) => importSuppressions(tx, actor(fx.a), { fileName: "empty.csv", text: "Email\n\n" }))),
    ).toEqual({
      code: "invalid_input",
      message: "The file holds no address or domain.",
    });
    expect(
      await refusal(
        asUser(fx.a.members.manager, (tx) =>
          importSuppressions(tx, actor(fx.a, "manager"), { fileName: "x.csv", text: "x@manager.example" }),
        ),
      ),
    ).toMatchObject({ code: "forbidden" });
    expect(await db().select().from(suppressions).where(eq(suppressions.value, "x@manager.example"))).toEqual([]);
  });
});

describe("listing", () => {
  it("pages newest first by keyset, searches literally (no wildcards), and counts what the search matches", async () => {
    const ws = fx.b;
    for (let i = 0; i < SUPPRESSIONS_PAGE_SIZE + 5; i++) {
      await addSuppression(db(), {
        workspaceId: ws.id,
        kind: "email",
        value: `p${String(i).padStart(3, "0")}@paging.example`,
        reason: "manual",
      });
    }
    await addSuppression(db(), { workspaceId: ws.id, kind: "email", value: "under_score@paging.example", reason: "manual" });
    const first = await asUser(ws.members.viewer, (tx) => listSuppressions(tx, { workspaceId: ws.id, search: "@PAGING.example" }));
    expect(first.total).toBe(SUPPRESSIONS_PAGE_SIZE + 6);
    expect(first.rows).toHaveLength(SUPPRESSIONS_PAGE_SIZE);
    expect(first.rows[0]!.value).toBe("under_score@paging.example");
    const second = await asUser(ws.members.viewer, (tx) =>
      listSuppressions(tx, { workspaceId: ws.id, search: "@paging.example", after: first.nextAfter }),
    );
    expect(second.rows).toHaveLength(6);
    expect(second.nextAfter).toBeNull();
    expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(SUPPRESSIONS_PAGE_SIZE + 6);
    const literal = await asUser(ws.members.viewer, (tx) => listSuppressions(tx, { workspaceId: ws.id, search: "p0_0" }));
    expect(literal.rows.map((r) => r.value)).toEqual([]);
    const underscore = await asUser(ws.members.viewer, (tx) => listSuppressions(tx, { workspaceId: ws.id, search: "r_score" }));
    expect(underscore.rows.map((r) => r.value)).toEqual(["under_score@paging.example"]);
    // Another workspace's member sees none of it, whatever workspace id they pass.
    const foreign = await asUser(fx.a.members.admin, (tx) => listSuppressions(tx, { workspaceId: ws.id }));
    expect(foreign).toEqual({ rows: [], total: 0, nextAfter: null });
  });
});
