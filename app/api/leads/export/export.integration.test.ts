import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mainPoolSize, serviceDb } from "@/db";
import { workspaceMembers } from "@/db/schema";
import { openUserSnapshot } from "@/db/user-snapshot";
import { WORKSPACE_ROLES } from "@/lib/auth/roles";
import { can } from "@/lib/auth/permissions";
import { createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { addTestMember } from "@/tests/fixtures/leads";
import { sessionOf } from "@/tests/fixtures/sessions";
import { exportResponse } from "./export-response";

let fx: TenancyFixture;
let tag: string;
let ids: { formula: string; quoted: string; plain: string };
let bLeadId: string;

beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
  tag = `export-${randomSuffix()}`;
  const insert = async (
    workspaceId: string,
    values: { first: string; last: string; title: string; email: string | null; tags: string[] },
  ) => {
    const [row] = await serviceDb().execute<{ id: string }>(sql`
      insert into public.leads (workspace_id, first_name, last_name, title, email, tags, owner_id, score)
      values (${workspaceId}, ${values.first}, ${values.last}, ${values.title}, ${values.email}, ${`{${values.tags.map((t) => `"${t}"`).join(",")}}`}::text[],
        ${workspaceId === fx.a.id ? fx.a.members.sales_rep.id : null}, 42)
      returning id`);
    return row!.id;
  };
  ids = {
    formula: await insert(fx.a.id, {
      first: '=HYPERLINK("http://evil.example","click")',
      last: "+1",
      title: "\tcmd",
      email: `-${tag}@example.test`,
      tags: ["@risk", tag],
    }),
    quoted: await insert(fx.a.id, {
      first: 'Zoë "Zo"',
      last: "Ångström, Jr.",
      title: "Head of\nSales, EMEA\r\nand more",
      email: `zoe-${tag}@example.test`,
      tags: [tag],
    }),
    plain: await insert(fx.a.id, { first: "Łukasz", last: "Żółć", title: "CTO", email: null, tags: [tag] }),
  };
  bLeadId = await insert(fx.b.id, { first: "Globex", last: "Secret", title: "CFO", email: `secret-${tag}@example.test`, tags: [tag] });
});
afterAll(() => removeTenancyFixture(fx, serviceDb()));

const view = (extra = "") => new URLSearchParams(`tags=${tag}&columns=name,title,email,owner,score,tags&sort=name&dir=asc${extra}`);

async function exportsAudited(workspaceId: string): Promise<{ actor_id: string; metadata: Record<string, unknown> }[]> {
  return serviceDb().execute(sql`
    select actor_id, metadata from public.audit_log where workspace_id = ${workspaceId} and action = 'leads.exported' order by created_at`);
}

