/**
 * Walks every server action in app/ (every export of every "use server" file) and proves the
 * wrapper's checks: without a session it is rejected, with a role lacking the permission it is
 * rejected, with another workspace's ids it is rejected — each time with no side effect.
 * A new action fails this suite until it has a sample input below.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { jobEvents, jobRuns, leadBulkOperations, savedViews } from "@/db/schema";
import { executeAction } from "@/lib/actions/execute-action";
import { BLANK_AI_SETTINGS_FORM } from "@/lib/ai/testing/ai-settings-form";
import { can } from "@/lib/auth/permissions";
import { WORKSPACE_ROLES } from "@/lib/auth/roles";
import { resolveSession } from "@/lib/auth/session";
import { campaignContentHash } from "@/lib/campaigns/content-hash";
import { createInvitation } from "@/lib/invitations/create-invitation";
import { storeOutboxMessage } from "@/lib/outbox/store";
import type { DefinedAction } from "@/app/_server/action";
import { createTestCampaign } from "@/tests/fixtures/submitted-campaign";
import {
  claimsFor,
  createTenancyFixture,
  createTestUser,
  randomSuffix,
  removeTenancyFixture,
  startTestSession,
  type TenancyFixture,
} from "@/tests/fixtures/tenancy";
import { sessionOf } from "@/tests/fixtures/sessions";

type AnyAction = DefinedAction<never, unknown>;
type Fixture = TenancyFixture & {
  bToken: string;
  bRunId: string;
  bViewId: string;
  bLeadId: string;
  /** A company of B's: what the company page's edit form targets. */
  bCompanyId: string;
  bDeletedLeadId: string;
  bDeleteOperationId: string;
  bImportId: string;
  bMappingId: string;
  /** A campaign of B waiting for approval, and the hash its review shows. */
  bCampaignId: string;
  bCampaignHash: string;
  /** That campaign's sending identity, and a notification of B's admin. */
  bIdentityId: string;
  bNotificationId: string;
  /** Product mail of B in the embedded outbox: what the Outbox page simulates events for. */
  bOutboxMessageId: string;
  /** An address on B's suppression list. */
  bSuppressionId: string;
  /** B's connected Apollo account. */
  bIntegrationAccountId: string;
  /** A recurring PhantomBuster import of B's. */
  bScheduleId: string;
  /** A reply of B's lead read as "wrong person", its referral offered: what the reply actions undo or add. */
  bReplyId: string;
  /** B's webhook endpoint and one of its deliveries. */
  bWebhookEndpointId: string;
  bWebhookDeliveryId: string;
  /** An API key of B's. */
  bApiKeyId: string;
};
type Sample = { input: (f: Fixture) => unknown; crossWorkspace: boolean };

const suffix = randomSuffix();
const probeEmail = `probe-${suffix}@example.test`;

