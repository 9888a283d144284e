import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { serviceDb } from "@/db";
import { sendEvent } from "@/lib/jobs/send-event";
import { verifyPassword } from "@/lib/auth-emulator/passwords";
import { fakeLeadInsightAnswer } from "@/lib/ai/testing/fake-lead-insight";
import { startFakeOpenAI } from "@/lib/ai/testing/fake-openai";
import { connectIntegrationAccount } from "@/lib/integrations/accounts/accounts";
import { startFakeInstantly } from "@/lib/integrations/instantly/testing/fake-instantly";
import { silentLogger } from "@/lib/jobs/testing/harness";
import { createFreshDatabase } from "@/tests/fixtures/fresh-database";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import type { CliIo } from "./context";
import { localJobRunner, type JobRunner } from "./follow";
import { runCli } from "./program";

// supabase-js needs a WebSocket, which Node 20 has only behind a flag (`npm run cli` passes it; STACK-NOTES.md).
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;
// The model the `enrich` command reaches, set before anything reads the environment.
const fake = await startFakeOpenAI({ answer: fakeLeadInsightAnswer });
process.env.OPENAI_BASE_URL = fake.url;
process.env.OPENAI_MODEL = "gpt-4o-mini";
// A database of its own, before anything reads the environment: the commands' executor runs any
// queued import, enrichment or sync it finds, and in the shared database those are other files'.
const fresh = await createFreshDatabase(process.env.DATABASE_URL!);
process.env.DATABASE_URL = fresh.url;
// And the Instantly `instantly sync` reaches.
const INSTANTLY_KEY = "cli-test-instantly-key";
const instantly = await startFakeInstantly({ keys: { [INSTANTLY_KEY]: ["all:all"] } });
process.env.INSTANTLY_API_URL = instantly.url;

/** The product's runner (productJobs's), polling faster and quietly. */
const jobs: JobRunner = localJobRunner({ databaseUrl: process.env.DATABASE_URL!, logger: silentLogger, pollMs: 100 });

/** A command run from `cwd` (the operator's directory), with `runner` doing its background work. */
async function cliIn(
  { cwd = process.cwd(), runner = jobs, stdin }: { cwd?: string; runner?: JobRunner; stdin?: string },
  ...argv: string[]
) {
  const out: Buffer[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (chunk) => void out.push(Buffer.from(chunk)),
    err: (text) => err.push(text),
    cwd,
    input: async () => stdin ?? "",
  };
  // What main.ts does there: start (and migrate) the database.
  let prepared = 0;
  const code = await runCli(argv, io, runner, { beforeCommand: async () => void prepared++ });
  return { code, out: Buffer.concat(out).toString("utf8"), err: err.join(""), prepared };
}
const cli = (...argv: string[]) => cliIn({}, ...argv);

let fx: TenancyFixture;
let dir: string;
let slug: string;
const REP = () => fx.a.members.sales_rep.email;

// Accents, a quoted comma, a formula-looking title, and the same person twice in another case.
const CSV = [
  "First Name,Last Name,Email,Title,Company,Website",
  'José,Núñez,jose.nunez@beispiel.example,"Head of Sales, DACH",Müller & Söhne GmbH,muller.example',
  "Zoë,Łukasiewicz,zoe@beispiel.example,=HYPERLINK(1),Łódź Logistics,lodz.example",
  "JOSE,NUNEZ,Jose.Nunez@Beispiel.example,Head of Sales,Müller & Söhne GmbH,muller.example",
  "Ana,,not-an-email,CEO,Acme,acme.example",
].join("\r\n");

const leadCount = async () =>
  (
    await serviceDb().execute<{ n: number }>(sql`select count(*)::int n from leads where workspace_id = ${fx.a.id} and deleted_at is null`)
  )[0]!.n;

beforeAll(async () => {
  fx = await createTenancyFixture();
  slug = (await serviceDb().execute<{ slug: string }>(sql`select slug from workspaces where id = ${fx.a.id}`))[0]!.slug;
  dir = await mkdtemp(path.join(tmpdir(), "lip-cli-"));
  await writeFile(path.join(dir, "people.csv"), CSV);
});
afterAll(async () => {
  await fake.close();
  await instantly.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  if (fx) await removeTenancyFixture(fx);
  await fresh.drop();
});

