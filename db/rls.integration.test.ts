import { createHash, randomBytes, randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb, type Database } from "@/db";
import { WORKSPACE_ROLES, type WorkspaceRole } from "@/lib/auth/roles";
import {
  asUser,
  asUserRolledBack,
  createTenancyFixture,
  createTestUser,
  membersOf,
  outcome,
  randomSuffix,
  removeTenancyFixture,
  sqlState,
  type TenancyFixture,
  type TenancyWorkspace,
  type TestUser,
} from "@/tests/fixtures/tenancy";

/**
 * The RLS backstop (DESIGN.md §5): whatever a service forgets, a signed-in user's
 * transaction can neither read nor write another workspace's rows, and inside their own
 * workspace gets exactly what their role allows. One entry in CASES per table in `public`;
 * the catalogue test fails when a table has none.
 */

type Row = Record<string, unknown>;
type Exec = Pick<Database, "execute">;
type Op = "select" | "insert" | "update" | "delete";
type Seeded = { a: string[]; b: string[]; system: string[] };

type TableCase = {
  table: string;
  idColumn: string;
  /** The column naming the row's workspace; null where the table is scoped another way (profiles). */
  tenantColumn: string | null;
  /** Ids of rows of `ws` for the suite to read and attack (inserted here if the fixture has none). */
  seed: (db: Database, ws: TenancyWorkspace) => Promise<string[]>;
  /** Tables whose workspace_id is nullable: a system row (NULL workspace) that no user may see. */
  seedSystem?: (db: Database) => Promise<string>;
  /** A new row for `ws` as `actor` would submit it. */
  newRow: (ws: TenancyWorkspace, actor: TestUser, fx: TenancyFixture) => Row;
  /** What a tampering update sets; it must change every seeded row. */
  tamper: Row;
  /** Which roles may do what to the rows of their own workspace. */
  allowed: Record<Op, readonly WorkspaceRole[]>;
  /** Rows the actor may write whatever their role (their own). */
  own?: (op: "update" | "delete", actor: TestUser) => string[];
};

const ALL = WORKSPACE_ROLES;
const ADMIN = ["admin"] as const;
const NONE = [] as const;
/** The roles with analytics.read. */
const ANALYSTS = ["admin", "manager", "sales_rep", "analyst"] as const;
const ADMINS_READ_ONLY = { select: ADMIN, insert: NONE, update: NONE, delete: NONE };

/** Stands for a sealed API key (lib/integrations/accounts/secret-box.ts); its shape is not checked here. */
const SEALED_PLACEHOLDER = Buffer.alloc(40, 1).toString("base64");
const randomHash = () => createHash("sha256").update(randomBytes(32)).digest("hex");
const isMember = (ws: TenancyWorkspace, user: TestUser) => membersOf(ws).some((m) => m.id === user.id);
const TAMPERED = JSON.stringify({ tampered: true });

type JobRows = { eventId: string; runId: string; stepId: string };
const jobRows = new Map<string, JobRows>();

/**
 * One event, run and step per workspace, or for the system (no workspace), as the executor
 * writes them. Already dispatched and finished, under names no function listens to, so that
 * an executor running in another test file never picks them up.
 */
async function seedJobs(db: Database, workspaceId: string | null): Promise<JobRows> {
  const key = workspaceId ?? "system";
  const existing = jobRows.get(key);
  if (existing) return existing;
  const [event] = await db.execute<{ id: string }>(sql`
    insert into public.job_events (workspace_id, name, data, ts, dispatched_at)
    values (${workspaceId}, 'rls-test/fixture', '{}', now(), now()) returning id`);
  const [run] = await db.execute<{ id: string }>(sql`
    insert into public.job_runs (workspace_id, function_id, event_id, status, ended_at)
    values (${workspaceId}, 'rls-test-fixture', ${event?.id}, 'completed', now()) returning id`);
  const [step] = await db.execute<{ id: string }>(sql`
    insert into public.job_steps (run_id, workspace_id, step_key, step_id, op, status)
    values (${run?.id}, ${workspaceId}, ${randomHash()}, 'parse-file', 'run', 'completed') returning id::text`);
  if (!event || !run || !step) throw new Error("job seed returned no row");
  const rows = { eventId: event.id, runId: run.id, stepId: step.id };
  jobRows.set(key, rows);
  return rows;
}

function jobsOf(ws: TenancyWorkspace): JobRows {
  const rows = jobRows.get(ws.id);
  if (!rows) throw new Error(`no job rows seeded for ${ws.name}`);
  return rows;
}

type LeadRows = { unassigned: string; ofRep: string; ofManager: string; companyId: string; activityId: string; sharedViewId: string };
const leadRows = new Map<string, LeadRows>();

/**
 * A company, three leads (unassigned, the sales rep's, the manager's), a timeline entry and a
 * view the manager shared, per workspace: what the lead tables' rules are about.
 */
async function seedLeads(db: Database, ws: TenancyWorkspace): Promise<LeadRows> {
  const existing = leadRows.get(ws.id);
  if (existing) return existing;
  const suffix = randomSuffix();
  const [company] = await db.execute<{ id: string }>(sql`
    insert into public.companies (workspace_id, name, domain) values (${ws.id}, 'Société Générale', ${`sg-${suffix}.example`}) returning id`);
  const lead = async (ownerId: string | null, email: string) => {
    const [row] = await db.execute<{ id: string }>(sql`
      insert into public.leads (workspace_id, first_name, last_name, email, owner_id, company_id)
      values (${ws.id}, 'Zoë', 'Ångström', ${email}, ${ownerId}, ${company?.id}) returning id`);
    if (!row) throw new Error("lead seed returned no row");
    return row.id;
  };
  const unassigned = await lead(null, `unassigned-${suffix}@example.test`);
  const ofRep = await lead(ws.members.sales_rep.id, `rep-${suffix}@example.test`);
  const ofManager = await lead(ws.members.manager.id, `manager-${suffix}@example.test`);
  const [activity] = await db.execute<{ id: string }>(sql`
    insert into public.lead_activities (workspace_id, lead_id, type, actor_id, payload)
    values (${ws.id}, ${unassigned}, 'note_added', ${ws.members.sales_rep.id}, '{"body":"Met at the fair"}') returning id`);
  const [view] = await db.execute<{ id: string }>(sql`
    insert into public.saved_views (workspace_id, owner_id, table_name, name, shared, state)
    values (${ws.id}, ${ws.members.manager.id}, 'leads', 'Hot leads', true, '{"status":"interested"}') returning id`);
  if (!company || !activity || !view) throw new Error("lead seed returned no row");
  const rows = { unassigned, ofRep, ofManager, companyId: company.id, activityId: activity.id, sharedViewId: view.id };
  leadRows.set(ws.id, rows);
  return rows;
}

/** One endpoint, one event and one delivery per workspace, whichever case seeds first. */
const webhookRows = new Map<string, Promise<{ endpointId: string; eventId: string; deliveryId: string }>>();

async function seedWebhookEndpoint(db: Database, ws: TenancyWorkspace): Promise<string> {
  return (await seedWebhookRows(db, ws)).endpointId;
}

async function seedWebhookDelivery(db: Database, ws: TenancyWorkspace): Promise<{ eventId: string; deliveryId: string }> {
  return seedWebhookRows(db, ws);
}

function seedWebhookRows(db: Database, ws: TenancyWorkspace) {
  let rows = webhookRows.get(ws.id);
  if (!rows) {
    rows = insertWebhookRows(db, ws);
    webhookRows.set(ws.id, rows);
  }
  return rows;
}

async function insertWebhookRows(db: Database, ws: TenancyWorkspace) {
  const [row] = await db.execute<{ id: string }>(sql`
    insert into public.webhook_endpoints (workspace_id, url, event_types, secret_ciphertext, secret_key_id, created_by)
    values (${ws.id}, 'https://hooks.example.com/in', '{lead.created}', ${SEALED_PLACEHOLDER}, 'k1', ${ws.members.admin.id})
    returning id`);
  const endpointId = row!.id;
  const [event] = await db.execute<{ id: string }>(sql`
    insert into public.webhook_events (workspace_id, type, data) values (${ws.id}, 'lead.created', '{"lead":{}}') returning id`);
  const [delivery] = await db.execute<{ id: string }>(sql`
    insert into public.webhook_deliveries (workspace_id, event_id, endpoint_id, status)
    values (${ws.id}, ${event!.id}, ${endpointId}, 'succeeded') returning id`);
  return { endpointId, eventId: event!.id, deliveryId: delivery!.id };
}

function leadsOf(ws: TenancyWorkspace): LeadRows {
  const rows = leadRows.get(ws.id);
  if (!rows) throw new Error(`no lead rows seeded for ${ws.name}`);
  return rows;
}

const LEAD_EDITORS = ["admin", "manager", "sales_rep"] as const;
/** Imports, their rows and issues are read by importers and analysts (`imports.read`). */
const IMPORT_READERS = [...LEAD_EDITORS, "analyst"] as const;