/** Inputs that would succeed for a member of workspace A; `crossWorkspace` ones point at B's rows. */
const SAMPLES: Record<string, Sample> = {
  signIn: { input: () => ({ email: probeEmail, password: "not-the-password" }), crossWorkspace: false },
  requestMagicLink: { input: () => ({ email: probeEmail }), crossWorkspace: false },
  signOut: { input: () => ({}), crossWorkspace: false },
  requestPasswordResetLink: { input: () => ({ email: probeEmail }), crossWorkspace: false },
  acceptInvitationWithNewAccount: {
    input: (f) => ({ token: f.bToken, fullName: "Probe Person", password: "long-enough-1" }),
    crossWorkspace: false,
  },
  acceptInvitationAsSignedInUser: { input: (f) => ({ token: f.bToken }), crossWorkspace: true },
  setPassword: { input: () => ({ password: "long-enough-1", confirm: "long-enough-1" }), crossWorkspace: false },
  switchWorkspace: { input: (f) => ({ workspaceId: f.b.id }), crossWorkspace: true },
  signUp: { input: () => ({ fullName: "Probe Person", email: probeEmail, password: "long-enough-1" }), crossWorkspace: false },
  createNewWorkspace: { input: () => ({ name: `Probe ${suffix}` }), crossWorkspace: false },
  // Refused here: the shared test database has users, so the first-run setup is closed.
  completeSetup: {
    input: () => ({ workspaceName: "Probe Co", email: probeEmail, password: "long-enough-1", confirm: "long-enough-1" }),
    crossWorkspace: false,
  },
  inviteMember: { input: () => ({ email: probeEmail, role: "viewer" }), crossWorkspace: false },
  changeRole: { input: (f) => ({ memberId: f.b.members.sales_rep.memberId, role: "admin" }), crossWorkspace: true },
  removeTeamMember: { input: (f) => ({ memberId: f.b.members.viewer.memberId }), crossWorkspace: true },
  revokeTeamInvitation: { input: (f) => ({ invitationId: f.b.invitationId }), crossWorkspace: true },
  replayRun: { input: (f) => ({ runId: f.bRunId }), crossWorkspace: true },
  cancelRun: { input: (f) => ({ runId: f.bRunId }), crossWorkspace: true },
  retryRun: { input: (f) => ({ runId: f.bRunId }), crossWorkspace: true },
  saveLeadView: { input: () => ({ name: `Probe view ${suffix}`, shared: true, params: { status: "new" } }), crossWorkspace: false },
  updateLeadView: { input: (f) => ({ viewId: f.bViewId, name: "Taken over" }), crossWorkspace: true },
  deleteLeadView: { input: (f) => ({ viewId: f.bViewId }), crossWorkspace: true },
  bulkAssignOwner: { input: (f) => ({ selection: { ids: [f.bLeadId] }, ownerId: null }), crossWorkspace: true },
  bulkSetStatus: { input: (f) => ({ selection: { ids: [f.bLeadId] }, status: "won" }), crossWorkspace: true },
  bulkAddTags: { input: (f) => ({ selection: { ids: [f.bLeadId] }, tags: ["probe"] }), crossWorkspace: true },
  bulkRemoveTags: { input: (f) => ({ selection: { ids: [f.bLeadId] }, tags: ["vip"] }), crossWorkspace: true },
  bulkDelete: { input: (f) => ({ selection: { ids: [f.bLeadId] } }), crossWorkspace: true },
  bulkRestore: { input: (f) => ({ selection: { ids: [f.bDeletedLeadId] } }), crossWorkspace: true },
  undoBulkDelete: { input: (f) => ({ operationId: f.bDeleteOperationId }), crossWorkspace: true },
  countBulkSelection: { input: () => ({ filter: "status=new" }), crossWorkspace: false },
  createLead: { input: () => ({ firstName: "Probe", email: `lead-${probeEmail}` }), crossWorkspace: false },
  updateLead: {
    input: (f) => ({ leadId: f.bLeadId, version: "2026-01-01T00:00:00.000000Z", firstName: "Taken", email: `lead-${probeEmail}` }),
    crossWorkspace: true,
  },
  changeLeadStatus: { input: (f) => ({ leadId: f.bLeadId, status: "won" }), crossWorkspace: true },
  findCompanyChoices: { input: () => ({ q: "probe" }), crossWorkspace: false },
  updateCompanyDetails: { input: (f) => ({ companyId: f.bCompanyId, name: "Taken over" }), crossWorkspace: true },
  undoReplyReading: { input: (f) => ({ classificationId: f.bReplyId }), crossWorkspace: true },
  addReferredLeadFromReply: { input: (f) => ({ classificationId: f.bReplyId }), crossWorkspace: true },
  readReply: { input: (f) => ({ classificationId: f.bReplyId, category: "interested" }), crossWorkspace: true },
  changeLeadOwner: { input: (f) => ({ leadId: f.bLeadId, ownerId: null }), crossWorkspace: true },
  addLeadNote: { input: (f) => ({ leadId: f.bLeadId, body: "Probe note" }), crossWorkspace: true },
  startLeadImportAction: {
    input: (f) => ({
      importId: f.bImportId,
      preset: "generic",
      mapping: { columns: [{ kind: "field", field: "email" }] },
      rules: { onMatch: "skip", owner: { kind: "none" }, tags: [] },
    }),
    crossWorkspace: true,
  },
  pauseLeadImportAction: { input: (f) => ({ importId: f.bImportId }), crossWorkspace: true },
  resumeLeadImportAction: { input: (f) => ({ importId: f.bImportId }), crossWorkspace: true },
  cancelLeadImportAction: { input: (f) => ({ importId: f.bImportId }), crossWorkspace: true },
  saveImportMappingAction: {
    input: () => ({ name: `Probe mapping ${suffix}`, columns: [{ header: "Email", target: { kind: "field", field: "email" } }] }),
    crossWorkspace: false,
  },
  deleteImportMappingAction: { input: (f) => ({ mappingId: f.bMappingId }), crossWorkspace: true },
  approveCampaignAction: { input: (f) => ({ campaignId: f.bCampaignId, reviewedHash: f.bCampaignHash }), crossWorkspace: true },
  rejectCampaignAction: {
    input: (f) => ({ campaignId: f.bCampaignId, reviewedHash: f.bCampaignHash, comment: "Probe rejection" }),
    crossWorkspace: true,
  },
  previewCampaignEmailAction: { input: (f) => ({ campaignId: f.bCampaignId }), crossWorkspace: true },
  sendCampaignTestEmailAction: { input: (f) => ({ campaignId: f.bCampaignId }), crossWorkspace: true },
  createCampaign: { input: (f) => ({ name: "Probe campaign", audience: { kind: "view", viewId: f.bViewId } }), crossWorkspace: true },
  saveCampaignDraft: {
    input: (f) => ({
      campaignId: f.bCampaignId,
      expectedUpdatedAt: "2026-01-01T00:00:00.000000Z",
      name: "Taken over",
      identityIds: [],
      audience: { kind: "ids", ids: [f.bLeadId] },
      stopOnReply: false,
      plainTextOnly: true,
      steps: [],
    }),
    crossWorkspace: true,
  },
  deleteCampaign: { input: (f) => ({ campaignId: f.bCampaignId }), crossWorkspace: true },
  addLeadsToCampaign: { input: (f) => ({ campaignId: f.bCampaignId, ids: [f.bLeadId] }), crossWorkspace: true },
  submitCampaignAction: { input: (f) => ({ campaignId: f.bCampaignId }), crossWorkspace: true },
  launchCampaignAction: { input: (f) => ({ campaignId: f.bCampaignId }), crossWorkspace: true },
  pauseCampaignAction: { input: (f) => ({ campaignId: f.bCampaignId, reason: "Probe pause" }), crossWorkspace: true },
  resumeCampaignAction: { input: (f) => ({ campaignId: f.bCampaignId }), crossWorkspace: true },
  stopCampaignAction: { input: (f) => ({ campaignId: f.bCampaignId }), crossWorkspace: true },
  withdrawCampaignApprovalAction: { input: (f) => ({ campaignId: f.bCampaignId }), crossWorkspace: true },
  addSendingIdentity: {
    input: () => ({
      fromName: "Probe",
      fromEmail: probeEmail,
      replyTo: "",
      dailyCap: 10,
      sendDays: [1],
      sendFrom: "09:00",
      sendUntil: "10:00",
      timeZone: "UTC",
      postalAddress: "",
      signature: "",
    }),
    crossWorkspace: false,
  },
  saveSendingIdentity: {
    input: (f) => ({
      identityId: f.bIdentityId,
      fromName: "Taken over",
      fromEmail: probeEmail,
      replyTo: "",
      dailyCap: 10,
      sendDays: [1],
      sendFrom: "09:00",
      sendUntil: "10:00",
      timeZone: "UTC",
      postalAddress: "",
      signature: "",
    }),
    crossWorkspace: true,
  },
  archiveSendingIdentity: { input: (f) => ({ identityId: f.bIdentityId }), crossWorkspace: true },
  restoreSendingIdentity: { input: (f) => ({ identityId: f.bIdentityId }), crossWorkspace: true },
  removeSendingIdentity: { input: (f) => ({ identityId: f.bIdentityId }), crossWorkspace: true },
  saveSendingSettings: {
    input: () => ({ timeZone: "Asia/Tokyo", bounceRatePercent: "5", complaintRatePercent: "1", breakerMinSends: "200" }),
    crossWorkspace: false,
  },
  loadMyNotifications: { input: () => ({}), crossWorkspace: false },
  markNotificationsRead: { input: (f) => ({ ids: [f.bNotificationId] }), crossWorkspace: true },
  markAllNotificationsRead: { input: () => ({}), crossWorkspace: false },
  setNotificationEmails: { input: () => ({ emailEnabled: false }), crossWorkspace: false },
  simulateOutboxEmailEvent: { input: (f) => ({ messageId: f.bOutboxMessageId, kind: "bounced" }), crossWorkspace: true },
  addSuppression: { input: () => ({ value: `suppressed-${probeEmail}`, note: "Probe" }), crossWorkspace: false },
  removeSuppression: { input: (f) => ({ id: f.bSuppressionId }), crossWorkspace: true },
  createApiKeyAction: { input: () => ({ name: `Probe key ${suffix}`, scope: "read", expiresInDays: null }), crossWorkspace: false },
  revokeApiKeyAction: { input: (f) => ({ keyId: f.bApiKeyId }), crossWorkspace: true },
  importSuppressions: { input: () => ({ fileName: "probe.csv", text: `email\nimported-${probeEmail}\n` }), crossWorkspace: false },
  saveAiSettings: {
    input: () => ({ ...BLANK_AI_SETTINGS_FORM, icpDescription: "Probe profile" }),
    crossWorkspace: false,
  },
  connectIntegration: { input: () => ({ vendor: "apollo", apiKey: "probe-apollo-key-1234" }), crossWorkspace: false },
  connectSandbox: { input: () => ({ vendor: "apollo" }), crossWorkspace: false },
  rotateIntegrationKey: { input: (f) => ({ accountId: f.bIntegrationAccountId, apiKey: "probe-apollo-key-5678" }), crossWorkspace: true },
  checkIntegration: { input: (f) => ({ accountId: f.bIntegrationAccountId }), crossWorkspace: true },
  disconnectIntegration: { input: (f) => ({ accountId: f.bIntegrationAccountId }), crossWorkspace: true },
  syncInstantlyNow: { input: (f) => ({ accountId: f.bIntegrationAccountId }), crossWorkspace: true },
  createWebhook: { input: () => ({ url: "https://hooks.example.com/in", eventTypes: ["lead.created"] }), crossWorkspace: false },
  setWebhookEnabled: { input: (f) => ({ endpointId: f.bWebhookEndpointId, enabled: false }), crossWorkspace: true },
  revealWebhookSigningSecret: { input: (f) => ({ endpointId: f.bWebhookEndpointId }), crossWorkspace: true },
  updateWebhook: {
    input: (f) => ({ endpointId: f.bWebhookEndpointId, url: "https://hooks.example.com/taken", eventTypes: ["lead.updated"] }),
    crossWorkspace: true,
  },
  rotateWebhookSigningSecret: { input: (f) => ({ endpointId: f.bWebhookEndpointId }), crossWorkspace: true },
  retirePreviousWebhookSigningSecret: { input: (f) => ({ endpointId: f.bWebhookEndpointId }), crossWorkspace: true },
  deleteWebhook: { input: (f) => ({ endpointId: f.bWebhookEndpointId }), crossWorkspace: true },
  redeliverWebhookDelivery: { input: (f) => ({ deliveryId: f.bWebhookDeliveryId }), crossWorkspace: true },
  // The agent id is PhantomBuster's; the account it is looked up with is always the caller's workspace's.
  importPhantomBusterResultAction: { input: () => ({ agentId: "1001" }), crossWorkspace: false },
  launchPhantomBusterAgentAction: { input: () => ({ agentId: "1001" }), crossWorkspace: false },
  scheduleAgentImportAction: { input: () => ({ agentId: "1001", cadence: "daily" }), crossWorkspace: false },
  cancelAgentImportScheduleAction: { input: (f) => ({ scheduleId: f.bScheduleId }), crossWorkspace: true },
  searchApollo: { input: () => ({ filters: { titles: ["CTO"] }, page: 1 }), crossWorkspace: false },
  estimateApolloImportAction: { input: () => ({ selection: { kind: "people", ids: ["probe-apollo-person"] } }), crossWorkspace: false },
  estimateApolloEnrichment: { input: (f) => ({ selection: { ids: [f.bLeadId] } }), crossWorkspace: true },
  startApolloEnrichment: { input: (f) => ({ selection: { ids: [f.bLeadId] }, confirmedMaxCredits: 1 }), crossWorkspace: true },
  getApolloEnrichmentProgress: { input: () => ({ enrichmentId: "00000000-0000-4000-8000-000000000000" }), crossWorkspace: false },
  estimateAiEnrichment: { input: (f) => ({ target: { selection: { ids: [f.bLeadId] } } }), crossWorkspace: true },
  startAiEnrichment: { input: (f) => ({ target: { selection: { ids: [f.bLeadId] } }, confirmedCostUsd: 1 }), crossWorkspace: true },
  getAiEnrichmentProgress: { input: () => ({ runId: "00000000-0000-4000-8000-000000000000" }), crossWorkspace: false },
  pauseAiEnrichment: { input: () => ({ runId: "00000000-0000-4000-8000-000000000000" }), crossWorkspace: false },
  resumeAiEnrichment: { input: () => ({ runId: "00000000-0000-4000-8000-000000000000" }), crossWorkspace: false },
  cancelAiEnrichment: { input: () => ({ runId: "00000000-0000-4000-8000-000000000000" }), crossWorkspace: false },
  startApolloImportAction: {
    input: () => ({
      personIds: ["probe-apollo-person"],
      rules: { onMatch: "skip", owner: { kind: "none" }, tags: [] },
      confirmedMaxCredits: 1,
    }),
    crossWorkspace: false,
  },
};