describe("npm run cli", () => {
  it("creates a workspace with a new admin (password generated, shown once), or makes an existing account its admin", async () => {
    const email = `ops-${Date.now()}@new-team.example`;
    const created = await cli("workspace", "create", "--name", "Équipe Nord", "--admin", email);
    expect(created.code).toBe(0);
    const password = /with the password (\S+) — shown once/.exec(created.out)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const [member] = await serviceDb().execute<{ role: string; name: string; hash: string }>(sql`
      select m.role, w.name, u.encrypted_password hash from workspace_members m join workspaces w on w.id = m.workspace_id
      join auth.users u on u.id = m.user_id where u.email = ${email}`);
    expect(member).toMatchObject({ role: "admin", name: "Équipe Nord" });
    expect(member!.hash).not.toContain(password!);

    const again = await cli("workspace", "create", "--name", "Équipe Sud", "--admin", email.toUpperCase());
    expect(again.out).toContain("already had an account");
    const users = await serviceDb().execute<{ n: number }>(sql`select count(*)::int n from auth.users where email = ${email}`);
    expect(users[0]!.n).toBe(1);

    const bad = await cli("workspace", "create", "--name", "X", "--admin", "not an email");
    expect(bad).toMatchObject({ code: 1, err: "adminEmail: Enter a valid email address, like name@company.com.\n" });
  });

  it("takes a new admin's password from standard input, never from the command line", async () => {
    const email = `piped-${Date.now()}@new-team.example`;
    const created = await cliIn(
      { stdin: "Correct-Horse-Battery-9\n" },
      "workspace",
      "create",
      "--name",
      "Piped Team",
      "--admin",
      email,
      "--password-stdin",
    );
    expect(created).toMatchObject({ code: 0, err: "" });
    expect(created.out).toContain(`Admin ${email} created with the password you gave.`);
    expect(created.out).not.toContain("Correct-Horse");
    const [user] = await serviceDb().execute<{ hash: string }>(sql`select encrypted_password hash from auth.users where email = ${email}`);
    expect(await verifyPassword("Correct-Horse-Battery-9", user!.hash)).toBe(true);

    const inArgv = await cli("workspace", "create", "--name", "Argv Team", "--admin", `argv-${email}`, "--password", "Hunter2-Hunter2");
    expect(inArgv).toMatchObject({ code: 1, prepared: 0 });
    expect(inArgv.err).toContain("Pipe it in instead");
    const empty = await cliIn(
      { stdin: "" },
      "workspace",
      "create",
      "--name",
      "Empty Team",
      "--admin",
      `empty-${email}`,
      "--password-stdin",
    );
    expect(empty).toMatchObject({
      code: 1,
      err: "--password-stdin read no password: pipe it in on the first line of standard input.\n",
      prepared: 0,
    });
    const made = await serviceDb().execute(sql`select 1 from auth.users where email in (${`argv-${email}`}, ${`empty-${email}`})`);
    expect(made).toHaveLength(0);
  });

  it("starts the database only for a command it accepts: not for a typo, a missing option or --help", async () => {
    for (const argv of [["workspace", "lsit"], ["imprt", "x.csv"], ["runs", "list"], ["--help"], ["export", "--help"], []]) {
      const run = await cli(...argv);
      expect({ argv, prepared: run.prepared }).toEqual({ argv, prepared: 0 });
    }
    expect((await cli("workspace", "list")).prepared).toBe(1);
  });

  it("lists every workspace with the slug -w takes, its members and live leads, and points to the list when a slug is wrong", async () => {
    const listed = await cli("workspace", "list");
    expect(listed.code).toBe(0);
    const [counts] = await serviceDb().execute<{ members: number; leads: number; name: string }>(sql`
      select w.name, (select count(*)::int from workspace_members m where m.workspace_id = w.id) members,
        (select count(*)::int from leads l where l.workspace_id = w.id and l.deleted_at is null) leads
      from workspaces w where w.id = ${fx.a.id}`);
    const line = listed.out.split("\n").find((l) => l.startsWith(`${slug} `));
    expect(line?.split(/\s{2,}/)).toEqual([slug, fx.a.id, String(counts!.members), String(counts!.leads), counts!.name]);
    expect(listed.out).toContain(fx.b.id);
    expect((await cli("runs", "list", "-w", "no-such-workspace")).err).toBe(
      'No workspace "no-such-workspace": give its slug or its id (`workspace list` shows them).\n',
    );
  });

  it("imports a CSV through the app's pipeline as the member named, following it to the end", async () => {
    const before = await leadCount();
    const run = await cli("import", path.join(dir, "people.csv"), "-w", slug, "--as", REP(), "--tag", "cli");
    expect(run.err).toContain("Import ");
    expect(run.err).toMatch(/completed: 4 of 4 rows \(100%\)/);
    expect(run.out).toMatch(/completed: 2 new, 0 updated, 1 skipped, 1 failed of 4 rows/);
    expect(run.code).toBe(0);
    expect(await leadCount()).toBe(before + 2);
    const [lead] = await serviceDb().execute<{ title: string; owner: string; tags: string[] }>(
      sql`select title, owner_id owner, tags from leads where workspace_id = ${fx.a.id} and lower(email) = 'jose.nunez@beispiel.example'`,
    );
    expect(lead).toEqual({ title: "Head of Sales, DACH", owner: fx.a.members.sales_rep.id, tags: ["cli"] });
    const [audit] = await serviceDb().execute<{ n: number }>(
      sql`select count(*)::int n from lead_imports where workspace_id = ${fx.a.id} and created_by = ${fx.a.members.sales_rep.id}`,
    );
    expect(audit!.n).toBe(1);
  });

  it("refuses an import by a role that may not import, of a missing file, or of another workspace's member, in words", async () => {
    const file = path.join(dir, "people.csv");
    expect(await cli("import", file, "-w", slug, "--as", fx.a.members.viewer.email)).toMatchObject({
      code: 1,
      err: "Your role can read leads but not import them.\n",
    });
    expect((await cli("import", path.join(dir, "missing.csv"), "-w", slug, "--as", REP())).err).toContain(
      "is not a file this process can read",
    );
    expect((await cli("import", file, "-w", slug, "--as", fx.b.members.admin.email)).err).toBe(
      `${fx.b.members.admin.email} is not a member of ${slug}.\n`,
    );
    expect((await cli("import", file, "-w", "no-such-workspace", "--as", REP())).err).toContain('No workspace "no-such-workspace"');
    // A file whose size is not what is read (under /proc, or still being written): said, and nothing kept.
    const importsBefore = await serviceDb().execute<{ n: number }>(
      sql`select count(*)::int n from lead_imports where workspace_id = ${fx.a.id}`,
    );
    expect(await cli("import", "/proc/self/status", "-w", slug, "--as", REP())).toMatchObject({
      code: 1,
      err: "/proc/self/status changed size while it was read (is it still being written?). Nothing was imported: try again once it is complete.\n",
    });
    const importsAfter = await serviceDb().execute<{ n: number }>(
      sql`select count(*)::int n from lead_imports where workspace_id = ${fx.a.id}`,
    );
    expect(importsAfter[0]!.n).toBe(importsBefore[0]!.n);
    expect((await cli("import", file, "-w", slug)).err).toContain("--as <email>");
  });

  it("exports a filter as the page's formula-safe CSV, as a role allowed to export", async () => {
    const exported = await cli("export", "-w", slug, "--as", fx.a.members.analyst.email, "--filter", "q=beispiel&sort=name&dir=asc");
    expect(exported.code).toBe(0);
    expect(exported.err).toBe("2 leads.\n");
    expect(exported.out.startsWith("\uFEFF")).toBe(true);
    expect(exported.out).toContain("José");
    expect(exported.out).toContain("'=HYPERLINK(1)");
    expect(await cli("export", "-w", slug, "--as", fx.a.members.viewer.email)).toMatchObject({
      code: 1,
      err: "Your role cannot export leads. Ask an admin for the analyst role or above.\n",
    });
    // Not as an account that may not sign in now: banned, or deleted.
    const analyst = fx.a.members.analyst;
    for (const [column, value] of [
      ["banned_until", "now() + interval '10 years'"],
      ["deleted_at", "now()"],
    ] as const) {
      await serviceDb().execute(sql`update auth.users set ${sql.raw(column)} = ${sql.raw(value)} where id = ${analyst.id}`);
      try {
        expect(await cli("export", "-w", slug, "--as", analyst.email)).toMatchObject({
          code: 1,
          out: "",
          err: `${analyst.email}'s account is banned or deleted: work cannot be done as them.\n`,
        });
      } finally {
        await serviceDb().execute(sql`update auth.users set ${sql.raw(column)} = null where id = ${analyst.id}`);
      }
    }
  });

  it("writes an export to stdout at the reader's pace: never again before a full pipe has drained", async () => {
    const chunks: Buffer[] = [];
    let full = false;
    let writesWhileFull = 0;
    // A pipe whose reader is slow: every write fills it, and it drains 5 ms later.
    const io: CliIo = {
      out: (chunk) => {
        if (full) writesWhileFull++;
        chunks.push(Buffer.from(chunk));
        full = true;
        return false;
      },
      drained: () => new Promise((resolve) => setTimeout(() => ((full = false), resolve()), 5)),
      err: () => {},
      cwd: process.cwd(),
    };
    const code = await runCli(["export", "-w", slug, "--as", fx.a.members.analyst.email, "--filter", "q=beispiel"], io, jobs);
    expect(code).toBe(0);
    expect(writesWhileFull).toBe(0);
    expect(Buffer.concat(chunks).toString("utf8")).toContain("José");
  });

  it("runs only the work it follows: another workspace's queued job waits for the app", async () => {
    const { ids } = await sendEvent({ name: "workspace/digest.requested", data: { workspaceId: fx.b.id, requestedBy: null } });
    const run = await cli("import", path.join(dir, "people.csv"), "-w", slug, "--as", REP(), "--on-match", "fill_empty");
    expect(run.code).toBe(0);
    // Fanned out by the CLI's executor (every function still gets its runs of the events it dispatches), not run there.
    const runs = await serviceDb().execute<{ status: string; function_id: string }>(
      sql`select r.status, r.function_id from job_runs r where r.event_id = ${ids[0]!}`,
    );
    expect(runs).toEqual([{ status: "queued", function_id: "compose-workspace-digest" }]);
    await serviceDb().execute(sql`delete from job_events where id = ${ids[0]!}`);
  });

  it("refuses to replay a run of a function this installation no longer has, before queuing anything", async () => {
    const [event] = await serviceDb().execute<{ id: string }>(sql`
      insert into job_events (workspace_id, name, data, ts, dispatched_at) values (${fx.a.id}, 'retired/thing.happened', '{}', now(), now())
      returning id`);
    const [run] = await serviceDb().execute<{ id: string }>(sql`
      insert into job_runs (workspace_id, function_id, event_id, status, ended_at) values (${fx.a.id}, 'retired-function', ${event!.id}, 'failed', now())
      returning id`);
    const replayed = await cli("runs", "replay", run!.id, "-w", slug);
    expect(replayed).toMatchObject({
      code: 1,
      err: 'This installation has no job function "retired-function": its runs cannot be run from here.\n',
    });
    const runs = await serviceDb().execute(sql`select 1 from job_runs where event_id = ${event!.id}`);
    expect(runs).toHaveLength(1);
    await serviceDb().execute(sql`delete from job_events where id = ${event!.id}`);
  });

  it("reads and writes relative paths from the operator's directory, not the project's", async () => {
    await writeFile(path.join(dir, "here.csv"), "First Name,Email\nIrène,irene.here@hier.example\n");
    const imported = await cliIn({ cwd: dir }, "import", "here.csv", "-w", slug, "--as", REP());
    expect(imported.out).toMatch(/completed: 1 new/);
    const exported = await cliIn({ cwd: dir }, "export", "-w", slug, "--as", REP(), "--filter", "q=irene.here", "-o", "out.csv");
    expect(exported).toMatchObject({ code: 0, err: `1 lead to ${path.join(dir, "out.csv")}.\n` });
    expect(await readFile(path.join(dir, "out.csv"), "utf8")).toContain("Irène");
  });

  it("checks an import's tags and mapping as the app does: bad tags store nothing, a file without Email or LinkedIn waits for its mapping", async () => {
    const imports = async () =>
      (await serviceDb().execute<{ n: number }>(sql`select count(*)::int n from lead_imports where workspace_id = ${fx.a.id}`))[0]!.n;
    const before = await imports();
    const file = path.join(dir, "people.csv");
    const badTag = await cli("import", file, "-w", slug, "--as", REP(), "--tag", "ok", "--tag", "a,b");
    expect(badTag.code).toBe(1);
    expect(badTag.err).toMatch(/^--tag "a,b": /);
    expect(await imports()).toBe(before);

    await writeFile(path.join(dir, "names-only.csv"), "Name,Company\nAna,Acme\n");
    const unmapped = await cli("import", path.join(dir, "names-only.csv"), "-w", slug, "--as", REP());
    expect(unmapped.code).toBe(1);
    expect(unmapped.err).toContain("Email");
    const [kept] = await serviceDb().execute<{ id: string; status: string }>(sql`
      select id, status::text from lead_imports where workspace_id = ${fx.a.id} and file_name = 'names-only.csv'`);
    expect(kept!.status).toBe("mapping");
    expect(unmapped.err).toContain(`/imports/${kept!.id}`);
  });

  it("ends when the import it follows is paused in the app, saying how it goes on, and exits 1", async () => {
    await writeFile(path.join(dir, "paused.csv"), "First Name,Email\nPia,pia.paused@pause.example\n");
    // Paused before any batch runs, as a person pressing Pause on the Imports page.
    const pausing: JobRunner = {
      start: async () => {
        await serviceDb().execute(
          sql`update lead_imports set status = 'paused' where workspace_id = ${fx.a.id} and file_name = 'paused.csv'`,
        );
        return { stop: async () => {} };
      },
    };
    const run = await cliIn({ runner: pausing }, "import", path.join(dir, "paused.csv"), "-w", slug, "--as", REP());
    expect(run.code).toBe(1);
    expect(run.out).toMatch(
      /paused: 0 new, 0 updated, 0 skipped, 0 failed of 1 rows\.\nIt continues when someone presses Resume at \S+\/imports\//,
    );
  });

  it("refuses a filter it cannot apply (a misspelt key, an unusable value) before exporting or estimating anything", async () => {
    const audits = async () =>
      (
        await serviceDb().execute<{ n: number }>(
          sql`select count(*)::int n from audit_log where workspace_id = ${fx.a.id} and action = 'leads.exported'`,
        )
      )[0]!.n;
    const before = await audits();
    const typo = await cli("export", "-w", slug, "--as", REP(), "--filter", "staus=new");
    expect(typo).toMatchObject({ code: 1, out: "" });
    expect(typo.err).toMatch(/^--filter: the leads page has no "staus" \(it takes q, status, /);
    const badValue = await cli("export", "-w", slug, "--as", REP(), "--filter", "status=new&scoreMin=lots");
    expect(badValue).toMatchObject({ code: 1, out: "", err: "--filter: the minimum score cannot be used as given. Nothing was done.\n" });
    const enrich = await cli("enrich", "-w", slug, "--as", REP(), "--filter", "countyr=DE");
    expect(enrich).toMatchObject({ code: 1, out: "" });
    // A script's unset variable, or a key given twice, is not taken as "every lead".
    expect(await cli("export", "-w", slug, "--as", REP(), "--filter", "status=&q=x")).toMatchObject({
      code: 1,
      err: '--filter: "status" has no value. Nothing was done.\n',
    });
    expect((await cli("export", "-w", slug, "--as", REP(), "--filter", "status=new&status=lost")).err).toMatch(
      /^--filter: "status" is given twice/,
    );
    expect(await audits()).toBe(before);
    // What the address bar holds beside the filter (the saved view, the lead open in the panel) is no filter.
    const fromBar = await cli("export", "-w", slug, "--as", REP(), "--filter", `q=beispiel&view=${fx.a.id}&lead=${fx.a.id}`);
    expect(fromBar).toMatchObject({ code: 0, err: "2 leads.\n" });
    expect(await audits()).toBe(before + 1);
  });

  it("replaces an --out file even when no lead matches (the header alone), and says when it cannot write there", async () => {
    const out = path.join(dir, "daily.csv");
    await writeFile(out, "yesterday's leads\n");
    const none = await cli("export", "-w", slug, "--as", REP(), "--filter", "q=nobody-matches-this", "-o", out);
    expect(none).toMatchObject({ code: 0, err: `0 leads to ${out}.\n` });
    expect(await readFile(out, "utf8")).toMatch(/^\uFEFFName,/);
    expect((await readFile(out, "utf8")).split("\n").filter(Boolean)).toHaveLength(1);
    const nowhere = await cli("export", "-w", slug, "--as", REP(), "-o", path.join(dir, "no-such-dir", "x.csv"));
    expect(nowhere).toMatchObject({
      code: 1,
      err: `${path.join(dir, "no-such-dir")} cannot be written here (missing, or not writable by this user).\n`,
    });
  });

  it("lists runs and replays the import's run without importing anything twice", async () => {
    const listed = await cli("runs", "list", "-w", slug, "--function", "run-lead-import");
    const runId = /^(\S+)\s+\S+\s+completed\s+run-lead-import/m.exec(listed.out)?.[1];
    expect(runId).toBeDefined();
    const before = await leadCount();
    const replay = await cli("runs", "replay", runId!, "-w", slug);
    expect(replay.out).toMatch(/^Replay \S+ completed\.\n$/);
    expect(replay.code).toBe(0);
    expect(await leadCount()).toBe(before);
    expect((await cli("runs", "list", "-w", slug)).out).toContain(`(replay of ${runId})`);
    expect((await cli("runs", "list", "-w", slug, "--status", "broken")).err).toContain("--status is one of");
    expect((await cli("runs", "replay", runId!, "-w", fx.b.id)).err).toBe("That job run was not found.\n");

    // A cron replaying again while the last replay is queued is refused; the operator can cancel that one.
    const queued = await cli("runs", "replay", runId!, "-w", slug, "--no-wait");
    const queuedId = queued.out.trim();
    expect(await cli("runs", "replay", runId!, "-w", slug, "--no-wait")).toMatchObject({
      code: 1,
      err: `Another run of this job is doing the same work now: cancel it first, or wait for it to end.\nIts id: ${queuedId}\n`,
    });
    expect(await cli("runs", "cancel", queuedId, "-w", fx.b.id)).toMatchObject({ code: 1, err: "That job run was not found.\n" });
    expect(await cli("runs", "cancel", queuedId, "-w", slug)).toMatchObject({ code: 0, out: `Run ${queuedId} cancelled.\n` });
    expect((await cli("runs", "list", "-w", slug, "--status", "cancelled")).out).toContain(`${queuedId} `);

    // Text from the database holding a terminal's escape sequences (a run's error quotes what a
    // vendor or a file said; a workspace named before names were checked): printed as escapes.
    await serviceDb().execute(sql`
      update job_runs set error = jsonb_build_object('name', 'Error', 'message', ${"Boom\u001b]0;pwned\u0007\u001b[2J\rfake line"}::text)
      where id = ${queuedId}`);
    const escaped = await cli("runs", "list", "-w", slug, "--status", "cancelled");
    expect(escaped.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(escaped.out).toContain("Boom\\u001b]0;pwned\\u0007\\u001b[2J\\u000dfake line");
    expect(await cli("runs", "cancel", queuedId, "-w", slug)).toMatchObject({ code: 1, err: "Only a run in progress can be cancelled.\n" });
  });

  it("estimates an enrichment without spending, and runs it only with --yes", async () => {
    await serviceDb().execute(
      sql`update workspace_ai_settings set icp_description = 'Logistics and manufacturing firms in Europe' where workspace_id = ${fx.a.id}`,
    );
    const estimate = await cli("enrich", "-w", slug, "--as", REP(), "--filter", "q=beispiel");
    expect(estimate.out).toMatch(
      /^2 leads: 0 answered from the cache, 2 to ask gpt-4o-mini\.\nEstimate: [\d,]+ prompt and [\d,]+ completion tokens/,
    );
    expect(estimate.out).toContain("Nothing was spent. Run again with --yes to start.");
    expect(fake.requests).toHaveLength(0);

    const run = await cli("enrich", "-w", slug, "--as", REP(), "--filter", "q=beispiel", "--yes");
    expect(run.out).toMatch(/completed: 2 enriched, 0 from the cache, 0 failed/);
    expect(run.code).toBe(0);
    expect(fake.requests).toHaveLength(2);
    const scored = await serviceDb().execute<{ n: number }>(
      sql`select count(*)::int n from leads where workspace_id = ${fx.a.id} and enrichment ? 'icebreaker'`,
    );
    expect(scored[0]!.n).toBe(2);
  });

  it("syncs Instantly now as an admin and follows the sync to its end; a rep may not", async () => {
    const admin = fx.a.members.admin;
    expect((await cli("instantly", "sync", "-w", slug, "--as", admin.email)).err).toContain("has no Instantly connection");
    await asUser(admin, (tx) =>
      connectIntegrationAccount(
        tx,
        { workspaceId: fx.a.id, userId: admin.id, role: "admin" },
        { vendor: "instantly", apiKey: INSTANTLY_KEY },
      ),
    );
    instantly.requests.splice(0);
    const synced = await cli("instantly", "sync", "-w", slug, "--as", admin.email);
    expect(synced).toMatchObject({ code: 0, out: "Instantly sync completed.\n" });
    expect(instantly.requests.length).toBeGreaterThan(0);
    expect(await cli("instantly", "sync", "-w", slug, "--as", REP())).toMatchObject({
      code: 1,
      err: "Only an admin can manage integrations. Ask an admin of this workspace.\n",
    });
  });
});
