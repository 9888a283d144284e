import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { cancelLeadImportAction, pauseLeadImportAction, resumeLeadImportAction } from "./actions";
import { requirePageSession } from "@/app/_server/session";
import { ImportControls } from "@/components/imports/import-controls";
import { ImportAiEnrichment } from "@/components/imports/import-ai-enrichment";
import { ImportFacts } from "@/components/imports/import-facts";
import { ImportIssueGroups } from "@/components/imports/import-issue-groups";
import { ImportLiveProgress } from "@/components/imports/import-live-progress";
import { SampleDataBadge, SampleDataNotice, sandboxVendorName } from "@/components/integrations/sample-data";
import { PageHeader } from "@/components/ui/page-header";
import { withUserTx } from "@/db";
import { listImportInsightRuns } from "@/lib/ai/enrichment/runs/control-insight-run";
import { can } from "@/lib/auth/permissions";
import { describeRules } from "@/lib/imports/describe-rules";
import { findImportJobRunId, getLeadImport, listImportIssueGroups, namesOfRuleMembers } from "@/lib/imports/get-lead-import";

export const metadata: Metadata = { title: "Import" };

type Props = { params: Promise<{ id: string }> };

/** One import: what was read, the rules, live progress with its four counts, and the rows that were not written. */
export default async function ImportPage({ params }: Props) {
  // Analysts follow imports read-only (imports.read); pausing, resuming and cancelling need imports.run.
  const session = await requirePageSession("imports.read");
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const workspaceId = session.current.workspaceId;
  const actor = { workspaceId, userId: session.userId, role: session.current.role };
  const mayImport = can(session.current.role, "imports.run");
  const mayEnrich = can(session.current.role, "enrichment.run") && can(session.current.role, "leads.edit_own");
  const loaded = await withUserTx(session.claims, async (tx) => {
    const detail = await getLeadImport(tx, { workspaceId, importId: id });
    if (!detail || detail.status === "mapping") return { detail };
    const [groups, names, runId, aiRuns] = await Promise.all([
      listImportIssueGroups(tx, { workspaceId, importId: id }),
      namesOfRuleMembers(tx, detail.rules),
      can(session.current.role, "jobs.manage") ? findImportJobRunId(tx, { workspaceId, jobEventId: detail.jobEventId }) : null,
      mayEnrich ? listImportInsightRuns(tx, actor, id) : [],
    ]);
    return { detail, groups, names, runId, aiRuns };
  });
  const { detail } = loaded;
  if (!detail) notFound();
  // Not started yet: its page is the mapping step, for those who may import; others have nothing to follow yet.
  if (detail.status === "mapping") redirect(mayImport ? `/imports/${id}/mapping` : "/imports");
  const { groups = [], names = new Map<string, string>(), runId = null, aiRuns = [] } = loaded;
  const wroteLeads = detail.inserted + detail.updated > 0 && (detail.status === "completed" || detail.status === "cancelled");
  // As control-import.ts allows: the person who started it, a manager or an admin.
  const mayControl = mayImport && (detail.createdBy?.id === session.userId || can(session.current.role, "leads.edit_all"));

  return (
    <>
      <PageHeader
        title={`Import of ${detail.fileName}`}
        description={
          <Link href="/imports" className="hover:underline">
            ← All imports
          </Link>
        }
        actions={
          <div className="flex items-center gap-3">
            {detail.sandbox ? <SampleDataBadge /> : null}
            {mayControl ? (
              <ImportControls
                importId={detail.id}
                status={detail.status}
                actions={{ pause: pauseLeadImportAction, resume: resumeLeadImportAction, cancel: cancelLeadImportAction }}
              />
            ) : null}
          </div>
        }
      />
      <div className="grid gap-6 p-6 xl:grid-cols-[1fr_24rem]">
        <div className="space-y-6">
          {detail.sandbox ? (
            <SampleDataNotice vendor={sandboxVendorName(detail.source) ?? "a vendor"} what="every person and company in this import was" />
          ) : null}
          <ImportLiveProgress initial={progressOf(detail)} renderedAt={Date.now()} />
          {mayEnrich && wroteLeads ? <ImportAiEnrichment importId={detail.id} runs={aiRuns} /> : null}
          <ImportIssueGroups importId={detail.id} groups={groups} />
        </div>
        <aside>
          <ImportFacts detail={detail} rules={describeRules(detail.rules, names)} runId={runId} />
        </aside>
      </div>
    </>
  );
}

function progressOf(detail: NonNullable<Awaited<ReturnType<typeof getLeadImport>>>) {
  const {
    id,
    status,
    startedAt,
    finishedAt,
    pausedAt,
    pausedMs,
    totalRows,
    processedRows,
    inserted,
    updated,
    skipped,
    failed,
    companiesCreated,
    error,
    apollo,
  } = detail;
  return {
    id,
    status,
    startedAt,
    finishedAt,
    pausedAt,
    pausedMs,
    totalRows,
    processedRows,
    inserted,
    updated,
    skipped,
    failed,
    companiesCreated,
    error,
    apollo,
  };
}
