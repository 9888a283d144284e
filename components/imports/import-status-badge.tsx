import { Badge } from "@/components/ui/badge";
import type { ImportStatus } from "@/db/schema/lead-import-enums";

const TONES = {
  mapping: "neutral",
  queued: "neutral",
  running: "accent",
  paused: "amber",
  completed: "green",
  failed: "red",
  cancelled: "neutral",
} as const;

const WORDS: Record<ImportStatus, string> = {
  mapping: "Waiting for mapping",
  queued: "Queued",
  running: "Importing",
  paused: "Paused",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
};

export function ImportStatusBadge({ status }: { status: ImportStatus }) {
  return <Badge tone={TONES[status]}>{WORDS[status]}</Badge>;
}
