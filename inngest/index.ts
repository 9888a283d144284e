import type { LocalFunction } from "@/lib/jobs/executor/registry";
import { classifyReply, classifyReplyFunction } from "./functions/ai/classify-reply";
import { launchCampaign, launchCampaignFunction } from "./functions/campaigns/launch-campaign";
import { resumeCampaign, resumeCampaignFunction } from "./functions/campaigns/resume-campaign";
import { runEnrollmentSequence, runEnrollmentSequenceFunction } from "./functions/campaigns/run-enrollment-sequence";
import { runLeadBulkOperation, runLeadBulkOperationFunction } from "./functions/leads/run-lead-bulk-operation";
import { runLeadImport, runLeadImportFunction } from "./functions/leads/run-lead-import";
import {
  takeDeletedLeadsOutOfInstantly,
  takeDeletedLeadsOutOfInstantlyFunction,
} from "./functions/leads/take-deleted-leads-out-of-instantly";
import { playDemoCampaign, playDemoCampaignFunction } from "./functions/demo/play-demo-campaign";
import { pruneJobRuns, pruneJobRunsFunction } from "./functions/jobs/prune-job-runs";
import { pruneOldRecords, pruneOldRecordsFunction } from "./functions/jobs/prune-old-records";
import { recordCancelledRun, recordCancelledRunFunction } from "./functions/jobs/record-cancelled-run";
import { processResendWebhook, processResendWebhookFunction } from "./functions/email/process-resend-webhook";
import { pruneWebhookReceipts, pruneWebhookReceiptsFunction } from "./functions/email/prune-webhook-receipts";
import { emailNotifications, emailNotificationsFunction } from "./functions/notifications/email-notifications";
import { composeWorkspaceDigest, composeWorkspaceDigestFunction } from "./functions/workspace/compose-workspace-digest";
import {
  syncInstantly,
  syncInstantlyFunction,
  syncInstantlyHourly,
  syncInstantlyHourlyFunction,
} from "./functions/integrations/sync-instantly";
import { launchPhantomBusterAgent, launchPhantomBusterAgentFunction } from "./functions/integrations/launch-phantombuster-agent";
import { processInstantlyWebhook, processInstantlyWebhookFunction } from "./functions/integrations/process-instantly-webhook";
import { importFromApollo, importFromApolloFunction } from "./functions/integrations/import-from-apollo";
import { enrichLeadsFromApollo, enrichLeadsFromApolloFunction } from "./functions/integrations/enrich-leads-from-apollo";
import { enrichLeadInsights, enrichLeadInsightsFunction } from "./functions/ai/enrich-lead-insights";
import {
  mirrorToInstantly,
  mirrorToInstantlyFunction,
  pushToInstantly,
  pushToInstantlyFunction,
  removeLeadFromInstantly,
  removeLeadFromInstantlyFunction,
} from "./functions/integrations/push-to-instantly";
import {
  phantomBusterSchedulesDue,
  phantomBusterSchedulesDueFunction,
  runPhantomBusterSchedule,
  runPhantomBusterScheduleFunction,
} from "./functions/integrations/phantombuster-schedules";
import { deliverWebhooks, deliverWebhooksCronFunction, deliverWebhooksFunction } from "./functions/webhooks/deliver-webhooks";

/**
 * Every background function, once: served to Inngest by app/api/inngest/route.ts and run by
 * the local executor otherwise. Each entry pairs the function with the named handler given
 * to createFunction, so the executor calls the very same code.
 */
export const localFunctions = [
  { fn: classifyReplyFunction, handler: classifyReply },
  { fn: composeWorkspaceDigestFunction, handler: composeWorkspaceDigest },
  { fn: emailNotificationsFunction, handler: emailNotifications },
  { fn: enrichLeadsFromApolloFunction, handler: enrichLeadsFromApollo },
  { fn: enrichLeadInsightsFunction, handler: enrichLeadInsights },
  { fn: importFromApolloFunction, handler: importFromApollo },
  { fn: launchCampaignFunction, handler: launchCampaign },
  { fn: playDemoCampaignFunction, handler: playDemoCampaign },
  { fn: processInstantlyWebhookFunction, handler: processInstantlyWebhook },
  { fn: processResendWebhookFunction, handler: processResendWebhook },
  { fn: pruneJobRunsFunction, handler: pruneJobRuns },
  { fn: pruneOldRecordsFunction, handler: pruneOldRecords },
  { fn: recordCancelledRunFunction, handler: recordCancelledRun },
  { fn: pruneWebhookReceiptsFunction, handler: pruneWebhookReceipts },
  { fn: resumeCampaignFunction, handler: resumeCampaign },
  { fn: runEnrollmentSequenceFunction, handler: runEnrollmentSequence },
  { fn: runLeadBulkOperationFunction, handler: runLeadBulkOperation },
  { fn: runLeadImportFunction, handler: runLeadImport },
  { fn: takeDeletedLeadsOutOfInstantlyFunction, handler: takeDeletedLeadsOutOfInstantly },
  { fn: syncInstantlyFunction, handler: syncInstantly },
  { fn: syncInstantlyHourlyFunction, handler: syncInstantlyHourly },
  { fn: launchPhantomBusterAgentFunction, handler: launchPhantomBusterAgent },
  { fn: pushToInstantlyFunction, handler: pushToInstantly },
  { fn: mirrorToInstantlyFunction, handler: mirrorToInstantly },
  { fn: removeLeadFromInstantlyFunction, handler: removeLeadFromInstantly },
  { fn: runPhantomBusterScheduleFunction, handler: runPhantomBusterSchedule },
  { fn: phantomBusterSchedulesDueFunction, handler: phantomBusterSchedulesDue },
  { fn: deliverWebhooksFunction, handler: deliverWebhooks },
  { fn: deliverWebhooksCronFunction, handler: deliverWebhooks },
] satisfies LocalFunction[];

export const functions = localFunctions.map((f) => f.fn);
