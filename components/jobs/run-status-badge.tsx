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

/** A run's or a step's length, in the two largest units that matter: "4.2 s", "7 min 34 s", "7 h 33 min", "2 d 5 h". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  const [days, hours, minutes] = [Math.floor(seconds / 86_400), Math.floor(seconds / 3600) % 24, Math.floor(seconds / 60) % 60];
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  return `${minutes} min ${seconds % 60} s`;
}
