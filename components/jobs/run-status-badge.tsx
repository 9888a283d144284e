import { Badge } from "@/components/ui/badge";
import type { JobRunStatus, JobStepStatus } from "@/db/schema";

const TONES = {
  queued: "neutral",
  running: "accent",
  sleeping: "accent",
  waiting: "accent",
  retrying: "amber",
  completed: "green",
  failed: "red",
  cancelled: "neutral",
} as const;

export function RunStatusBadge({ status }: { status: JobRunStatus | JobStepStatus }) {
  return <Badge tone={TONES[status]}>{status}</Badge>;
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
