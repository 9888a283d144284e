import { Badge } from "@/components/ui/badge";
import type { CampaignStatus } from "@/db/schema/campaign-enums";
import { CAMPAIGN_STATUS_LABELS } from "@/lib/campaigns/types";

const TONES = {
  draft: "neutral",
  pending_approval: "amber",
  approved: "green",
  running: "accent",
  paused: "amber",
  completed: "neutral",
  stopped: "red",
} as const satisfies Record<CampaignStatus, string>;

export function CampaignStatusBadge({ status }: { status: CampaignStatus }) {
  return <Badge tone={TONES[status]}>{CAMPAIGN_STATUS_LABELS[status]}</Badge>;
}