const CASES: TableCase[] = [
  {
    table: "workspaces",
    idColumn: "id",
    tenantColumn: "id",
    seed: async (_db, ws) => [ws.id],
    newRow: () => ({ name: "Initech", slug: `initech-${randomSuffix()}` }),
    tamper: { name: "Hijacked" },
    allowed: { select: ALL, insert: NONE, update: ADMIN, delete: NONE },
  },
  {
    table: "workspace_members",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (_db, ws) => membersOf(ws).map((m) => m.memberId),
    // Into another workspace: the classic escalation, adding oneself as its admin.
    newRow: (ws, actor, fx) => ({
      workspace_id: ws.id,
      user_id: isMember(ws, actor) ? fx.outsider.id : actor.id,
      role: "admin",
    }),
    tamper: { role: "admin", updated_at: "2000-01-01T00:00:00Z" },
    // Members join only through the server (an accepted invitation, the setup, the CLI): an
    // admin's token adding someone would skip their consent (migration 0100).
    allowed: { select: ALL, insert: NONE, update: ADMIN, delete: ADMIN },
  },
  {
    table: "invitations",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (_db, ws) => [ws.invitationId],
    newRow: (ws, actor) => ({
      workspace_id: ws.id,
      email: `new-${randomSuffix()}@example.test`,
      role: "admin",
      token_hash: randomHash(),
      invited_by: actor.id,
      expires_at: new Date(Date.now() + 86_400_000).toISOString(),
    }),
    tamper: { role: "admin", email: "attacker@example.test" },
    // Created through private.create_invitation with a token the server made; an admin's token
    // may only revoke (revoked_at): one that chose a token_hash could plant a link it knows (0100).
    allowed: { select: ADMIN, insert: NONE, update: NONE, delete: ADMIN },
  },
  {
    table: "audit_log",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (_db, ws) => [ws.auditLogId],
    newRow: (ws, actor) => ({ workspace_id: ws.id, actor_id: actor.id, action: "lead.viewed", target_type: "lead" }),
    tamper: { action: "tampered" },
    // Append-only: nobody updates or deletes history, admins included. Nobody's token inserts
    // either: the server records through private.record_audit (0103), or anyone could forge it.
    allowed: { select: ADMIN, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "profiles",
    idColumn: "id",
    tenantColumn: null,
    seed: async (_db, ws) => membersOf(ws).map((m) => m.id),
    // Someone else's profile. Creating one's own is tested on its own below.
    newRow: (ws, actor) => {
      const other = membersOf(ws).find((m) => m.id !== actor.id);
      return { id: other?.id, email: `forged-${randomSuffix()}@example.test` };
    },
    tamper: { full_name: "Hijacked" },
    allowed: { select: ALL, insert: NONE, update: NONE, delete: NONE },
    own: (op, actor) => (op === "update" ? [actor.id] : []),
  },
  {
    table: "job_events",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => [(await seedJobs(db, ws.id)).eventId],
    seedSystem: async (db) => (await seedJobs(db, null)).eventId,
    newRow: (ws) => ({ workspace_id: ws.id, name: "rls-test/forged", data: "{}", ts: new Date().toISOString() }),
    tamper: { name: "tampered", data: TAMPERED },
    allowed: ADMINS_READ_ONLY,
  },
  {
    table: "job_runs",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => [(await seedJobs(db, ws.id)).runId],
    seedSystem: async (db) => (await seedJobs(db, null)).runId,
    newRow: (ws) => ({ workspace_id: ws.id, function_id: "replayed-by-hand", event_id: jobsOf(ws).eventId }),
    tamper: { lease_owner: "attacker", output: TAMPERED },
    allowed: ADMINS_READ_ONLY,
  },
  {
    table: "job_steps",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => [(await seedJobs(db, ws.id)).stepId],
    seedSystem: async (db) => (await seedJobs(db, null)).stepId,
    newRow: (ws) => ({
      run_id: jobsOf(ws).runId,
      workspace_id: ws.id,
      step_key: randomHash(),
      step_id: "send-email",
      op: "run",
      status: "completed",
    }),
    tamper: { output: TAMPERED },
    allowed: ADMINS_READ_ONLY,
  },
  {
    table: "companies",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => [(await seedLeads(db, ws)).companyId],
    newRow: (ws) => ({ workspace_id: ws.id, name: "Initech", domain: `initech-${randomSuffix()}.example` }),
    tamper: { name: "Hijacked", description: "tampered" },
    allowed: { select: ALL, insert: LEAD_EDITORS, update: LEAD_EDITORS, delete: ADMIN },
  },
  // Each company's count of live leads: written by triggers and import batches alone (migration 0091); members read it.
  {
    table: "company_lead_counts",
    idColumn: "company_id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => [(await seedLeads(db, ws)).companyId],
    newRow: (ws) => ({ workspace_id: ws.id, company_id: randomUUID(), lead_count: 1 }),
    tamper: { lead_count: 1000 },
    allowed: { select: ALL, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "leads",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => {
      const rows = await seedLeads(db, ws);
      return [rows.unassigned, rows.ofRep, rows.ofManager];
    },
    newRow: (ws, actor) => ({
      workspace_id: ws.id,
      first_name: "Chloé",
      email: `chloe-${randomSuffix()}@example.test`,
      created_by: actor.id,
    }),
    tamper: { first_name: "Hijacked", score: 99 },
    // Sales reps write their own and unassigned leads only (the manager's stays out of reach).
    allowed: { select: ALL, insert: LEAD_EDITORS, update: ["admin", "manager"], delete: ADMIN },
    own: (op, actor) => {
      if (op !== "update" || actor.id !== fx.a.members.sales_rep.id) return [];
      const rows = leadsOf(fx.a);
      return [rows.unassigned, rows.ofRep];
    },
  },
  {
    table: "lead_activities",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => [(await seedLeads(db, ws)).activityId],
    newRow: (ws, actor) => ({ workspace_id: ws.id, lead_id: leadsOf(ws).unassigned, type: "note_added", actor_id: actor.id }),
    tamper: { payload: TAMPERED },
    // The timeline is history: appended by editors, rewritten by nobody.
    allowed: { select: ALL, insert: LEAD_EDITORS, update: NONE, delete: NONE },
  },
  {
    table: "saved_views",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => [(await seedLeads(db, ws)).sharedViewId],
    newRow: (ws, actor) => ({ workspace_id: ws.id, owner_id: actor.id, table_name: "leads", name: `Mine ${randomSuffix()}`, state: "{}" }),
    tamper: { name: "Hijacked", state: JSON.stringify({ status: "lost" }) },
    // Shared views are read by everyone and changed only by their owner; an admin may also
    // delete one (a view a member who left shared, which nobody else could change).
    allowed: { select: ALL, insert: ALL, update: NONE, delete: ADMIN },
    own: (_op, actor) => (actor.id === fx.a.members.manager.id ? [leadsOf(fx.a).sharedViewId] : []),
  },
  {
    table: "lead_bulk_operations",
    idColumn: "id",
    tenantColumn: "workspace_id",
    // One bulk change per workspace, the sales rep's: only its requester sees or advances it.
    seed: async (db, ws) => {
      const [row] = await db.execute<{ id: string }>(sql`
        insert into public.lead_bulk_operations (workspace_id, requested_by, action, selection, total)
        values (${ws.id}, ${ws.members.sales_rep.id}, 'delete', '{"kind":"ids","ids":[]}', 1) returning id`);
      if (!row) throw new Error("bulk operation seed returned no row");
      return [row.id];
    },
    newRow: (ws, actor) => ({
      workspace_id: ws.id,
      requested_by: actor.id,
      action: "delete",
      selection: '{"kind":"ids","ids":[]}',
      total: 1,
    }),
    tamper: { error: "tampered", processed: 1 },
    allowed: { select: ["sales_rep"], insert: LEAD_EDITORS, update: NONE, delete: NONE },
    own: (op, actor) => (op === "update" && actor.id === fx.a.members.sales_rep.id ? seededOf(caseFor("lead_bulk_operations")).a : []),
  },
  {
    table: "lead_imports",
    idColumn: "id",
    tenantColumn: "workspace_id",
    // One import per workspace, the sales rep's: importers and analysts read it; its creator, managers and
    // admins change its plan or delete it; only the upload route (service connection) creates.
    seed: async (db, ws) => [await seedImport(db, ws)],
    newRow: (ws, actor) => ({
      workspace_id: ws.id,
      created_by: actor.id,
      file_name: "leads.csv",
      file_size: 10,
      encoding: "utf-8",
      delimiter: ",",
      headers: "{Email}",
      total_rows: 0,
    }),
    // Starting it is the one change of a new import a person may make (0106).
    tamper: { status: "queued", preset: "tampered", mapping: TAMPERED, rules: TAMPERED },
    allowed: { select: IMPORT_READERS, insert: NONE, update: ["admin", "manager"], delete: ["admin", "manager"] },
    own: (_op, actor) => (actor.id === fx.a.members.sales_rep.id ? seededOf(caseFor("lead_imports")).a : []),
  },
  {
    table: "lead_import_rows",
    idColumn: "import_id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => {
      const importId = await seedImport(db, ws);
      await db.execute(sql`insert into public.lead_import_rows (import_id, workspace_id, row_number, fields)
        values (${importId}, ${ws.id}, 1, '{ana@example.com}')`);
      return [importId];
    },
    newRow: (ws) => ({
      import_id: seededOf(caseFor("lead_import_rows"))[ws === fx.a ? "a" : "b"][0],
      workspace_id: ws.id,
      row_number: 2,
      fields: "{x}",
    }),
    tamper: { fields: "{tampered}" },
    allowed: { select: IMPORT_READERS, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "lead_import_issues",
    idColumn: "import_id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => {
      const importId = await seedImport(db, ws);
      await db.execute(sql`insert into public.lead_import_issues (import_id, workspace_id, row_number, outcome, reason)
        values (${importId}, ${ws.id}, 1, 'failed', 'invalid_email')`);
      return [importId];
    },
    newRow: (ws) => ({
      import_id: seededOf(caseFor("lead_import_issues"))[ws === fx.a ? "a" : "b"][0],
      workspace_id: ws.id,
      row_number: 2,
      outcome: "skipped",
      reason: "empty_row",
    }),
    tamper: { reason: "tampered" },
    allowed: { select: IMPORT_READERS, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "lead_import_keys",
    idColumn: "import_id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => {
      const importId = await seedImport(db, ws);
      await db.execute(sql`insert into public.lead_import_keys (import_id, workspace_id, key)
        values (${importId}, ${ws.id}, 'e:ana@example.com')`);
      return [importId];
    },
    newRow: (ws) => ({
      import_id: seededOf(caseFor("lead_import_keys"))[ws === fx.a ? "a" : "b"][0],
      workspace_id: ws.id,
      key: "e:bo@example.com",
    }),
    tamper: { key: "e:tampered@example.com" },
    allowed: { select: LEAD_EDITORS, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "lead_import_mappings",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => {
      const [row] = await db.execute<{ id: string }>(sql`
        insert into public.lead_import_mappings (workspace_id, created_by, name, columns)
        values (${ws.id}, ${ws.members.sales_rep.id}, 'Apollo as we use it', '{"Email":{"kind":"field","field":"email"}}') returning id`);
      if (!row) throw new Error("mapping seed returned no row");
      return [row.id];
    },
    newRow: (ws, actor) => ({ workspace_id: ws.id, created_by: actor.id, name: `Mapping ${randomSuffix()}`, columns: "{}" }),
    tamper: { name: "Tampered" },
    allowed: { select: LEAD_EDITORS, insert: LEAD_EDITORS, update: ADMIN, delete: ADMIN },
    own: (_op, actor) => (actor.id === fx.a.members.sales_rep.id ? seededOf(caseFor("lead_import_mappings")).a : []),
  },
  {
    table: "sending_identities",
    idColumn: "id",
    tenantColumn: "workspace_id",
    // The campaign's identity and a spare: read by all, admins write.
    seed: async (db, ws) => {
      const { identityId, otherIdentityId } = await seedCampaign(db, ws);
      return [identityId, otherIdentityId];
    },
    // A domain of its own: one another workspace sends from is refused (migration 0097, tested in sending-identities).
    newRow: (ws) => ({ workspace_id: ws.id, from_name: "Zoë Sales", from_email: `zoe@${randomSuffix()}.example.test` }),
    tamper: { from_name: "Hijacked" },
    allowed: { select: ALL, insert: ADMIN, update: ADMIN, delete: ADMIN },
  },
  {
    table: "campaigns",
    idColumn: "id",
    tenantColumn: "workspace_id",
    // The sales rep's draft: everyone reads it; managers and admins edit any, the rep their own.
    seed: async (db, ws) => [(await seedCampaign(db, ws)).campaignId],
    newRow: (ws, actor) => ({ workspace_id: ws.id, owner_id: actor.id, name: `Q3 outreach ${randomSuffix()}` }),
    tamper: { name: "Hijacked" },
    allowed: { select: ALL, insert: LEAD_EDITORS, update: ["admin", "manager"], delete: ["admin", "manager"] },
    own: (_op, actor) => (actor.id === fx.a.members.sales_rep.id ? [campaignOf(fx.a).campaignId] : []),
  },
  {
    table: "campaign_steps",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => [(await seedCampaign(db, ws)).stepId],
    newRow: (ws) => ({ workspace_id: ws.id, campaign_id: campaignOf(ws).campaignId, position: 2, delay_days: 3 }),
    tamper: { delay_days: 9 },
    allowed: { select: ALL, insert: LEAD_EDITORS, update: ["admin", "manager"], delete: ["admin", "manager"] },
    own: (_op, actor) => (actor.id === fx.a.members.sales_rep.id ? [campaignOf(fx.a).stepId] : []),
  },
  {
    table: "campaign_step_variants",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => [(await seedCampaign(db, ws)).variantId],
    newRow: (ws) => {
      const c = campaignOf(ws);
      return { workspace_id: ws.id, campaign_id: c.campaignId, step_id: c.stepId, label: "B", weight: 50, subject: "Hi {{ first_name }}" };
    },
    tamper: { subject: "Hijacked" },
    allowed: { select: ALL, insert: LEAD_EDITORS, update: ["admin", "manager"], delete: ["admin", "manager"] },
    own: (_op, actor) => (actor.id === fx.a.members.sales_rep.id ? [campaignOf(fx.a).variantId] : []),
  },
  {
    table: "campaign_identities",
    idColumn: "identity_id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => [(await seedCampaign(db, ws)).identityId],
    newRow: (ws) => ({ workspace_id: ws.id, campaign_id: campaignOf(ws).campaignId, identity_id: campaignOf(ws).otherIdentityId }),
    // A link is added or removed whole, never rewritten.
    tamper: { identity_id: "00000000-0000-4000-8000-000000000000" },
    allowed: { select: ALL, insert: LEAD_EDITORS, update: NONE, delete: ["admin", "manager"] },
    own: (op, actor) => (op === "delete" && actor.id === fx.a.members.sales_rep.id ? [campaignOf(fx.a).identityId] : []),
  },
  {
    table: "campaign_approvals",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => [(await seedCampaign(db, ws)).approvalId],
    newRow: (ws, actor) => ({
      workspace_id: ws.id,
      campaign_id: campaignOf(ws).campaignId,
      decision: "rejected",
      content_hash: campaignOf(ws).contentHash,
      content: "{}",
      comment: "Not yet: the second step repeats the first.",
      decided_by: actor.id,
    }),
    tamper: { comment: "Hijacked" },
    // The record of decisions: admins append, nobody rewrites.
    allowed: { select: ALL, insert: ADMIN, update: NONE, delete: NONE },
  },
  {
    table: "campaign_enrollments",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => [(await seedCampaign(db, ws)).enrollmentId],
    newRow: (ws) => ({ workspace_id: ws.id, campaign_id: campaignOf(ws).campaignId, lead_id: leadsOf(ws).ofManager }),
    tamper: { stop_reason: "tampered" },
    // Written by the launch and sequence jobs alone.
    allowed: { select: ALL, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "email_messages",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => [(await seedSending(db, ws)).messageId],
    newRow: (ws) => {
      const c = campaignOf(ws);
      return {
        workspace_id: ws.id,
        campaign_id: c.campaignId,
        enrollment_id: c.enrollmentId,
        step_id: c.stepId,
        step_position: 2,
        lead_id: leadsOf(ws).unassigned,
      };
    },
    tamper: { subject: "Hijacked" },
    // Written by the sequence and webhook jobs alone.
    allowed: { select: ALL, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "email_events",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => [(await seedSending(db, ws)).eventId],
    newRow: (ws) => ({ workspace_id: ws.id, message_id: sendingOf(ws).messageId, type: "opened", occurred_at: new Date().toISOString() }),
    tamper: { payload: TAMPERED },
    allowed: { select: ALL, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "email_replies",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => [(await seedSending(db, ws)).replyId],
    newRow: (ws) => ({
      workspace_id: ws.id,
      provider_email_id: `forged-${randomSuffix()}`,
      from_address: "zoe@example.test",
      received_at: new Date().toISOString(),
    }),
    tamper: { text_body: "Hijacked" },
    allowed: { select: ALL, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "sending_identity_usage",
    idColumn: "identity_id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => [(await seedSending(db, ws)).usageIdentityId],
    newRow: (ws) => ({ workspace_id: ws.id, identity_id: campaignOf(ws).otherIdentityId, day: "2026-01-02", sent: 0 }),
    tamper: { sent: 0 },
    // Reserved by the send step alone: nobody lowers a cap's count by hand.
    allowed: { select: ALL, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "suppressions",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => {
      const [row] = await db.execute<{ id: string }>(sql`
        insert into public.suppressions (workspace_id, kind, value, reason)
        values (${ws.id}, 'email', ${`blocked-${randomSuffix()}@example.test`}, 'unsubscribe') returning id`);
      if (!row) throw new Error("suppression seed returned no row");
      return [row.id];
    },
    newRow: (ws, actor) => ({ workspace_id: ws.id, kind: "domain", value: `blocked-${randomSuffix()}.example`, created_by: actor.id }),
    tamper: { note: "tampered" },
    // Managers add by hand (reason manual, the default here: migration 0062); only admins remove.
    allowed: { select: ALL, insert: ["admin", "manager"], update: NONE, delete: ADMIN },
  },
  {
    table: "notifications",
    idColumn: "id",
    tenantColumn: "workspace_id",
    // The sales rep's: only they read it and mark it read. Nobody's token inserts one: the server
    // does, through private.insert_notifications (0102), or a viewer could fill admins' bells.
    seed: async (db, ws) => {
      const [row] = await db.execute<{ id: string }>(sql`
        insert into public.notifications (workspace_id, user_id, kind, title, link)
        values (${ws.id}, ${ws.members.sales_rep.id}, 'campaign_approved', 'Your campaign was approved', '/campaigns') returning id`);
      if (!row) throw new Error("notification seed returned no row");
      return [row.id];
    },
    newRow: (ws, actor) => ({
      workspace_id: ws.id,
      user_id: ws.members.admin.id,
      actor_id: actor.id,
      kind: "campaign_submitted",
      title: "A campaign waits for approval",
      link: "/approvals",
    }),
    tamper: { read_at: "2026-01-01T00:00:00Z" },
    allowed: { select: ["sales_rep"], insert: NONE, update: NONE, delete: NONE },
    own: (op, actor) => (op === "update" && actor.id === fx.a.members.sales_rep.id ? seededOf(caseFor("notifications")).a : []),
  },
  {
    table: "notification_settings",
    idColumn: "user_id",
    tenantColumn: "workspace_id",
    // The choice of a user who has since left the workspace (so no member's own row collides
    // with the inserts): nobody reads or changes it; each member may record their own.
    seed: async (db, ws) => {
      const former = await createTestUser(db, { email: `former-${randomSuffix()}@example.test`, fullName: "Former Member" });
      await db.execute(
        sql`insert into public.notification_settings (workspace_id, user_id, email_enabled) values (${ws.id}, ${former.id}, false)`,
      );
      return [former.id];
    },
    newRow: (ws, actor) => ({ workspace_id: ws.id, user_id: actor.id, email_enabled: false }),
    tamper: { email_enabled: true },
    allowed: { select: NONE, insert: ALL, update: NONE, delete: NONE },
  },
  {
    table: "integration_accounts",
    idColumn: "id",
    tenantColumn: "workspace_id",
    // A connected Apollo and a disconnected Instantly: members read their status, admins write
    // them; nobody reads the secret columns (see "rules beyond the role").
    seed: async (db, ws) => {
      const rows = await db.execute<{ id: string }>(sql`
        insert into public.integration_accounts (workspace_id, vendor, secret_ciphertext, secret_key_id, key_last4, status, created_by)
        values (${ws.id}, 'apollo', ${SEALED_PLACEHOLDER}, 'k1', 'wxyz', 'connected', ${ws.members.admin.id}),
               (${ws.id}, 'instantly', null, null, null, 'disconnected', ${ws.members.admin.id})
        returning id`);
      return rows.map((r) => r.id);
    },
    newRow: (ws, actor) => ({
      workspace_id: ws.id,
      vendor: "phantombuster",
      secret_ciphertext: SEALED_PLACEHOLDER,
      secret_key_id: "k1",
      key_last4: "abcd",
      created_by: actor.id,
    }),
    tamper: { last_error: "Hijacked" },
    allowed: { select: ALL, insert: ADMIN, update: ADMIN, delete: ADMIN },
  },
  // REST API keys (Settings → API): admins read, make and revoke them; nobody deletes one (the
  // audit log names it) and no user reads the hash (column grants, migration 0054).
  {
    table: "api_keys",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => {
      const rows = await db.execute<{ id: string }>(sql`
        insert into public.api_keys (workspace_id, name, scope, prefix, secret_hash, created_by)
        values (${ws.id}, 'CRM sync', 'read_write', 'lip_AbCdEf', ${randomHash()}, ${ws.members.admin.id}) returning id`);
      return rows.map((r) => r.id);
    },
    newRow: (ws, actor) => ({
      workspace_id: ws.id,
      name: "Forged",
      scope: "read_write",
      prefix: "lip_forged",
      secret_hash: randomHash(),
      created_by: actor.id,
    }),
    tamper: { revoked_at: "2026-11-30T00:00:00Z" },
    allowed: { select: ADMIN, insert: ADMIN, update: ADMIN, delete: NONE },
  },
  // Every workspace has its AI settings row from the start (a trigger): members read it,
  // admins update it, nobody inserts or deletes one.
  {
    table: "workspace_ai_settings",
    idColumn: "workspace_id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => {
      const rows = await db.execute<{ id: string }>(
        sql`select workspace_id as id from public.workspace_ai_settings where workspace_id = ${ws.id}`,
      );
      return rows.map((r) => r.id);
    },
    newRow: (ws) => ({ workspace_id: ws.id, icp_description: "Forged" }),
    tamper: { icp_description: "Hijacked" },
    allowed: { select: ALL, insert: NONE, update: ADMIN, delete: NONE },
  },
  // The AI usage ledger: written by the jobs (service connection); every role with analytics.read reads it.
  {
    table: "ai_usage",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => {
      const rows = await db.execute<{ id: string }>(sql`
        insert into public.ai_usage (workspace_id, feature, model, prompt_tokens, cached_tokens, completion_tokens, cost_usd, outcome)
        values (${ws.id}, 'enrichment', 'gpt-4o-mini', 1200, 1024, 80, 0.00009, 'valid') returning id`);
      return rows.map((r) => r.id);
    },
    newRow: (ws) => ({
      workspace_id: ws.id,
      feature: "enrichment",
      model: "gpt-4o-mini",
      prompt_tokens: 1,
      completion_tokens: 1,
      cost_usd: 0,
      outcome: "valid",
    }),
    tamper: { cost_usd: 99 },
    allowed: { select: ["admin", "manager", "sales_rep", "analyst"], insert: NONE, update: NONE, delete: NONE },
  },
  // Replies as the model read them: written by the jobs and the services (service connection); members read them.
  {
    table: "reply_classifications",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => {
      const leadId = (await seedLeads(db, ws)).unassigned;
      const rows = await db.execute<{ id: string }>(sql`
        insert into public.reply_classifications (workspace_id, source, reply_key, lead_id, received_at, state, category, confidence)
        values (${ws.id}, 'resend', ${`reply-${randomSuffix()}`}, ${leadId}, now(), 'classified', 'interested', 0.9) returning id`);
      return rows.map((r) => r.id);
    },
    newRow: (ws) => ({ workspace_id: ws.id, source: "resend", reply_key: "forged", lead_id: ws.id, received_at: "2026-01-01T00:00:00Z" }),
    tamper: { category: "unsubscribe_request" },
    allowed: { select: ALL, insert: NONE, update: NONE, delete: NONE },
  },
  // The Instantly raw layer: members read what the sync stored; no user role writes it.
  ...(["instantly_campaigns", "instantly_sending_accounts", "instantly_leads", "instantly_emails"] as const).map((table): TableCase => ({
    table,
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => {
      const rows = await db.execute<{ id: string }>(sql`
          insert into ${sql.identifier(table)} (workspace_id, instantly_id, raw)
          values (${ws.id}, ${`seeded-${randomSuffix()}@acme.example`}, '{"status":1}') returning id`);
      return rows.map((r) => r.id);
    },
    newRow: (ws) => ({ workspace_id: ws.id, instantly_id: `forged-${randomSuffix()}`, raw: TAMPERED }),
    tamper: { raw: TAMPERED },
    allowed: { select: ALL, insert: NONE, update: NONE, delete: NONE },
  })),
  {
    table: "instantly_campaign_daily_analytics",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => {
      const rows = await db.execute<{ id: string }>(sql`
        insert into public.instantly_campaign_daily_analytics (workspace_id, campaign_id, day, raw)
        values (${ws.id}, 'c-seeded', '2026-11-01', '{"date":"2026-11-01","sent":3}') returning id`);
      return rows.map((r) => r.id);
    },
    newRow: (ws) => ({ workspace_id: ws.id, campaign_id: "c-forged", day: "2026-11-02", raw: TAMPERED }),
    tamper: { raw: TAMPERED },
    allowed: { select: ALL, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "instantly_sync_cursors",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => {
      const rows = await db.execute<{ id: string }>(sql`
        insert into public.instantly_sync_cursors (workspace_id, resource, cursor) values (${ws.id}, 'leads', 'lead-seeded') returning id`);
      return rows.map((r) => r.id);
    },
    newRow: (ws) => ({ workspace_id: ws.id, resource: "emails", cursor: "forged" }),
    tamper: { cursor: "rewound" },
    allowed: ADMINS_READ_ONLY,
  },
  // A campaign's push to Instantly: members read its progress (the campaign page); only the push job writes.
  {
    table: "instantly_campaign_pushes",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => {
      const { campaignId } = await seedCampaign(db, ws);
      const rows = await db.execute<{ id: string }>(sql`
        insert into public.instantly_campaign_pushes (workspace_id, campaign_id, account_id, content_hash)
        values (${ws.id}, ${campaignId}, ${randomUUID()}, ${randomHash()})
        on conflict (campaign_id) do update set status = excluded.status returning id`);
      return rows.map((r) => r.id);
    },
    newRow: (ws) => ({
      workspace_id: ws.id,
      campaign_id: campaignsOf.get(ws.id)?.campaignId ?? randomUUID(),
      account_id: randomUUID(),
      content_hash: "forged",
    }),
    tamper: { leads_after: null, leads_done: true },
    allowed: { select: ALL, insert: NONE, update: NONE, delete: NONE },
  },
  // Imports from Apollo and the people a workspace had revealed: importers read; only the
  // start service and the job (service connection) write.
  {
    table: "apollo_imports",
    idColumn: "import_id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => {
      const importId = await seedImport(db, ws);
      const [account] = await db.execute<{ id: string }>(sql`
        insert into public.integration_accounts (workspace_id, vendor, secret_ciphertext, secret_key_id, key_last4, status)
        values (${ws.id}, 'apollo', ${SEALED_PLACEHOLDER}, 'k1', 'wxyz', 'connected')
        on conflict (workspace_id, vendor) do update set vendor = excluded.vendor returning id`);
      await db.execute(sql`insert into public.apollo_imports (import_id, workspace_id, account_id, person_ids)
        values (${importId}, ${ws.id}, ${account!.id}, '{p-seeded}')`);
      return [importId];
    },
    newRow: (ws) => ({ import_id: randomUUID(), workspace_id: ws.id, account_id: randomUUID(), person_ids: "{p-forged}" }),
    tamper: { credits_consumed: 999 },
    allowed: { select: LEAD_EDITORS, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "apollo_enriched_people",
    idColumn: "apollo_person_id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => {
      const id = `p-seeded-${randomSuffix()}`;
      await db.execute(sql`insert into public.apollo_enriched_people (workspace_id, apollo_person_id, person)
        values (${ws.id}, ${id}, '{"id":"seeded"}')`);
      return [id];
    },
    newRow: (ws) => ({ workspace_id: ws.id, apollo_person_id: `p-forged-${randomSuffix()}`, person: TAMPERED }),
    tamper: { person: TAMPERED },
    allowed: { select: LEAD_EDITORS, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "apollo_organizations",
    idColumn: "apollo_organization_id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => {
      const id = `o-seeded-${randomSuffix()}`;
      await db.execute(sql`insert into public.apollo_organizations (workspace_id, apollo_organization_id, raw)
        values (${ws.id}, ${id}, '{"id":"seeded"}')`);
      return [id];
    },
    newRow: (ws) => ({ workspace_id: ws.id, apollo_organization_id: `o-forged-${randomSuffix()}`, raw: TAMPERED }),
    tamper: { raw: TAMPERED },
    allowed: { select: LEAD_EDITORS, insert: NONE, update: NONE, delete: NONE },
  },
  // Enrichments of existing leads with Apollo: importers read the runs, members what each did to a lead; only jobs write.
  {
    table: "apollo_lead_enrichments",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => [await seedLeadEnrichment(db, ws)],
    newRow: (ws) => ({
      workspace_id: ws.id,
      account_id: randomUUID(),
      requested_by: ws.members.sales_rep.id,
      lead_ids: `{${randomUUID()}}`,
    }),
    tamper: { credits_consumed: 999 },
    allowed: { select: LEAD_EDITORS, insert: NONE, update: NONE, delete: NONE },
  },
  // AI enrichment runs: sales reps and above read their workspace's runs; only the job and the service connection write.
  {
    table: "ai_enrichment_runs",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => {
      const [run] = await db.execute<{ id: string }>(sql`
        insert into public.ai_enrichment_runs (workspace_id, requested_by, lead_ids)
        values (${ws.id}, ${ws.members.sales_rep.id}, ${`{${(await seedLeads(db, ws)).unassigned}}`}) returning id`);
      return [run!.id];
    },
    newRow: (ws) => ({ workspace_id: ws.id, requested_by: ws.members.sales_rep.id, lead_ids: `{${randomUUID()}}` }),
    tamper: { cost_usd: 999 },
    allowed: { select: LEAD_EDITORS, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "lead_apollo_enrichments",
    idColumn: "enrichment_id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => {
      const enrichmentId = await seedLeadEnrichment(db, ws);
      await db.execute(sql`insert into public.lead_apollo_enrichments (enrichment_id, workspace_id, lead_id, outcome, mode, fields, changed)
        values (${enrichmentId}, ${ws.id}, ${(await seedLeads(db, ws)).unassigned}, 'updated', 'fill_empty', '{"title":"CEO"}', '{title}')`);
      return [enrichmentId];
    },
    newRow: (ws) => ({
      enrichment_id: randomUUID(),
      workspace_id: ws.id,
      lead_id: randomUUID(),
      outcome: "updated",
      mode: "overwrite",
      fields: TAMPERED,
    }),
    tamper: { fields: TAMPERED },
    allowed: { select: ALL, insert: NONE, update: NONE, delete: NONE },
  },
  // Vendor answers that did not have their documented shape, kept as received: admins read; only jobs write.
  {
    table: "integration_invalid_answers",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => {
      const [account] = await db.execute<{ id: string }>(sql`
        insert into public.integration_accounts (workspace_id, vendor, secret_ciphertext, secret_key_id, key_last4, status)
        values (${ws.id}, 'apollo', ${SEALED_PLACEHOLDER}, 'k1', 'wxyz', 'connected')
        on conflict (workspace_id, vendor) do update set vendor = excluded.vendor returning id`);
      const rows = await db.execute<{ id: string }>(sql`
        insert into public.integration_invalid_answers (workspace_id, account_id, vendor, endpoint, field, problem, body)
        values (${ws.id}, ${account!.id}, 'apollo', 'POST /people/bulk_match', 'matches.0.id', 'expected string', '{"matches":[{}]}')
        returning id`);
      return rows.map((r) => r.id);
    },
    newRow: (ws) => ({
      workspace_id: ws.id,
      account_id: randomUUID(),
      vendor: "apollo",
      endpoint: "POST /forged",
      field: "x",
      problem: "forged",
      body: TAMPERED,
    }),
    tamper: { body: TAMPERED },
    allowed: ADMINS_READ_ONLY,
  },
  // Outgoing webhooks: admins manage endpoints and read the outbox and its delivery log; admins
  // update a delivery (a redelivery); only the outbox triggers and the delivery job write the rest.
  {
    table: "webhook_endpoints",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => [await seedWebhookEndpoint(db, ws)],
    newRow: (ws, actor) => ({
      workspace_id: ws.id,
      url: "https://hooks.example.com/in",
      event_types: "{lead.created}",
      secret_ciphertext: SEALED_PLACEHOLDER,
      secret_key_id: "k1",
      created_by: actor.id,
    }),
    tamper: { url: "https://attacker.example/steal" },
    allowed: { select: ADMIN, insert: ADMIN, update: ADMIN, delete: ADMIN },
  },
  {
    table: "webhook_events",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => [(await seedWebhookDelivery(db, ws)).eventId],
    newRow: (ws) => ({ workspace_id: ws.id, type: "lead.created", data: TAMPERED }),
    tamper: { data: TAMPERED },
    allowed: ADMINS_READ_ONLY,
  },
  {
    table: "webhook_deliveries",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => [(await seedWebhookDelivery(db, ws)).deliveryId],
    newRow: (ws) => ({ workspace_id: ws.id, event_id: randomUUID(), endpoint_id: randomUUID() }),
    // Admins may change only its retry state (a redelivery): what it delivers where stays.
    tamper: { status: "failed" },
    allowed: { select: ADMIN, insert: NONE, update: ADMIN, delete: NONE },
  },
  {
    table: "webhook_delivery_attempts",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => {
      const { deliveryId } = await seedWebhookDelivery(db, ws);
      const [row] = await db.execute<{ id: string }>(sql`
        insert into public.webhook_delivery_attempts (workspace_id, delivery_id, attempt, ok, status_code, duration_ms)
        values (${ws.id}, ${deliveryId}, 1, true, 204, 12) returning id`);
      return [row!.id];
    },
    newRow: (ws) => ({ workspace_id: ws.id, delivery_id: randomUUID(), attempt: 9, ok: true, duration_ms: 1 }),
    tamper: { error: "Hijacked" },
    allowed: ADMINS_READ_ONLY,
  },
  // Recurring PhantomBuster imports: importers read them and create their own; the creator, a
  // manager or an admin cancels one; only the job writes runs and the rows it imported.
  {
    table: "phantombuster_schedules",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => [await seedPhantomBusterSchedule(db, ws)],
    newRow: (ws, actor) => ({
      workspace_id: ws.id,
      account_id: phantomBusterAccountOf.get(ws.id)!,
      agent_id: `a-${randomSuffix()}`,
      agent_name: "Forged",
      cadence: "after_each_run",
      created_by: actor.id,
    }),
    tamper: { cancelled_at: "2026-11-30T00:00:00Z" },
    allowed: { select: LEAD_EDITORS, insert: LEAD_EDITORS, update: ["admin", "manager"], delete: NONE },
    own: (op, actor) => (op === "update" && actor.id === fx.a.members.sales_rep.id ? seededOf(caseFor("phantombuster_schedules")).a : []),
  },
  {
    table: "phantombuster_schedule_runs",
    idColumn: "id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => {
      const scheduleId = await seedPhantomBusterSchedule(db, ws);
      const [row] = await db.execute<{ id: string }>(sql`
        insert into public.phantombuster_schedule_runs (workspace_id, schedule_id, slot, outcome, new_rows)
        values (${ws.id}, ${scheduleId}, ${`slot-${randomSuffix()}`}, 'nothing_new', 0) returning id`);
      return [row!.id];
    },
    newRow: (ws) => ({
      workspace_id: ws.id,
      schedule_id: seededOf(caseFor("phantombuster_schedules"))[ws === fx.a ? "a" : "b"][0],
      slot: `forged-${randomSuffix()}`,
      outcome: "imported",
    }),
    tamper: { message: "tampered" },
    allowed: { select: LEAD_EDITORS, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "phantombuster_imported_rows",
    idColumn: "fingerprint",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => {
      const fingerprint = randomBytes(32).toString("hex");
      await db.execute(sql`insert into public.phantombuster_imported_rows (workspace_id, agent_id, fingerprint)
        values (${ws.id}, 'a-seeded', ${fingerprint})`);
      return [fingerprint];
    },
    newRow: (ws) => ({ workspace_id: ws.id, agent_id: "a-seeded", fingerprint: randomBytes(32).toString("hex") }),
    tamper: { agent_id: "a-tampered" },
    allowed: { select: LEAD_EDITORS, insert: NONE, update: NONE, delete: NONE },
  },
  // The analytics rollups: written by triggers alone (migration 0058); the roles with analytics.read read them.
  {
    table: "analytics_message_hours",
    idColumn: "campaign_id",
    tenantColumn: "workspace_id",
    seed: async (db, ws) => {
      await seedSending(db, ws);
      const rows = await db.execute<{ id: string }>(sql`
        select distinct campaign_id as id from public.analytics_message_hours where workspace_id = ${ws.id}`);
      return rows.map((r) => r.id);
    },
    newRow: (ws) => ({ workspace_id: ws.id, hour: "2026-01-01T00:00:00Z", campaign_id: randomUUID(), step_position: 1, sent: 1 }),
    tamper: { sent: 1000 },
    allowed: { select: ANALYSTS, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "analytics_campaign_hours",
    idColumn: "campaign_id",
    tenantColumn: "workspace_id",
    // The rows the same triggers wrote for the sends seeded for analytics_message_hours (0067).
    seed: async (db, ws) => {
      await seedSending(db, ws);
      const rows = await db.execute<{ id: string }>(sql`
        select distinct campaign_id as id from public.analytics_campaign_hours where workspace_id = ${ws.id}`);
      return rows.map((r) => r.id);
    },
    newRow: (ws) => ({ workspace_id: ws.id, hour: "2026-01-01T00:00:00Z", campaign_id: randomUUID(), step_position: 1, sent: 1 }),
    tamper: { sent: 1000 },
    allowed: { select: ANALYSTS, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "analytics_owner_hours",
    idColumn: "campaign_id",
    tenantColumn: "workspace_id",
    // The rows the same triggers wrote for the sends seeded for analytics_message_hours (0067).
    seed: async (db, ws) => {
      await seedSending(db, ws);
      const rows = await db.execute<{ id: string }>(sql`
        select distinct campaign_id as id from public.analytics_owner_hours where workspace_id = ${ws.id}`);
      return rows.map((r) => r.id);
    },
    newRow: (ws) => ({ workspace_id: ws.id, hour: "2026-01-01T00:00:00Z", campaign_id: randomUUID(), step_position: 1, sent: 1 }),
    tamper: { sent: 1000 },
    allowed: { select: ANALYSTS, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "analytics_identity_hours",
    idColumn: "campaign_id",
    tenantColumn: "workspace_id",
    // The rows the same triggers wrote for the sends seeded for analytics_message_hours (0067).
    seed: async (db, ws) => {
      await seedSending(db, ws);
      const rows = await db.execute<{ id: string }>(sql`
        select distinct campaign_id as id from public.analytics_identity_hours where workspace_id = ${ws.id}`);
      return rows.map((r) => r.id);
    },
    newRow: (ws) => ({ workspace_id: ws.id, hour: "2026-01-01T00:00:00Z", campaign_id: randomUUID(), step_position: 1, sent: 1 }),
    tamper: { sent: 1000 },
    allowed: { select: ANALYSTS, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "analytics_source_hours",
    idColumn: "campaign_id",
    tenantColumn: "workspace_id",
    // The rows the same triggers wrote for the sends seeded for analytics_message_hours (0067).
    seed: async (db, ws) => {
      await seedSending(db, ws);
      const rows = await db.execute<{ id: string }>(sql`
        select distinct campaign_id as id from public.analytics_source_hours where workspace_id = ${ws.id}`);
      return rows.map((r) => r.id);
    },
    newRow: (ws) => ({ workspace_id: ws.id, hour: "2026-01-01T00:00:00Z", campaign_id: randomUUID(), step_position: 1, sent: 1 }),
    tamper: { sent: 1000 },
    allowed: { select: ANALYSTS, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "analytics_campaign_days",
    idColumn: "campaign_id",
    tenantColumn: "workspace_id",
    // The rows the same triggers wrote for the sends seeded for analytics_message_hours (0070).
    seed: async (db, ws) => {
      await seedSending(db, ws);
      const rows = await db.execute<{ id: string }>(sql`
        select distinct campaign_id as id from public.analytics_campaign_days where workspace_id = ${ws.id}`);
      return rows.map((r) => r.id);
    },
    newRow: (ws) => ({ workspace_id: ws.id, day: "2026-01-01T00:00:00Z", campaign_id: randomUUID(), step_position: 1, sent: 1 }),
    tamper: { sent: 1000 },
    allowed: { select: ANALYSTS, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "analytics_owner_days",
    idColumn: "campaign_id",
    tenantColumn: "workspace_id",
    // The rows the same triggers wrote for the sends seeded for analytics_message_hours (0070).
    seed: async (db, ws) => {
      await seedSending(db, ws);
      const rows = await db.execute<{ id: string }>(sql`
        select distinct campaign_id as id from public.analytics_owner_days where workspace_id = ${ws.id}`);
      return rows.map((r) => r.id);
    },
    newRow: (ws) => ({ workspace_id: ws.id, day: "2026-01-01T00:00:00Z", campaign_id: randomUUID(), step_position: 1, sent: 1 }),
    tamper: { sent: 1000 },
    allowed: { select: ANALYSTS, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "analytics_identity_days",
    idColumn: "campaign_id",
    tenantColumn: "workspace_id",
    // The rows the same triggers wrote for the sends seeded for analytics_message_hours (0070).
    seed: async (db, ws) => {
      await seedSending(db, ws);
      const rows = await db.execute<{ id: string }>(sql`
        select distinct campaign_id as id from public.analytics_identity_days where workspace_id = ${ws.id}`);
      return rows.map((r) => r.id);
    },
    newRow: (ws) => ({ workspace_id: ws.id, day: "2026-01-01T00:00:00Z", campaign_id: randomUUID(), step_position: 1, sent: 1 }),
    tamper: { sent: 1000 },
    allowed: { select: ANALYSTS, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "analytics_source_days",
    idColumn: "campaign_id",
    tenantColumn: "workspace_id",
    // The rows the same triggers wrote for the sends seeded for analytics_message_hours (0070).
    seed: async (db, ws) => {
      await seedSending(db, ws);
      const rows = await db.execute<{ id: string }>(sql`
        select distinct campaign_id as id from public.analytics_source_days where workspace_id = ${ws.id}`);
      return rows.map((r) => r.id);
    },
    newRow: (ws) => ({ workspace_id: ws.id, day: "2026-01-01T00:00:00Z", campaign_id: randomUUID(), step_position: 1, sent: 1 }),
    tamper: { sent: 1000 },
    allowed: { select: ANALYSTS, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "analytics_owner_identity_days",
    idColumn: "campaign_id",
    tenantColumn: "workspace_id",
    // The rows the same triggers wrote for the sends seeded for analytics_message_hours (0077).
    seed: async (db, ws) => {
      await seedSending(db, ws);
      const rows = await db.execute<{ id: string }>(sql`
        select distinct campaign_id as id from public.analytics_owner_identity_days where workspace_id = ${ws.id}`);
      return rows.map((r) => r.id);
    },
    newRow: (ws) => ({ workspace_id: ws.id, day: "2026-01-01T00:00:00Z", campaign_id: randomUUID(), step_position: 1, sent: 1 }),
    tamper: { sent: 1000 },
    allowed: { select: ANALYSTS, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "analytics_owner_source_days",
    idColumn: "campaign_id",
    tenantColumn: "workspace_id",
    // The rows the same triggers wrote for the sends seeded for analytics_message_hours (0077).
    seed: async (db, ws) => {
      await seedSending(db, ws);
      const rows = await db.execute<{ id: string }>(sql`
        select distinct campaign_id as id from public.analytics_owner_source_days where workspace_id = ${ws.id}`);
      return rows.map((r) => r.id);
    },
    newRow: (ws) => ({ workspace_id: ws.id, day: "2026-01-01T00:00:00Z", campaign_id: randomUUID(), step_position: 1, sent: 1 }),
    tamper: { sent: 1000 },
    allowed: { select: ANALYSTS, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "analytics_identity_source_days",
    idColumn: "campaign_id",
    tenantColumn: "workspace_id",
    // The rows the same triggers wrote for the sends seeded for analytics_message_hours (0077).
    seed: async (db, ws) => {
      await seedSending(db, ws);
      const rows = await db.execute<{ id: string }>(sql`
        select distinct campaign_id as id from public.analytics_identity_source_days where workspace_id = ${ws.id}`);
      return rows.map((r) => r.id);
    },
    newRow: (ws) => ({ workspace_id: ws.id, day: "2026-01-01T00:00:00Z", campaign_id: randomUUID(), step_position: 1, sent: 1 }),
    tamper: { sent: 1000 },
    allowed: { select: ANALYSTS, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "analytics_lead_hours",
    idColumn: "id",
    tenantColumn: "workspace_id",
    // Every row the leads trigger wrote for the workspace's seeded leads (this case comes last, after every seed).
    seed: async (db, ws) => {
      await seedLeads(db, ws);
      const rows = await db.execute<{ id: string }>(sql`select id from public.analytics_lead_hours where workspace_id = ${ws.id}`);
      return rows.map((r) => r.id);
    },
    newRow: (ws) => ({ workspace_id: ws.id, hour: "2026-01-01T00:00:00Z", source: "manual", status: "new", net: 1 }),
    tamper: { net: 1000 },
    allowed: { select: ANALYSTS, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "analytics_lead_days",
    idColumn: "id",
    tenantColumn: "workspace_id",
    // Every row the leads trigger wrote for the workspace's seeded leads (this case comes last, after every seed).
    seed: async (db, ws) => {
      await seedLeads(db, ws);
      const rows = await db.execute<{ id: string }>(sql`select id from public.analytics_lead_days where workspace_id = ${ws.id}`);
      return rows.map((r) => r.id);
    },
    newRow: (ws) => ({ workspace_id: ws.id, day: "2026-01-01T00:00:00Z", source: "manual", status: "new", net: 1 }),
    tamper: { net: 1000 },
    allowed: { select: ANALYSTS, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "analytics_lead_status_hours",
    idColumn: "id",
    tenantColumn: "workspace_id",
    // Every row the leads trigger wrote for the workspace's seeded leads (this case comes last, after every seed).
    seed: async (db, ws) => {
      await seedLeads(db, ws);
      const rows = await db.execute<{ id: string }>(sql`select id from public.analytics_lead_status_hours where workspace_id = ${ws.id}`);
      return rows.map((r) => r.id);
    },
    newRow: (ws) => ({ workspace_id: ws.id, hour: "2026-01-01T00:00:00Z", status: "new", net: 1 }),
    tamper: { net: 1000 },
    allowed: { select: ANALYSTS, insert: NONE, update: NONE, delete: NONE },
  },
  {
    table: "analytics_lead_status_days",
    idColumn: "id",
    tenantColumn: "workspace_id",
    // Every row analytics_lead_days' trigger wrote for the workspace's seeded leads.
    seed: async (db, ws) => {
      await seedLeads(db, ws);
      const rows = await db.execute<{ id: string }>(sql`select id from public.analytics_lead_status_days where workspace_id = ${ws.id}`);
      return rows.map((r) => r.id);
    },
    newRow: (ws) => ({ workspace_id: ws.id, day: "2026-01-01T00:00:00Z", status: "new", net: 1 }),
    tamper: { net: 1000 },
    allowed: { select: ANALYSTS, insert: NONE, update: NONE, delete: NONE },
  },
];

const leadEnrichmentOf = new Map<string, string>();
/** One enrichment run per workspace, shared by the two tables' cases (each reads only what was seeded). */
async function seedLeadEnrichment(db: Database, ws: TenancyWorkspace): Promise<string> {
  const existing = leadEnrichmentOf.get(ws.id);
  if (existing) return existing;
  const [account] = await db.execute<{ id: string }>(sql`
    insert into public.integration_accounts (workspace_id, vendor, secret_ciphertext, secret_key_id, key_last4, status)
    values (${ws.id}, 'apollo', ${SEALED_PLACEHOLDER}, 'k1', 'wxyz', 'connected')
    on conflict (workspace_id, vendor) do update set vendor = excluded.vendor returning id`);
  const [run] = await db.execute<{ id: string }>(sql`
    insert into public.apollo_lead_enrichments (workspace_id, account_id, requested_by, lead_ids)
    values (${ws.id}, ${account!.id}, ${ws.members.sales_rep.id}, ${`{${(await seedLeads(db, ws)).unassigned}}`}) returning id`);
  leadEnrichmentOf.set(ws.id, run!.id);
  return run!.id;
}

type CampaignRows = {
  campaignId: string;
  /** The seeded content's hash: an approval is recorded for the content as it is (0112). */
  contentHash: string;
  stepId: string;
  variantId: string;
  identityId: string;
  otherIdentityId: string;
  approvalId: string;
  enrollmentId: string;
};
const campaignsOf = new Map<string, CampaignRows>();

async function insertIdentity(db: Database, ws: TenancyWorkspace, name: string): Promise<string> {
  const [row] = await db.execute<{ id: string }>(sql`
    insert into public.sending_identities (workspace_id, from_name, from_email, postal_address)
    values (${ws.id}, 'Zoë Sales', ${`${name}-${randomSuffix()}@example.test`}, '1 Rue de la Paix, Paris') returning id`);
  if (!row) throw new Error("identity seed returned no row");
  return row.id;
}

/** The sales rep's draft campaign of a workspace, with a step, a variant, an identity, a decision and an enrollment. */
async function seedCampaign(db: Database, ws: TenancyWorkspace): Promise<CampaignRows> {
  const existing = campaignsOf.get(ws.id);
  if (existing) return existing;
  const identityId = await insertIdentity(db, ws, "sender");
  const otherIdentityId = await insertIdentity(db, ws, "other");
  const [campaign] = await db.execute<{ id: string }>(sql`
    insert into public.campaigns (workspace_id, owner_id, name) values (${ws.id}, ${ws.members.sales_rep.id}, 'Café owners, spring') returning id`);
  if (!campaign) throw new Error("campaign seed returned no row");
  const [step] = await db.execute<{ id: string }>(sql`
    insert into public.campaign_steps (workspace_id, campaign_id, position) values (${ws.id}, ${campaign.id}, 1) returning id`);
  if (!step) throw new Error("step seed returned no row");
  const [variant] = await db.execute<{ id: string }>(sql`
    insert into public.campaign_step_variants (workspace_id, campaign_id, step_id, label, subject, body)
    values (${ws.id}, ${campaign.id}, ${step.id}, 'A', 'Hello {{ first_name | default: "there" }}', 'Short note.') returning id`);
  if (!variant) throw new Error("variant seed returned no row");
  await db.execute(
    sql`insert into public.campaign_identities (workspace_id, campaign_id, identity_id) values (${ws.id}, ${campaign.id}, ${identityId})`,
  );
  const [approval] = await db.execute<{ id: string }>(sql`
    insert into public.campaign_approvals (workspace_id, campaign_id, decision, content_hash, content, comment, decided_by)
    values (${ws.id}, ${campaign.id}, 'rejected', ${randomHash()}, '{}', 'Add a fallback for the first name.', ${ws.members.admin.id}) returning id`);
  if (!approval) throw new Error("approval seed returned no row");
  const [enrollment] = await db.execute<{ id: string }>(sql`
    insert into public.campaign_enrollments (workspace_id, campaign_id, lead_id) values (${ws.id}, ${campaign.id}, ${(await seedLeads(db, ws)).unassigned}) returning id`);
  if (!enrollment) throw new Error("enrollment seed returned no row");
  const [hashed] = await db.execute<{ hash: string }>(sql`select private.campaign_content_hash(${campaign.id}) as hash`);
  const rows = {
    campaignId: campaign.id,
    contentHash: hashed!.hash,
    stepId: step.id,
    variantId: variant.id,
    identityId,
    otherIdentityId,
    approvalId: approval.id,
    enrollmentId: enrollment.id,
  };
  campaignsOf.set(ws.id, rows);
  return rows;
}

type SendingRows = { messageId: string; eventId: string; replyId: string; usageIdentityId: string };
const sendingOfWs = new Map<string, SendingRows>();

/** A sent message of the seeded enrollment, one of its events, a reply and a day of its identity's usage. */
async function seedSending(db: Database, ws: TenancyWorkspace): Promise<SendingRows> {
  const existing = sendingOfWs.get(ws.id);
  if (existing) return existing;
  const c = await seedCampaign(db, ws);
  const leadId = (await seedLeads(db, ws)).unassigned;
  const [message] = await db.execute<{ id: string }>(sql`
    insert into public.email_messages (workspace_id, campaign_id, enrollment_id, step_id, step_position, lead_id, identity_id,
      status, to_email, subject, text_body, provider_id, sent_at)
    values (${ws.id}, ${c.campaignId}, ${c.enrollmentId}, ${c.stepId}, 1, ${leadId}, ${c.identityId},
      'sent', 'zoe@example.test', 'Hello Zoë', 'Short note.', ${`re-${randomSuffix()}`}, now()) returning id`);
  if (!message) throw new Error("message seed returned no row");
  const [event] = await db.execute<{ id: string }>(sql`
    insert into public.email_events (workspace_id, message_id, type, occurred_at) values (${ws.id}, ${message.id}, 'delivered', now()) returning id`);
  const [reply] = await db.execute<{ id: string }>(sql`
    insert into public.email_replies (workspace_id, message_id, lead_id, provider_email_id, from_address, text_body, received_at)
    values (${ws.id}, ${message.id}, ${leadId}, ${`in-${randomSuffix()}`}, 'zoe@example.test', 'Tell me more', now()) returning id`);
  await db.execute(sql`
    insert into public.sending_identity_usage (workspace_id, identity_id, day, sent) values (${ws.id}, ${c.identityId}, '2026-01-01', 1)`);
  if (!event || !reply) throw new Error("sending seed returned no row");
  const rows = { messageId: message.id, eventId: event.id, replyId: reply.id, usageIdentityId: c.identityId };
  sendingOfWs.set(ws.id, rows);
  return rows;
}

function sendingOf(ws: TenancyWorkspace): SendingRows {
  const rows = sendingOfWs.get(ws.id);
  if (!rows) throw new Error(`no sending rows seeded for ${ws.name}`);
  return rows;
}

function campaignOf(ws: TenancyWorkspace): CampaignRows {
  const rows = campaignsOf.get(ws.id);
  if (!rows) throw new Error(`no campaign seeded for ${ws.name}`);
  return rows;
}

const importsOf = new Map<string, string>();
const phantomBusterAccountOf = new Map<string, string>();

/** Any account of the workspace (the integration_accounts case inserts the PhantomBuster one itself). */
async function seedPhantomBusterAccount(db: Database, ws: TenancyWorkspace): Promise<string> {
  const existing = phantomBusterAccountOf.get(ws.id);
  if (existing) return existing;
  const [account] = await db.execute<{ id: string }>(sql`
    insert into public.integration_accounts (workspace_id, vendor, secret_ciphertext, secret_key_id, key_last4, status)
    values (${ws.id}, 'apollo', ${SEALED_PLACEHOLDER}, 'k1', 'wxyz', 'connected')
    on conflict (workspace_id, vendor) do update set vendor = excluded.vendor returning id`);
  phantomBusterAccountOf.set(ws.id, account!.id);
  return account!.id;
}

const phantomBusterScheduleOf = new Map<string, string>();

async function seedPhantomBusterSchedule(db: Database, ws: TenancyWorkspace): Promise<string> {
  const existing = phantomBusterScheduleOf.get(ws.id);
  if (existing) return existing;
  const accountId = await seedPhantomBusterAccount(db, ws);
  const [row] = await db.execute<{ id: string }>(sql`
    insert into public.phantombuster_schedules (workspace_id, account_id, agent_id, agent_name, cadence, created_by, next_run_at)
    values (${ws.id}, ${accountId}, 'a-seeded', 'Zoë''s search', 'daily', ${ws.members.sales_rep.id}, 'infinity') returning id`);
  phantomBusterScheduleOf.set(ws.id, row!.id);
  return row!.id;
}

/** One import per workspace, shared by the cases of the imports tables (so each counts only its own). */
async function seedImport(db: Database, ws: TenancyWorkspace): Promise<string> {
  const existing = importsOf.get(ws.id);
  if (existing) return existing;
  const [row] = await db.execute<{ id: string }>(sql`
    insert into public.lead_imports (workspace_id, created_by, file_name, file_size, encoding, delimiter, headers, total_rows)
    values (${ws.id}, ${ws.members.sales_rep.id}, 'Zoë''s leads.csv', 120, 'utf-8', ',', '{Email}', 1) returning id`);
  if (!row) throw new Error("import seed returned no row");
  importsOf.set(ws.id, row.id);
  return row.id;
}

function caseFor(table: string): TableCase {
  const found = CASES.find((c) => c.table === table);
  if (!found) throw new Error(`no RLS case for ${table}`);
  return found;
}

// ---------------------------------------------------------------------------------------
// SQL built from a case, so that every table faces the same attacks.

const ident = (name: string) => sql.identifier(name);
const tableOf = (c: TableCase) => sql`public.${ident(c.table)}`;
const idIn = (c: TableCase, ids: string[]) => sql`${ident(c.idColumn)} in ${ids}`;
const assignments = (row: Row) =>
  sql.join(
    Object.entries(row).map(([k, v]) => sql`${ident(k)} = ${v}`),
    sql`, `,
  );

/** Rows of workspace `wsId`: by tenant column, or by the seeded ids where there is none. */
function belongsTo(c: TableCase, wsId: string, ids: string[]): SQL {
  return c.tenantColumn ? sql`${ident(c.tenantColumn)} = ${wsId}` : idIn(c, ids);
}

function insertRow(c: TableCase, row: Row): SQL {
  const cols = Object.keys(row);
  return sql`insert into ${tableOf(c)} (${sql.join(cols.map(ident), sql`, `)})
    values (${sql.join(
      cols.map((k) => sql`${row[k]}`),
      sql`, `,
    )}) returning 1`;
}

async function count(db: Exec, c: TableCase, where: SQL): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from ${tableOf(c)} where ${where}`);
  return row?.n ?? -1;
}

async function affected(db: Exec, query: SQL): Promise<number> {
  return (await db.execute(query)).length;
}

async function snapshot(db: Exec, c: TableCase, ids: string[]): Promise<Map<string, string>> {
  const rows = await db.execute<{ id: string; row: string }>(
    sql`select ${ident(c.idColumn)}::text as id, to_jsonb(t)::text as row from ${tableOf(c)} t where ${idIn(c, ids)}`,
  );
  return new Map(rows.map((r) => [r.id, r.row]));
}

type Probe = { touched: number; changed: string[] };

/**
 * Runs a blanket write (no WHERE, no RETURNING) as `user`, reports how many rows it touched
 * and which seeded rows it changed or removed, and rolls back. A statement that reads no
 * column is checked against the UPDATE/DELETE policy alone: with a WHERE on id, the SELECT
 * policy would also filter and hide a broken write policy behind it.
 */
async function probe(c: TableCase, user: TestUser, write: SQL): Promise<Probe | "denied"> {
  const { a, b, system } = seededOf(c);
  const ids = [...a, ...b, ...system];
  // The snapshots step out of the user's role for a moment: the session role bypasses RLS.
  const ownerSnapshot = async (tx: Database) => {
    await tx.execute(sql`reset role`);
    const rows = await snapshot(tx, c, ids);
    await tx.execute(sql`select set_config('role', 'authenticated', true)`);
    return rows;
  };
  return outcome(() =>
    asUserRolledBack(user, async (tx) => {
      const before = await ownerSnapshot(tx);
      const touched = (await tx.execute(write)).count;
      const after = await ownerSnapshot(tx);
      return { touched, changed: ids.filter((id) => before.get(id) !== after.get(id)).sort() };
    }),
  );
}

// ---------------------------------------------------------------------------------------

let fx: TenancyFixture;
const seeded = new Map<string, Seeded>();
function seededOf(c: TableCase): Seeded {
  const s = seeded.get(c.table);
  if (!s) throw new Error(`no rows seeded for ${c.table}`);
  return s;
}
const actorOf = (role: WorkspaceRole) => fx.a.members[role];
const byTable = CASES.map((c) => [c.table, c] as const);

beforeAll(async () => {
  const db = serviceDb();
  fx = await createTenancyFixture(db);
  for (const c of CASES) {
    const system = c.seedSystem ? [await c.seedSystem(db)] : [];
    seeded.set(c.table, { a: await c.seed(db, fx.a), b: await c.seed(db, fx.b), system });
  }
});

afterAll(async () => {
  const db = serviceDb();
  for (const c of CASES) {
    const system = seeded.get(c.table)?.system ?? [];
    if (system.length > 0) await db.execute(sql`delete from ${tableOf(c)} where ${idIn(c, system)}`);
  }
  if (fx) await removeTenancyFixture(fx, db);
  const formerMembers = seeded.get("notification_settings");
  if (formerMembers) await db.execute(sql`delete from auth.users where id in ${[...formerMembers.a, ...formerMembers.b]}`);
});

type CatalogRow = { name: string; enabled: boolean; forced: boolean; policies: number };

function publicTables(): Promise<CatalogRow[]> {
  return serviceDb().execute<CatalogRow>(sql`
    select c.relname as name, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
           (select count(*) from pg_policy p where p.polrelid = c.oid)::int as policies
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p')
    order by c.relname`);
}

describe("RLS catalogue", () => {
  it("has an entry in CASES for every table in public, and none for a table that is gone", async () => {
    const tables = (await publicTables()).map((t) => t.name);
    const missing = tables.filter((t) => !CASES.some((c) => c.table === t));
    const stale = CASES.map((c) => c.table).filter((t) => !tables.includes(t));
    expect(missing, `add an entry to CASES in db/rls.integration.test.ts for: ${missing.join(", ")}`).toEqual([]);
    expect(stale, `remove the CASES entries of tables that no longer exist: ${stale.join(", ")}`).toEqual([]);
  });

  it("enables and forces row level security on every table in public, each with a policy", async () => {
    const unprotected = (await publicTables())
      .filter((t) => !t.enabled || !t.forced || t.policies < 1)
      .map((t) => `${t.name} (enabled=${t.enabled}, forced=${t.forced}, policies=${t.policies})`);
    expect(unprotected).toEqual([]);
  });

  it("runs user transactions as `authenticated`, which cannot bypass RLS", async () => {
    const [role] = await asUser(actorOf("admin"), (tx) =>
      tx.execute<{ user: string; bypass: boolean; superuser: boolean }>(
        sql`select current_user as user, rolbypassrls as bypass, rolsuper as superuser from pg_roles where rolname = current_user`,
      ),
    );
    expect(role).toEqual({ user: "authenticated", bypass: false, superuser: false });
  });

  it("keeps every table in private out of a user's reach: no privilege on it for anon or authenticated", async () => {
    // Supabase's Data API serves public only, but a session's SQL (a SECURITY DEFINER function's
    // caller, a user transaction) reaches any schema it has privileges on.
    const reachable = await serviceDb().execute<{ name: string }>(sql`
      select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'private' and c.relkind in ('r', 'p')
        and (has_table_privilege('authenticated', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
          or has_table_privilege('anon', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER'))
      order by 1`);
    expect(reachable.map((r) => r.name)).toEqual([]);
    const [cancelRules] = await serviceDb().execute<{ n: number }>(sql`
      select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'private' and c.relname = 'job_cancel_rules'`);
    expect(cancelRules?.n).toBe(1);
  });

  it("lets `authenticated` call only the SECURITY DEFINER functions in private that check the caller themselves", async () => {
    // Each of these was read for its own check of auth.uid()'s membership or role. A new one
    // joins the list only once it does the same: RLS does not apply inside it.
    const callerChecking = [
      // The caller's own API key only (its claim), no argument to ask about another.
      "private.api_key_still_active()",
      // Answers only to an admin of the workspace asked about (has_workspace_role), and only key ids.
      "private.api_keys_of_inactive_creators(uuid)",
      "private.create_invitation(uuid,text,workspace_role,text,timestamp with time zone,uuid)",
      "private.create_workspace(text,text)",
      "private.finish_campaign_stop(uuid)",
      "private.has_workspace_role(uuid,text[])",
      "private.insert_notifications(jsonb)",
      "private.integration_account_secret(uuid)",
      "private.is_workspace_member(uuid)",
      "private.member_workspace_ids()",
      "private.record_audit(uuid,uuid,text,text,text,jsonb)",
      "private.search_company_ids(uuid,text)",
      "private.search_lead_ids(uuid,text[])",
      "private.shares_workspace_with(uuid)",
      "private.teammate_ids()",
      "private.workspace_ids_with_role(text[])",
    ];
    const callable = await serviceDb().execute<{ fn: string }>(sql`
      select p.oid::regprocedure::text as fn from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'private' and p.prosecdef and p.prorettype <> 'trigger'::regtype
        and has_function_privilege('authenticated', p.oid, 'EXECUTE')
      order by 1`);
    expect(callable.map((r) => r.fn)).toEqual(callerChecking);
    const open = await serviceDb().execute<{ fn: string }>(sql`
      select p.oid::regprocedure::text as fn from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'private' and has_function_privilege('public', p.oid, 'EXECUTE')`);
    // PostgreSQL grants PUBLIC EXECUTE on every new function: a migration adding one revokes it.
    expect(open.map((r) => r.fn)).toEqual([]);
  });

  it("refuses a member a call that would queue a webhook event in another workspace's outbox", async () => {
    const refusal = (query: SQL) =>
      asUserRolledBack(actorOf("admin"), (tx) => tx.execute(query)).then(
        () => "allowed",
        (error: { cause?: unknown }) => String(error.cause ?? error),
      );
    expect(
      await refusal(
        sql`select private.record_webhook_event(${fx.b.id}::uuid, 'lead.created', '{"lead":{"email":"forged@evil.test"}}'::jsonb)`,
      ),
    ).toMatch(/permission denied for function record_webhook_event/);
    expect(await refusal(sql`select private.webhook_subscribed(${fx.b.id}::uuid, 'lead.created')`)).toMatch(
      /permission denied for function webhook_subscribed/,
    );
  });

  it("refuses an admin pointing their workspace's webhook delivery at another workspace's event or endpoint", async () => {
    const mine = await seedWebhookRows(serviceDb(), fx.a);
    const theirs = await seedWebhookRows(serviceDb(), fx.b);
    for (const change of [sql`event_id = ${theirs.eventId}`, sql`endpoint_id = ${theirs.endpointId}`, sql`last_error = 'Hijacked'`]) {
      const outcome = await asUserRolledBack(actorOf("admin"), (tx) =>
        tx.execute(sql`update public.webhook_deliveries set ${change} where id = ${mine.deliveryId}`),
      ).then(
        () => "allowed",
        (error: { cause?: unknown }) => String(error.cause ?? error),
      );
      expect(outcome).toMatch(/permission denied for table webhook_deliveries/);
    }
  });

  it("refuses an admin moving their webhook endpoint to another workspace or changing its id; its settings stay theirs to change", async () => {
    const mine = await seedWebhookRows(serviceDb(), fx.a);
    const attempt = (change: SQL) =>
      asUserRolledBack(actorOf("admin"), (tx) =>
        tx.execute(sql`update public.webhook_endpoints set ${change} where id = ${mine.endpointId} returning id`),
      ).then(
        (rows) => `allowed (${rows.length} row)`,
        (error: { cause?: unknown }) => String(error.cause ?? error),
      );
    for (const change of [
      sql`workspace_id = ${fx.b.id}`,
      sql`id = gen_random_uuid()`,
      sql`created_by = null`,
      sql`last_success_at = now()`,
      sql`created_at = now()`,
    ]) {
      expect(await attempt(change)).toMatch(/permission denied for table webhook_endpoints/);
    }
    expect(await attempt(sql`description = 'CRM', enabled = false, disabled_reason = 'Disabled by an admin.', updated_at = now()`)).toBe(
      "allowed (1 row)",
    );
  });

  it.each(["authenticated", "anon"])("shows role %s without JWT claims no row of any table", async (role) => {
    const counts = await serviceDb().transaction(async (tx) => {
      await tx.execute(sql`select set_config('role', ${role}, true)`);
      const [claims] = await tx.execute<{ claims: string | null }>(
        sql`select nullif(current_setting('request.jwt.claims', true), '') as claims`,
      );
      expect(claims?.claims ?? null).toBeNull();
      const result: Record<string, number> = {};
      for (const c of CASES) result[c.table] = await count(tx, c, sql`true`);
      return result;
    });
    expect(counts).toEqual(Object.fromEntries(CASES.map((c) => [c.table, 0])));
    for (const c of CASES) expect(await count(serviceDb(), c, sql`true`), `${c.table} is empty`).toBeGreaterThan(0);
  });
});

describe.each(byTable)("%s across workspaces", (_table, c) => {
  it.each(WORKSPACE_ROLES)("%s of A reads no row outside A, nor any system row", async (role) => {
    const { a, b, system } = seededOf(c);
    const outsideA = sql`not coalesce(${belongsTo(c, fx.a.id, a)}, false)`;
    const seen = await asUser(actorOf(role), async (tx) => ({
      outsideA: await count(tx, c, outsideA),
      ofB: await count(tx, c, idIn(c, b)),
      system: system.length > 0 ? await count(tx, c, idIn(c, system)) : 0,
    }));
    expect(seen).toEqual({ outsideA: 0, ofB: 0, system: 0 });
    expect(await count(serviceDb(), c, idIn(c, [...b, ...system]))).toBe(b.length + system.length);
  });

  it.each(WORKSPACE_ROLES)("%s of A cannot insert a row into B", async (role) => {
    const actor = actorOf(role);
    const row = c.newRow(fx.b, actor, fx);
    expect(await outcome(() => asUserRolledBack(actor, (tx) => affected(tx, insertRow(c, row))))).toBe("denied");
  });

  const tenant = c.tenantColumn;
  // Only where a column names the workspace; a workspace cannot become another one.
  if (tenant && tenant !== c.idColumn) {
    it.each(WORKSPACE_ROLES)("%s of A cannot move a row of A into B", async (role) => {
      const actor = actorOf(role);
      const [target] = seededOf(c).a;
      if (!target) throw new Error("no row seeded in A");
      const moveTo = sql`update ${tableOf(c)} set ${ident(tenant)} = ${fx.b.id}`;
      const targeted = await outcome(() => asUser(actor, (tx) => affected(tx, sql`${moveTo} where ${idIn(c, [target])} returning 1`)));
      expect([0, "denied"]).toContain(targeted);
      expect(await count(serviceDb(), c, sql`${idIn(c, [target])} and ${ident(tenant)} = ${fx.a.id}`)).toBe(1);
      const blanket = await probe(c, actor, moveTo);
      expect([0, "denied"]).toContain(blanket === "denied" ? blanket : blanket.touched);
    });
  }

  it.each(WORKSPACE_ROLES)("%s of A updates and deletes no row of B", async (role) => {
    const actor = actorOf(role);
    const { b, system } = seededOf(c);
    const ids = [...b, ...system];
    const before = await snapshot(serviceDb(), c, ids);
    const writes = [c.tamper, ...(tenant && tenant !== c.idColumn ? [{ [tenant]: fx.a.id }] : [])];
    const touched = await asUser(actor, async (tx) => {
      const counts: number[] = [];
      for (const set of writes) {
        // A column the role may not update at all (workspace_members.workspace_id) is refused
        // outright: that counts as touching nothing. The savepoint keeps the transaction usable.
        const result = await outcome(() =>
          tx.transaction((sp) => affected(sp, sql`update ${tableOf(c)} set ${assignments(set)} where ${idIn(c, ids)} returning 1`)),
        );
        counts.push(result === "denied" ? 0 : result);
      }
      counts.push(await affected(tx, sql`delete from ${tableOf(c)} where ${idIn(c, ids)} returning 1`));
      return counts;
    });
    expect(touched).toEqual([...writes.map(() => 0), 0]);
    expect(await snapshot(serviceDb(), c, ids)).toEqual(before);

    for (const write of [sql`update ${tableOf(c)} set ${assignments(c.tamper)}`, sql`delete from ${tableOf(c)}`]) {
      const result = await probe(c, actor, write);
      const changedOutsideA = result === "denied" ? [] : result.changed.filter((id) => ids.includes(id));
      expect(changedOutsideA).toEqual([]);
    }
  });
});

describe.each(byTable)("%s within the own workspace", (_table, c) => {
  const matrix = WORKSPACE_ROLES.flatMap((role) =>
    (["select", "insert", "update", "delete"] as const).map((op) => [role, c.allowed[op].includes(role) ? "may" : "may not", op] as const),
  );

  it.each(matrix)("%s %s %s", async (role, verdict, op) => {
    const allowed = verdict === "may";
    const actor = actorOf(role);
    const ids = seededOf(c).a;

    if (op === "select") {
      const visible = await asUser(actor, (tx) => count(tx, c, belongsTo(c, fx.a.id, ids)));
      expect(visible).toBe(allowed ? ids.length : 0);
    } else if (op === "insert") {
      const inserted = await outcome(() => asUserRolledBack(actor, (tx) => affected(tx, insertRow(c, c.newRow(fx.a, actor, fx)))));
      expect(inserted).toBe(allowed ? 1 : "denied");
    } else {
      const write = op === "update" ? sql`update ${tableOf(c)} set ${assignments(c.tamper)}` : sql`delete from ${tableOf(c)}`;
      const expected = [...new Set([...(allowed ? ids : []), ...(c.own?.(op, actor) ?? [])])].sort();
      const result = await probe(c, actor, write);
      // Refused outright (no UPDATE privilege on the table's columns) is a "may not" too.
      if (expected.length === 0 && result === "denied") return;
      expect(result).toEqual({ touched: expected.length, changed: expected });
    }
  });
});

describe("rules beyond the role", () => {
  const nonAdmins = WORKSPACE_ROLES.filter((r) => r !== "admin");

  it.each(nonAdmins)("a %s cannot promote themselves to admin", async (role) => {
    const actor = actorOf(role);
    const promoted = await outcome(() =>
      asUser(actor, (tx) => affected(tx, sql`update public.workspace_members set role = 'admin' where id = ${actor.memberId} returning 1`)),
    );
    expect(promoted).toBe(0);
    const [member] = await serviceDb().execute<{ role: string }>(
      sql`select role::text as role from public.workspace_members where id = ${actor.memberId}`,
    );
    expect(member?.role).toBe(role);
  });

  it.each(WORKSPACE_ROLES)(
    "a %s inserts no audit_log row with their token, and the server's function records only their own acts",
    async (role) => {
      const actor = actorOf(role);
      const teammate = membersOf(fx.a).find((m) => m.id !== actor.id);
      for (const actorId of [actor.id, teammate?.id, null]) {
        const row = { workspace_id: fx.a.id, actor_id: actorId, action: "campaign.approved", target_type: "campaign" };
        const result = await outcome(() => asUserRolledBack(actor, (tx) => affected(tx, insertRow(caseFor("audit_log"), row))));
        expect(result, `actor_id=${actorId}`).toBe("denied");
      }
      const record = (workspaceId: string, actorId: string | null) =>
        outcome(() =>
          asUserRolledBack(actor, (tx) =>
            tx.execute(sql`select private.record_audit(${workspaceId}::uuid, ${actorId}::uuid, 'lead.viewed', 'lead', null, '{}'::jsonb)`),
          ),
        );
      expect(await record(fx.a.id, teammate!.id)).toBe("denied");
      expect(await record(fx.a.id, null)).toBe("denied");
      expect(await record(fx.b.id, actor.id)).toBe("denied");
      expect(await record(fx.a.id, actor.id)).not.toBe("denied");
    },
  );

  it.each(["admin", "manager", "sales_rep"] as const)(
    "a %s writes on a timeline only what a person does, dated now: no email, import or unsubscribe entry, no other date",
    async (role) => {
      const actor = actorOf(role);
      const lead = leadsOf(fx.a).unassigned;
      const insert = (type: string, createdAt?: string) =>
        outcome(() =>
          asUserRolledBack(actor, (tx) =>
            affected(
              tx,
              createdAt === undefined
                ? sql`insert into public.lead_activities (workspace_id, lead_id, type, actor_id)
                      values (${fx.a.id}, ${lead}, ${type}::activity_type, ${actor.id}) returning 1`
                : sql`insert into public.lead_activities (workspace_id, lead_id, type, actor_id, created_at)
                      values (${fx.a.id}, ${lead}, ${type}::activity_type, ${actor.id}, ${createdAt}::timestamptz) returning 1`,
            ),
          ),
        );
      for (const type of ["email_sent", "email_replied", "email_bounced", "imported", "enriched", "unsubscribed", "reply_classified"]) {
        expect(await insert(type), type).toBe("denied");
      }
      expect(await insert("note_added", "2020-01-01T00:00:00Z"), "back-dated").toBe("denied");
      expect(await insert("note_added", "2999-01-01T00:00:00Z"), "forward-dated").toBe("denied");
      expect(await insert("note_added")).toBe(1);
      expect(await insert("status_changed")).toBe(1);
    },
  );

  it("an admin moves an import only as its controls do: a finished one stays finished, and its counts and plan are the job's", async () => {
    const admin = actorOf("admin");
    const importOf = async (status: string) => {
      const [row] = await serviceDb().execute<{ id: string }>(sql`
        insert into public.lead_imports (workspace_id, created_by, file_name, file_size, encoding, delimiter, headers, total_rows,
          status, mapping, rules, processed_rows, inserted, finished_at)
        values (${fx.a.id}, ${admin.id}, 'done.csv', 10, 'utf-8', ',', '{Email}', 1, ${status}::lead_import_status, '{}', '{}',
          ${status === "completed" ? 1 : 0}, ${status === "completed" ? 1 : 0}, ${status === "completed" ? sql`now()` : null})
        returning id`);
      return row!.id;
    };
    const update = (id: string, set: SQL) =>
      outcome(() => asUserRolledBack(admin, (tx) => affected(tx, sql`update public.lead_imports set ${set} where id = ${id} returning 1`)));

    // Completed → running → completed would send import.completed to the webhooks again.
    const completed = await importOf("completed");
    expect(await update(completed, sql`status = 'running', finished_at = null`)).toBe("denied");
    expect(await update(completed, sql`status = 'failed'`)).toBe("denied");
    expect(await update(completed, sql`inserted = 0, updated = 1`)).toBe("denied");
    const running = await importOf("running");
    expect(await update(running, sql`status = 'completed', processed_rows = 1, inserted = 1, finished_at = now()`)).toBe("denied");
    expect(await update(running, sql`status = 'paused', mapping = ${TAMPERED}`)).toBe("denied");
    expect(await update(running, sql`status = 'paused', error = 'tampered'`)).toBe("denied");
    expect(await update(running, sql`status = 'paused'`)).toBe(1);
    // Cancelling dates itself: the finish is now, whatever was sent.
    const [cancelled] = await asUserRolledBack(admin, (tx) =>
      tx.execute<{ recent: boolean }>(sql`
        update public.lead_imports set status = 'cancelled', finished_at = '2000-01-01' where id = ${running}
        returning finished_at > now() - interval '1 minute' as recent`),
    );
    expect(cancelled?.recent).toBe(true);
  });

  it("a PhantomBuster schedule is only cancelled by a person, once, as themself: nobody makes it import as someone else or revives it", async () => {
    const schedule = seededOf(caseFor("phantombuster_schedules")).a[0]!;
    const update = (role: WorkspaceRole, set: SQL) =>
      outcome(() =>
        asUserRolledBack(actorOf(role), (tx) =>
          affected(tx, sql`update public.phantombuster_schedules set ${set} where id = ${schedule} returning 1`),
        ),
      );
    for (const role of ["admin", "manager", "sales_rep"] as const) {
      expect(await update(role, sql`created_by = ${fx.a.members.admin.id}`), `${role}: created_by`).toBe("denied");
      expect(await update(role, sql`next_run_at = now()`), `${role}: next_run_at`).toBe("denied");
      expect(await update(role, sql`cancelled_at = null`), `${role}: a no-op cancel`).toBe("denied");
    }
    const manager = actorOf("manager");
    const [cancelled] = await asUserRolledBack(manager, (tx) =>
      tx.execute<{ by: string; recent: boolean }>(sql`
        update public.phantombuster_schedules set cancelled_at = '2000-01-01', cancelled_by = ${fx.a.members.admin.id} where id = ${schedule}
        returning cancelled_by::text as by, cancelled_at > now() - interval '1 minute' as recent`),
    );
    expect(cancelled).toEqual({ by: manager.id, recent: true });

    // Cancelled (by the service here, as an admin's cancel would leave it): the creator cannot take it back.
    await serviceDb().execute(sql`update public.phantombuster_schedules set cancelled_at = now() where id = ${schedule}`);
    try {
      expect(await update("sales_rep", sql`cancelled_at = null, cancelled_by = null`)).toBe("denied");
      expect(await update("admin", sql`cancelled_at = now()`)).toBe("denied");
    } finally {
      await serviceDb().execute(
        sql`update public.phantombuster_schedules set cancelled_at = null, cancelled_by = null where id = ${schedule}`,
      );
    }
  });

  it.each(["admin", "manager"] as const)(
    "a %s adds a suppression only as themself, by hand or from a file: not as a teammate, nor as an unsubscribe or a bounce",
    async (role) => {
      const actor = actorOf(role);
      const teammate = membersOf(fx.a).find((m) => m.id !== actor.id)!;
      const add = (reason: string, createdBy: string | null) =>
        outcome(() =>
          asUserRolledBack(actor, (tx) =>
            affected(
              tx,
              sql`insert into public.suppressions (workspace_id, kind, value, reason, created_by)
                  values (${fx.a.id}, 'email', ${`s-${randomSuffix()}@example.test`}, ${reason}::suppression_reason, ${createdBy}) returning 1`,
            ),
          ),
        );
      expect(await add("manual", teammate.id), "as a teammate").toBe("denied");
      expect(await add("manual", null), "as nobody").toBe("denied");
      for (const reason of ["unsubscribe", "bounce", "complaint"]) expect(await add(reason, actor.id), reason).toBe("denied");
      expect(await add("manual", actor.id)).toBe(1);
      expect(await add("import", actor.id)).toBe(role === "admin" ? 1 : "denied");
    },
  );

  it.each(["admin", "sales_rep"] as const)(
    "a %s edits a lead's own fields but not what the app found out: deliverability, enrichment, vendor ids, origin",
    async (role) => {
      const actor = actorOf(role);
      const lead = leadsOf(fx.a).ofRep;
      const update = (set: SQL) =>
        outcome(() => asUserRolledBack(actor, (tx) => affected(tx, sql`update public.leads set ${set} where id = ${lead} returning 1`)));
      expect(await update(sql`email_status = 'valid', email_verified_at = now()`), "marked valid").toBe("denied");
      expect(await update(sql`enrichment = '{"icebreaker": "Loved your post"}'`), "icebreaker").toBe("denied");
      expect(await update(sql`instantly_lead_id = 'someone-else'`), "Instantly id").toBe("denied");
      expect(await update(sql`apollo_person_id = 'p-1'`), "Apollo id").toBe("denied");
      expect(await update(sql`source = 'apollo'`), "source").toBe("denied");
      expect(await update(sql`created_by = ${fx.a.members.manager.id}`), "author").toBe("denied");
      expect(await update(sql`title = 'Head of Growth', score = 70`)).toBe(1);
      // A new address starts unknown, as the edit form makes it.
      expect(await update(sql`email = ${`new-${randomSuffix()}@example.test`}, email_status = 'unknown', email_verified_at = null`)).toBe(
        1,
      );
      expect(await update(sql`email = ${`new-${randomSuffix()}@example.test`}, email_status = 'valid'`), "new address marked valid").toBe(
        "denied",
      );

      const insert = (extra: Record<string, unknown>) =>
        outcome(() =>
          asUserRolledBack(actor, (tx) =>
            affected(
              tx,
              insertRow(caseFor("leads"), {
                workspace_id: fx.a.id,
                first_name: "Zoë",
                email: `zoe-${randomSuffix()}@example.test`,
                created_by: actor.id,
                owner_id: actor.id,
                ...extra,
              }),
            ),
          ),
        );
      expect(await insert({ email_status: "valid" }), "added as valid").toBe("denied");
      expect(await insert({ source: "apollo" }), "added as Apollo's").toBe("denied");
      expect(await insert({ created_by: fx.a.members.manager.id }), "added as a teammate").toBe("denied");
      expect(await insert({ enrichment: '{"icebreaker": "Hi"}' }), "added enriched").toBe("denied");
      expect(await insert({})).toBe(1);
    },
  );

  it("an admin records a decision on the campaign's content as it is: not another content, another hash or another date", async () => {
    const admin = actorOf("admin");
    const { campaignId, contentHash } = campaignOf(fx.a);
    const decide = (hash: string, content: string, decidedAt: string | null) =>
      asUserRolledBack(admin, (tx) =>
        tx.execute<{ same: boolean; now: boolean }>(sql`
          insert into public.campaign_approvals (workspace_id, campaign_id, decision, content_hash, content, decided_by, decided_at)
          values (${fx.a.id}, ${campaignId}, 'rejected', ${hash}, ${content}::jsonb, ${admin.id}, coalesce(${decidedAt}::timestamptz, now()))
          returning content = (select private.campaign_content(c) from public.campaigns c where c.id = ${campaignId}) as same,
            decided_at = now() as now`),
      );
    expect(await decide(randomHash(), "{}", null).then(() => "recorded", sqlState), "another hash").toBe("23514");
    const [recorded] = await decide(contentHash, JSON.stringify({ steps: [{ subject: "Something else" }] }), "2020-01-01T00:00:00Z");
    expect(recorded).toEqual({ same: true, now: true });
  });

  it.each(WORKSPACE_ROLES)(
    "a %s reads no integration key's ciphertext, in any workspace, nor through the key helper in B",
    async (role) => {
      const actor = actorOf(role);
      for (const column of ["secret_ciphertext", "secret_key_id"]) {
        const read = await outcome(() => asUser(actor, (tx) => tx.execute(sql`select ${ident(column)} from public.integration_accounts`)));
        expect(read, column).toBe("denied");
      }
      const whole = await outcome(() => asUser(actor, (tx) => tx.execute(sql`select * from public.integration_accounts`)));
      expect(whole).toBe("denied");
      const inB = await asUser(actor, (tx) =>
        tx.execute(sql`select * from private.integration_account_secret(${seededOf(caseFor("integration_accounts")).b[0]!})`),
      );
      expect(inB).toHaveLength(0);
      // In A, only the roles that may spend a key (search, enrich, import) get its ciphertext.
      const inA = await asUser(actor, (tx) =>
        tx.execute(sql`select * from private.integration_account_secret(${seededOf(caseFor("integration_accounts")).a[0]!})`),
      );
      expect(inA).toHaveLength(["admin", "manager", "sales_rep"].includes(role) ? 1 : 0);
    },
  );

  it.each(WORKSPACE_ROLES)("a %s sees their own and teammates' profiles, nobody else's", async (role) => {
    const visible = await asUser(actorOf(role), (tx) => tx.execute<{ id: string }>(sql`select id from public.profiles order by id`));
    expect(visible.map((p) => p.id)).toEqual(
      membersOf(fx.a)
        .map((m) => m.id)
        .sort(),
    );
  });

  it("checks membership once per statement when reading members and their profiles, not once per row", async () => {
    // The lead table reads its owners' names on every page: a policy that calls a plpgsql
    // helper per row costs that call for every member and every profile (migration 0040).
    const plan = await asUser(actorOf("sales_rep"), async (tx) => {
      const rows = await tx.execute<{ "QUERY PLAN": string }>(sql`explain
        select m.user_id, p.full_name from public.workspace_members m left join public.profiles p on p.id = m.user_id
        where m.workspace_id = ${fx.a.id}`);
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    });
    // Each policy compares with an array computed once (an InitPlan): a condition on the members
    // (an index condition, or a filter when the planner scans a table it thinks tiny), a filter on
    // each profile, and no helper called per row.
    expect(plan).toMatch(/(Index Cond|Filter): .*workspace_id = ANY \(\(InitPlan \d\)/);
    expect(plan).toMatch(/Filter: .*id = ANY \(\(InitPlan \d\)/);
    expect(plan).not.toMatch(/is_workspace_member|shares_workspace_with/);
  });

  it.each(WORKSPACE_ROLES)("a %s can update their own profile", async (role) => {
    const actor = actorOf(role);
    const updated = await asUserRolledBack(actor, (tx) =>
      affected(tx, sql`update public.profiles set full_name = 'Renée Nouveau' where id = ${actor.id} returning 1`),
    );
    expect(updated).toBe(1);
  });

  it("a new user can create their own profile and only their own", async () => {
    const fresh = await createTestUser(serviceDb(), {
      email: `new-${randomSuffix()}@example.test`,
      fullName: "Noël Nouveau",
      withProfile: false,
    });
    try {
      const forged = await outcome(() =>
        asUserRolledBack(fresh, (tx) =>
          affected(tx, sql`insert into public.profiles (id, email) values (${fx.outsider.id}, 'x@example.test') returning 1`),
        ),
      );
      expect(forged).toBe("denied");
      const own = await asUserRolledBack(fresh, (tx) =>
        affected(
          tx,
          sql`insert into public.profiles (id, email, full_name) values (${fresh.id}, ${fresh.email}, ${fresh.fullName}) returning 1`,
        ),
      );
      expect(own).toBe(1);
    } finally {
      await serviceDb().execute(sql`delete from auth.users where id = ${fresh.id}`);
    }
  });
});