/**
 * Actions that run without a session on purpose: the invitation token, password or first-run
 * state is the credential, sign-up is for people without an account, and signing out must
 * clear a cookie whose session has already ended.
 */
const PUBLIC_ACTIONS = new Set([
  "signIn",
  "requestMagicLink",
  "requestPasswordResetLink",
  "acceptInvitationWithNewAccount",
  "completeSetup",
  "signUp",
  "signOut",
]);

async function findActionFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = await Promise.all(
    entries.map(async (entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return findActionFiles(full);
      if (!/\.tsx?$/.test(entry.name) || entry.name.includes(".test.")) return [];
      const source = await readFile(full, "utf8");
      return /^\s*["']use server["']/.test(source) ? [full] : [];
    }),
  );
  return files.flat();
}

async function loadActions(): Promise<Map<string, AnyAction>> {
  const actions = new Map<string, AnyAction>();
  for (const file of await findActionFiles(path.resolve(import.meta.dirname))) {
    const mod = (await import(file)) as Record<string, unknown>;
    for (const [exportName, value] of Object.entries(mod)) {
      const action = value as AnyAction;
      expect(typeof value, `${file}: export ${exportName} of a "use server" file must be an action`).toBe("function");
      expect(action.definition, `${file}: ${exportName} must be created with defineAction()`).toBeDefined();
      expect(action.definition.name, `${file}: ${exportName} must be named after its export`).toBe(exportName);
      actions.set(exportName, action);
    }
  }
  return actions;
}

