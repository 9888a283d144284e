import { SampleDataBadge } from "@/components/integrations/sample-data";
import { Bot, PlugZap } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { requirePageSession } from "@/app/_server/session";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { withUserTx } from "@/db";
import { hasPermission } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { VendorError } from "@/lib/integrations/http/vendor-error";
import { openAgentList, type AgentRow } from "@/lib/imports/phantombuster/list-agents";
import { listAgentImportSchedules, type ScheduleView } from "@/lib/imports/phantombuster/recurring/schedules";
import { ImportResultButton } from "./import-result-button";
import { LaunchButton } from "./launch-button";
import { ScheduleList } from "./schedule-list";
import { ScheduleMenu } from "./schedule-menu";

export const metadata: Metadata = { title: "Import from PhantomBuster" };

const LAST_RUN: Record<AgentRow["lastRun"], { label: string; tone: "green" | "red" | "amber" | "neutral" }> = {
  succeeded: { label: "Finished", tone: "green" },
  failed: { label: "Failed", tone: "red" },
  running: { label: "Running", tone: "amber" },
  never: { label: "Never run", tone: "neutral" },
};

export default async function Page() {
  const session = await requirePageSession("imports.run");
  const actor = { workspaceId: session.current.workspaceId, userId: session.userId, role: session.current.role };
  let agents: AgentRow[] | null = null;
  let problem: string | null = null;
  let notConnected = false;
  let sandbox = false;
  let schedules: ScheduleView[] = [];
  try {
    const list = await withUserTx(session.claims, async (tx) => ({
      ...(await openAgentList(tx, actor)),
      schedules: await listAgentImportSchedules(tx, { workspaceId: actor.workspaceId }),
    }));
    sandbox = list.sandbox;
    schedules = list.schedules;
    agents = await list.load();
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notConnected = true;
    else if (error instanceof VendorError) problem = error.message;
    else throw error;
  }

  return (
    <>
      <PageHeader
        title="Import from PhantomBuster"
        description="Import an agent's latest result as leads, with the PhantomBuster preset and the same duplicate rules as a CSV upload, launch the agent and import its result when the run finishes, or import its new rows every day or after each of its runs."
        actions={sandbox ? <SampleDataBadge /> : null}
      />
      <div className="space-y-4 p-6">
        {sandbox ? (
          <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
            PhantomBuster is connected to the sandbox: these agents, their runs and every person in their results are invented sample data
            served by this app. Launching an agent spends nothing.
          </p>
        ) : null}
        {notConnected ? (
          <EmptyState
            icon={PlugZap}
            title="PhantomBuster is not connected"
            action={
              hasPermission(session, "integrations.manage") ? (
                <Link href="/settings/integrations" className="text-sm font-medium text-accent-700 hover:underline">
                  Connect it in Settings → Integrations
                </Link>
              ) : null
            }
          >
            {hasPermission(session, "integrations.manage")
              ? "Connect your PhantomBuster API key to list your agents here."
              : "Ask an admin of this workspace to connect PhantomBuster in Settings → Integrations."}
          </EmptyState>
        ) : problem ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            {problem}
          </p>
        ) : agents && agents.length === 0 ? (
          <EmptyState icon={Bot} title="No agents yet">
            Set up a phantom in PhantomBuster (a LinkedIn or Sales Navigator search export, a profile scraper); it appears here.
          </EmptyState>
        ) : (
          <AgentTable agents={agents ?? []} scheduled={new Set(schedules.map((s) => s.agentId))} />
        )}
        {notConnected ? null : <ScheduleList schedules={schedules} sandbox={sandbox} />}
      </div>
    </>
  );
}

function AgentTable({ agents, scheduled }: { agents: AgentRow[]; scheduled: ReadonlySet<string> }) {
  return (
    <table className="w-full overflow-hidden rounded-lg border border-zinc-200 bg-white text-sm">
      <caption className="sr-only">PhantomBuster agents</caption>
      <thead className="bg-zinc-50 text-left text-xs text-zinc-600">
        <tr>
          <th scope="col" className="px-3 py-2 font-medium">
            Agent
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            Phantom
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            Latest run
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-200">
        {agents.map((agent) => {
          const run = LAST_RUN[agent.lastRun];
          return (
            <tr key={agent.id}>
              <th scope="row" className="px-3 py-2 text-left font-medium text-zinc-900">
                {agent.name}
              </th>
              <td className="px-3 py-2 text-zinc-700">{agent.script ?? "—"}</td>
              <td className="px-3 py-2">
                <span className="flex items-center gap-2">
                  <Badge tone={run.tone}>{run.label}</Badge>
                  {agent.lastEndedAt ? (
                    <span className="text-xs text-zinc-600">
                      <LocalTime value={new Date(agent.lastEndedAt)} withTime />
                    </span>
                  ) : null}
                </span>
              </td>
              <td className="px-3 py-2 text-right">
                <span className="flex justify-end gap-2">
                  {scheduled.has(agent.id) ? (
                    <Badge tone="neutral">Scheduled</Badge>
                  ) : (
                    <ScheduleMenu agentId={agent.id} agentName={agent.name} />
                  )}
                  <LaunchButton agentId={agent.id} agentName={agent.name} />
                  <ImportResultButton agentId={agent.id} agentName={agent.name} />
                </span>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
