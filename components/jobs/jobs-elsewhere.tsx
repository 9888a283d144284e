import { ExternalLink } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";

/** With Inngest configured, runs live in Inngest's own dashboard, not in this app's tables. */
export function JobsElsewhere({ dashboardUrl }: { dashboardUrl: string }) {
  return (
    <EmptyState
      icon={ExternalLink}
      title="Runs are in the Inngest dashboard"
      action={
        <a href={dashboardUrl} target="_blank" rel="noreferrer" className="text-sm font-medium text-accent-600 hover:underline">
          Open the Inngest dashboard
        </a>
      }
    >
      This deployment sends its background jobs to Inngest, which keeps their runs, steps and replays.
    </EmptyState>
  );
}