let fixture: Fixture;
let actions: Map<string, AnyAction>;

/** Every row the samples could touch: both workspaces' rows, the probe address's user and mail. */
async function snapshot(): Promise<string> {
  const db = serviceDb();
  const ids = [fixture.a.id, fixture.b.id];
  const rows = await db.execute<{ digest: string }>(sql`
    select md5(concat_ws('|',
      (select string_agg(t::text, ',' order by t.id) from public.workspaces t where t.id in ${ids}),
      (select string_agg(t::text, ',' order by t.id) from public.workspace_members t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t.id) from public.invitations t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t.id) from public.audit_log t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t.id) from public.job_runs t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t.id) from public.saved_views t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t.id) from public.leads t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t.id) from public.companies t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t.id) from public.lead_activities t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t.id) from public.lead_bulk_operations t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t.id) from public.lead_imports t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t.id) from public.lead_import_mappings t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t.id) from public.campaigns t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t.id) from public.campaign_approvals t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t.id) from public.campaign_steps t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t.id) from public.campaign_step_variants t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t::text) from public.campaign_identities t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t.id) from public.sending_identities t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t.id) from public.notifications t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t::text) from public.notification_settings t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t.id) from public.suppressions t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t.id) from public.integration_accounts t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t.import_id) from public.apollo_imports t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t::text) from public.apollo_enriched_people t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t.workspace_id) from public.workspace_ai_settings t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t.id) from public.phantombuster_schedules t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t.id) from public.reply_classifications t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t.id) from public.webhook_endpoints t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t.id) from public.webhook_deliveries t where t.workspace_id in ${ids}),
      (select string_agg(t::text, ',' order by t.id) from public.api_keys t where t.workspace_id in ${ids}),
      (select count(*)::text from auth.users u where lower(u.email) = ${probeEmail}),
      (select count(*)::text from local.outbox_messages m where ${probeEmail} = any(m.to_addresses)),
      (select count(*)::text from local.outbox_webhook_deliveries d where d.email_id = ${fixture.bOutboxMessageId}::uuid),
      (select count(*)::text from local.outbox_received_emails r where r.reply_to_message_id = ${fixture.bOutboxMessageId}::uuid)
    )) as digest`);
  return rows[0]!.digest;
}