describe("CSV export of the lead table", () => {
  it("streams the view's columns as UTF-8 with a BOM, neutralising formulas and round-tripping quotes, commas, newlines and accents", async () => {
    const analyst = fx.a.members.analyst;
    const response = await exportResponse(await sessionOf(analyst, fx.a.id), view());
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="(leads-acme-outbound-[a-f0-9]+-\d{4}-\d{2}-\d{2}\.csv)"; filename\*=UTF-8''\1$/,
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

    const rows = parse(Buffer.from(bytes), { bom: true, relax_column_count: false }) as string[][];
    expect(rows).toEqual([
      ["Name", "Title", "Email", "Email status", "Owner", "Score", "Tags"],
      [
        `'=HYPERLINK("http://evil.example","click") +1`,
        "'\tcmd",
        `'-${tag}@example.test`,
        "unknown",
        "Zoë Ångström",
        "42",
        `'@risk; ${tag}`,
      ],
      // By name as the table sorts it, accents aside: "lukasz zolc" before "zoe…".
      ["Łukasz Żółć", "CTO", "", "unknown", "Zoë Ångström", "42", tag],
      ['Zoë "Zo" Ångström, Jr.', "Head of\nSales, EMEA\r\nand more", `zoe-${tag}@example.test`, "unknown", "Zoë Ångström", "42", tag],
    ]);

    const audited = await exportsAudited(fx.a.id);
    expect(audited).toEqual([
      {
        actor_id: analyst.id,
        metadata: {
          filter: `tags=${tag}&sort=name&dir=asc&columns=name%2Ctitle%2Cemail%2Cowner%2Cscore%2Ctags`,
          selectedIds: null,
          columns: ["name", "title", "email", "owner", "score", "tags"],
          rowCount: 3,
        },
      },
    ]);
  });

  it("writes dates in UTC, named so, for a zone the browser knows but the database does not: a whole file, not a broken one", async () => {
    // Intl still knows US/Pacific-New; PostgreSQL's tzdata dropped it. The rows' `at time zone`
    // failed after the export was audited and its answer had begun.
    const analyst = await sessionOf(fx.a.members.analyst, fx.a.id);
    const response = await exportResponse(
      analyst,
      new URLSearchParams(`tags=${tag}&columns=name,created&sort=name&dir=asc&tz=US%2FPacific-New`),
    );
    expect(response.status).toBe(200);
    const rows = parse(Buffer.from(await response.arrayBuffer()), { bom: true }) as string[][];
    expect(rows[0]).toEqual(["Name", "Created (UTC)"]);
    expect(rows).toHaveLength(4);
    for (const row of rows.slice(1)) expect(row[1]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    const berlin = await exportResponse(analyst, new URLSearchParams(`tags=${tag}&columns=name,created&tz=Europe%2FBerlin`));
    expect((parse(Buffer.from(await berlin.arrayBuffer()), { bom: true }) as string[][])[0]).toEqual(["Name", "Created (Europe/Berlin)"]);
  });

  it("exports only the selected leads of the view, and never another workspace's", async () => {
    const admin = await sessionOf(fx.a.members.admin, fx.a.id);
    const selected = await exportResponse(admin, view(`&ids=${ids.plain},${bLeadId}`));
    expect(selected.status).toBe(200);
    const rows = parse(Buffer.from(await selected.arrayBuffer()), { bom: true }) as string[][];
    expect(rows.slice(1).map((r) => r[0])).toEqual(["Łukasz Żółć"]);

    const onlyB = await exportResponse(admin, view(`&ids=${bLeadId}`));
    expect(onlyB.status).toBe(404);
    expect(await onlyB.text()).toBe("There are no leads to export in this view, so no file was made.");
    const everything = await exportResponse(admin, new URLSearchParams("columns=name&q=globex%20secret"));
    expect(everything.status).toBe(404);
  });

  it("refuses roles without data.export, and a signed-out caller, before reading anything", async () => {
    const refused = WORKSPACE_ROLES.filter((role) => !can(role, "data.export"));
    expect(refused).toEqual(["viewer"]);
    for (const role of refused) {
      const before = await exportsAudited(fx.a.id);
      const response = await exportResponse(await sessionOf(fx.a.members[role], fx.a.id), view());
      expect(response.status).toBe(403);
      expect(await response.text()).toBe("Your role cannot export leads. Ask an admin for the analyst role or above.");
      expect(await exportsAudited(fx.a.id)).toEqual(before);
    }
    const anonymous = await exportResponse(null, view());
    expect(anonymous.status).toBe(401);
    const malformed = await exportResponse(await sessionOf(fx.a.members.admin, fx.a.id), view("&ids=not-a-uuid"));
    expect(malformed.status).toBe(400);
  });

  it("refuses a link from a page of another workspace than the one switched to since (in another tab), exporting nothing", async () => {
    // A member of both: the page showed A; the workspace cookie now says B.
    const both = await addTestMember(fx.a, "admin", "Two Workspaces");
    await serviceDb().insert(workspaceMembers).values({ workspaceId: fx.b.id, userId: both.id, role: "admin" });
    const inB = await sessionOf(both, fx.b.id);
    const before = await exportsAudited(fx.b.id);
    const refused = await exportResponse(inB, view(`&workspace=${fx.a.id}`));
    expect(refused.status).toBe(409);
    expect(await refused.text()).toBe(
      `This page shows ${fx.a.name}, but you have switched to ${fx.b.name} since (in another tab or window), so nothing was exported. Reload the page to continue in ${fx.b.name}.`,
    );
    expect(await exportsAudited(fx.b.id)).toEqual(before);
    // The same link from a page of B exports B's view.
    const fromB = await exportResponse(inB, view(`&workspace=${fx.b.id}`));
    expect(fromB.status).toBe(200);
    expect(await fromB.text()).toContain("Globex");
  });

  it("reads the rows in batches as the file is consumed, and lets go of the database when the download stops", async () => {
    const many = `many-${randomSuffix()}`;
    await serviceDb().execute(sql`
      insert into public.leads (workspace_id, first_name, tags)
      select ${fx.a.id}, 'Lead ' || i, ${`{${many}}`}::text[] from generate_series(1, 5000) as i`);
    const admin = await sessionOf(fx.a.members.admin, fx.a.id);
    const response = await exportResponse(admin, new URLSearchParams(`tags=${many}&columns=name`));
    expect(response.headers.get("x-row-count")).toBe("5000");
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    await reader.cancel();
    // The export's query and transaction end: its connection is back in the pool, idle.
    await expect
      .poll(
        async () =>
          (
            await serviceDb().execute<{ n: number }>(
              sql`select count(*)::int as n from pg_stat_activity where pid <> pg_backend_pid() and state <> 'idle' and query like '%nullif(btrim(%'`,
            )
          )[0]!.n,
      )
      .toBe(0);
    const whole = await exportResponse(admin, new URLSearchParams(`tags=${many}&columns=name`));
    const rows = parse(Buffer.from(await whole.arrayBuffer()), { bom: true }) as string[][];
    expect(rows).toHaveLength(5001);
  });

  it("serves more downloads at once than the main pool has connections, each whole (they once took them all, then waited for one more)", async () => {
    const analyst = await sessionOf(fx.a.members.analyst, fx.a.id);
    const downloads = Array.from({ length: mainPoolSize() + 2 }, async () => {
      const response = await exportResponse(analyst, view());
      return (parse(Buffer.from(await response.arrayBuffer()), { bom: true }) as string[][]).length;
    });
    const stuck = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error("still waiting after 45 s: the downloads are stuck waiting for connections")), 45_000).unref(),
    );
    expect(await Promise.race([Promise.all(downloads), stuck])).toEqual(Array<number>(mainPoolSize() + 2).fill(4));
  }, 60_000);

  it("gives a stalled download's connection back: PostgreSQL ends its snapshot after two idle minutes", async () => {
    const snapshot = await openUserSnapshot({ sub: fx.a.members.analyst.id, role: "authenticated" });
    try {
      const [setting] = await snapshot.conn<{ idle_in_transaction_session_timeout: string }[]>`show idle_in_transaction_session_timeout`;
      expect(setting!.idle_in_transaction_session_timeout).toBe("2min");
    } finally {
      await snapshot.close("rollback");
    }
  });
  /** Leads (first name, owner) under a tag of their own, exported by owner A→Z with the name and owner columns. */
  async function exportByOwner(leads: (readonly [firstName: string, ownerId: string])[]): Promise<string[][]> {
    const tag = `owners-${randomSuffix()}`;
    for (const [first, owner] of leads) {
      await serviceDb().execute(sql`insert into public.leads (workspace_id, first_name, tags, owner_id)
        values (${fx.a.id}, ${first}, ${`{${tag}}`}::text[], ${owner})`);
    }
    const response = await exportResponse(
      await sessionOf(fx.a.members.analyst, fx.a.id),
      new URLSearchParams(`tags=${tag}&columns=name,owner&sort=owner&dir=asc`),
    );
    return parse(Buffer.from(await response.arrayBuffer()), { bom: true }) as string[][];
  }

  it("names an owner who never gave a name by their email, as the table does, and sorts by that name", async () => {
    const nameless = fx.a.members.manager;
    await serviceDb().execute(sql`update public.profiles set full_name = null where id = ${nameless.id}`);
    const rows = await exportByOwner([
      ["Named", fx.a.members.sales_rep.id],
      ["Nameless", nameless.id],
    ]);
    // The manager's email (manager-…@…) sorts before "Zoë Ångström", as on screen.
    expect(rows).toEqual([
      ["Name", "Owner"],
      ["Nameless", nameless.email],
      ["Named", "Zoë Ångström"],
    ]);
  });

  it("sorts owners by name as the table does, accents aside: Élise before Zed", async () => {
    const { sales_rep: rep, manager } = fx.a.members;
    const nameOf = async (id: string) =>
      (await serviceDb().execute<{ full_name: string | null }>(sql`select full_name from public.profiles where id = ${id}`))[0]!.full_name;
    const rename = (id: string, name: string | null) =>
      serviceDb().execute(sql`update public.profiles set full_name = ${name} where id = ${id}`);
    const before = { rep: await nameOf(rep.id), manager: await nameOf(manager.id) };
    await rename(rep.id, "Zed Rep");
    await rename(manager.id, "Élise Manager");
    try {
      const rows = await exportByOwner([
        ["Of Zed", rep.id],
        ["Of Élise", manager.id],
      ]);
      expect(rows).toEqual([
        ["Name", "Owner"],
        ["Of Élise", "Élise Manager"],
        ["Of Zed", "Zed Rep"],
      ]);
    } finally {
      await rename(rep.id, before.rep);
      await rename(manager.id, before.manager);
    }
  });
});