beforeAll(async () => {
  const base = await createTenancyFixture();
  const { token } = await serviceDb().transaction((tx) =>
    createInvitation(tx, {
      workspaceId: base.b.id,
      actorId: base.b.members.admin.id,
      email: `b-invitee-${suffix}@example.test`,
      role: "viewer",
    }),
  );
  // A failed run in B, of a function nobody serves, so no executor picks it up.
  const [event] = await serviceDb()
    .insert(jobEvents)
    .values({
      workspaceId: base.b.id,
      name: `test/actions.probe-${suffix}`,
      data: { workspaceId: base.b.id },
      ts: new Date(),
      dispatchedAt: new Date(),
    })
    .returning({ id: jobEvents.id });
  const [run] = await serviceDb()
    .insert(jobRuns)
    .values({ workspaceId: base.b.id, functionId: `probe-${suffix}`, eventId: event!.id, status: "failed", endedAt: new Date() })
    .returning({ id: jobRuns.id });
  const [view] = await serviceDb()
    .insert(savedViews)
    .values({ workspaceId: base.b.id, ownerId: base.b.members.admin.id, tableName: "leads", name: "Globex view", shared: true, state: {} })
    .returning({ id: savedViews.id });
  // A live lead, a deleted one and the bulk delete that removed it, in B: the bulk actions' targets.
  const [lead] = await serviceDb().execute<{ id: string }>(sql`
    insert into public.leads (workspace_id, first_name, tags) values (${base.b.id}, 'Probe', '{vip}') returning id`);
  const [operation] = await serviceDb()
    .insert(leadBulkOperations)
    .values({
      workspaceId: base.b.id,
      requestedBy: base.b.members.admin.id,
      action: "delete",
      selection: { kind: "ids", ids: [] },
      total: 1,
      processed: 1,
      changed: 1,
      status: "completed",
      finishedAt: new Date(),
    })
    .returning({ id: leadBulkOperations.id, createdAt: leadBulkOperations.createdAt });
  const [company] = await serviceDb().execute<{ id: string }>(sql`
    insert into public.companies (workspace_id, name) values (${base.b.id}, 'Probe Company') returning id`);
  const [deleted] = await serviceDb().execute<{ id: string }>(sql`
    insert into public.leads (workspace_id, first_name, deleted_at, deleted_by)
    values (${base.b.id}, 'Deleted probe', (select created_at from public.lead_bulk_operations where id = ${operation!.id}), ${base.b.members.admin.id})
    returning id`);
  // An uploaded import of B waiting for its mapping, and a mapping saved in B: the import actions' targets.
  const [upload] = await serviceDb().execute<{ id: string }>(sql`
    insert into public.lead_imports (workspace_id, created_by, file_name, file_size, encoding, delimiter, headers, total_rows)
    values (${base.b.id}, ${base.b.members.admin.id}, 'globex.csv', 40, 'utf-8', ',', '{Email}', 1) returning id`);
  await serviceDb().execute(sql`
    insert into public.lead_import_rows (import_id, workspace_id, row_number, fields)
    values (${upload!.id}, ${base.b.id}, 1, '{ana@globex.example}')`);
  const [mapping] = await serviceDb().execute<{ id: string }>(sql`
    insert into public.lead_import_mappings (workspace_id, created_by, name, columns)
    values (${base.b.id}, ${base.b.members.admin.id}, 'Globex mapping', '{"Email":{"kind":"field","field":"email"}}') returning id`);
  const bCampaign = await createTestCampaign(base.b.id, base.b.members.sales_rep);
  const [bNotification] = await serviceDb().execute<{ id: string }>(sql`
    insert into public.notifications (workspace_id, user_id, kind, title, link)
    values (${base.b.id}, ${base.b.members.admin.id}, 'campaign_submitted', 'Probe notification', '/approvals') returning id`);
  const bOutboxMessageId = await storeOutboxMessage({
    fromAddress: "Globex <sales@globex.test>",
    toAddresses: [`outbox-lead-${suffix}@example.test`],
    subject: "Globex campaign email",
    html: null,
    textBody: "Hello from Globex",
    headers: {},
    tags: [
      { name: "workspace_id", value: base.b.id },
      { name: "kind", value: "product" },
    ],
  });
  const [bSuppression] = await serviceDb().execute<{ id: string }>(sql`
    insert into public.suppressions (workspace_id, kind, value, reason) values (${base.b.id}, 'email', 'ana@globex.example', 'unsubscribe') returning id`);
  const [bIntegration] = await serviceDb().execute<{ id: string }>(sql`
    insert into public.integration_accounts (workspace_id, vendor, secret_ciphertext, secret_key_id, key_last4, created_by)
    values (${base.b.id}, 'apollo', ${Buffer.alloc(40, 1).toString("base64")}, 'k1', 'wxyz', ${base.b.members.admin.id}) returning id`);
  const [bSchedule] = await serviceDb().execute<{ id: string }>(sql`
    insert into public.phantombuster_schedules (workspace_id, account_id, agent_id, agent_name, cadence, created_by, next_run_at)
    values (${base.b.id}, ${bIntegration!.id}, '1001', 'Globex search', 'daily', ${base.b.members.admin.id}, 'infinity') returning id`);
  const [bReply] = await serviceDb().execute<{ id: string }>(sql`
    insert into public.reply_classifications (workspace_id, source, reply_key, lead_id, received_at, state, category, confidence, referral, action)
    values (${base.b.id}, 'resend', ${`probe-${suffix}`}, ${lead!.id}, now(), 'classified', 'wrong_person', 0.9,
      '{"name":"Probe Referral","email":"probe-referral@globex.example","title":null}',
      '{"kind":"referral_offered","referral":{"name":"Probe Referral","email":"probe-referral@globex.example","title":null},"existingLeadId":null}')
    returning id`);
  const [bWebhook] = await serviceDb().execute<{ endpoint_id: string; delivery_id: string }>(sql`
    with endpoint as (
      insert into public.webhook_endpoints (workspace_id, url, event_types, secret_ciphertext, secret_key_id)
      values (${base.b.id}, 'https://hooks.globex.example/in', '{lead.created}', ${Buffer.alloc(40, 1).toString("base64")}, 'k1')
      returning id),
    event as (insert into public.webhook_events (workspace_id, type, data) values (${base.b.id}, 'lead.created', '{}') returning id)
    insert into public.webhook_deliveries (workspace_id, event_id, endpoint_id, status)
    select ${base.b.id}, event.id, endpoint.id, 'succeeded' from endpoint, event
    returning endpoint_id, id as delivery_id`);
  const [bApiKey] = await serviceDb().execute<{ id: string }>(sql`
    insert into public.api_keys (workspace_id, name, scope, prefix, secret_hash, created_by)
    values (${base.b.id}, 'Globex sync', 'read_write', 'lip_globex', ${"b".repeat(64)}, ${base.b.members.admin.id}) returning id`);
  fixture = {
    ...base,
    bReplyId: bReply!.id,
    bWebhookEndpointId: bWebhook!.endpoint_id,
    bWebhookDeliveryId: bWebhook!.delivery_id,
    bApiKeyId: bApiKey!.id,
    bScheduleId: bSchedule!.id,
    bIntegrationAccountId: bIntegration!.id,
    bOutboxMessageId,
    bSuppressionId: bSuppression!.id,
    bCampaignId: bCampaign.campaignId,
    bCampaignHash: (await campaignContentHash(serviceDb(), bCampaign.campaignId))!,
    bIdentityId: bCampaign.identityId,
    bNotificationId: bNotification!.id,
    bImportId: upload!.id,
    bMappingId: mapping!.id,
    bToken: token,
    bRunId: run!.id,
    bViewId: view!.id,
    bLeadId: lead!.id,
    bCompanyId: company!.id,
    bDeletedLeadId: deleted!.id,
    bDeleteOperationId: operation!.id,
  };
  actions = await loadActions();
});

afterAll(async () => {
  await removeTenancyFixture(fixture);
});

describe("every server action", () => {
  it("has a sample input in this suite", () => {
    const missing = [...actions.keys()].filter((name) => !SAMPLES[name]);
    expect(missing, "add SAMPLES entries for these actions").toEqual([]);
    expect(actions.size).toBeGreaterThanOrEqual(Object.keys(SAMPLES).length);
  });

  it("declares a permission unless it is knowingly public or only needs a signed-in user", () => {
    for (const [name, action] of actions) {
      if (action.definition.auth === "public") expect(PUBLIC_ACTIONS.has(name), `${name} is public but not in PUBLIC_ACTIONS`).toBe(true);
    }
  });

  it("rejects a request without a session, with no side effect", async () => {
    for (const [name, action] of actions) {
      if (PUBLIC_ACTIONS.has(name)) continue;
      const before = await snapshot();
      const result = await executeAction(action.definition, null, SAMPLES[name]!.input(fixture));
      expect(result, name).toMatchObject({ ok: false, code: "unauthenticated" });
      expect(await snapshot(), `${name} changed data without a session`).toBe(before);
    }
  });

  it("rejects every role without the permission, with no side effect", async () => {
    let checked = 0;
    for (const [name, action] of actions) {
      const auth = action.definition.auth;
      if (auth === "public" || auth === "signed-in") continue;
      for (const role of WORKSPACE_ROLES.filter((r) => !can(r, auth))) {
        const session = await sessionOf(fixture.a.members[role], fixture.a.id);
        const before = await snapshot();
        const result = await executeAction(action.definition, session, SAMPLES[name]!.input(fixture));
        expect(result, `${name} as ${role}`).toMatchObject({ ok: false, code: "forbidden" });
        expect(await snapshot(), `${name} as ${role} changed data`).toBe(before);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("rejects another workspace's ids even for an admin, with no side effect", async () => {
    const admin = await sessionOf(fixture.a.members.admin, fixture.a.id);
    for (const [name, action] of actions) {
      const sample = SAMPLES[name]!;
      if (!sample.crossWorkspace) continue;
      const before = await snapshot();
      const result = await executeAction(action.definition, admin, sample.input(fixture));
      expect(result.ok, `${name} accepted workspace B's ids`).toBe(false);
      expect(["not_found", "forbidden"], name).toContain(result.ok ? "" : result.code);
      expect(await snapshot(), `${name} changed data across workspaces`).toBe(before);
    }
  });

  it("refuses a session that was signed out, revoked or banned, with no side effect", async () => {
    const ended = "Your session has ended. Log in again to continue.";
    const admin = fixture.a.members.admin;
    const revocations: Record<string, (sessionId: string) => Promise<unknown>> = {
      "signed out": (id) => serviceDb().execute(sql`delete from auth.sessions where id = ${id}`),
      "revoked after refresh-token reuse": (id) => serviceDb().execute(sql`update auth.sessions set not_after = now() where id = ${id}`),
    };
    for (const [how, revoke] of Object.entries(revocations)) {
      const session = await sessionOf(admin, fixture.a.id);
      await revoke(String(session.claims.session_id));
      for (const [name, action] of actions) {
        if (PUBLIC_ACTIONS.has(name)) continue;
        const before = await snapshot();
        const result = await executeAction(action.definition, session, SAMPLES[name]!.input(fixture));
        expect(result, `${name}, session ${how}`).toEqual({ ok: false, code: "unauthenticated", error: ended });
        expect(await snapshot(), `${name} changed data with a session ${how}`).toBe(before);
      }
    }

    // A ban leaves the session row in place (as GoTrue does) but must stop the user at once.
    const banned = await createTestUser(serviceDb(), { email: `banned-${suffix}@example.test`, fullName: "Banned Person" });
    const bannedSession = await resolveSession(
      claimsFor(banned.id, banned.email, await startTestSession(serviceDb(), banned.id)),
      undefined,
    );
    await serviceDb().execute(sql`update auth.users set banned_until = now() + interval '1 day' where id = ${banned.id}`);
    const result = await executeAction(actions.get("setPassword")!.definition, bannedSession, SAMPLES.setPassword!.input(fixture));
    expect(result).toEqual({ ok: false, code: "unauthenticated", error: ended });
    await serviceDb().execute(sql`delete from auth.users where id = ${banned.id}`);
  });

  it("rejects malformed input with field errors before doing anything", async () => {
    const admin = await sessionOf(fixture.a.members.admin, fixture.a.id);
    for (const [name, action] of actions) {
      const before = await snapshot();
      const result = await executeAction(action.definition, admin, { unexpected: "<script>" });
      expect(result, name).toMatchObject({ ok: false, code: "invalid_input" });
      expect(await snapshot()).toBe(before);
    }
  });
});
