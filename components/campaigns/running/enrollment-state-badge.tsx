import { Badge } from "@/components/ui/badge";
import type { EnrollmentStatus } from "@/db/schema/campaign-enums";
import { ENROLLMENT_STATUS_LABELS } from "@/lib/campaigns/stats/enrollment-labels";

const TONES = { active: "accent", completed: "green", stopped: "amber", skipped: "neutral" } as const satisfies Record<
  EnrollmentStatus,
  string
>;

export function EnrollmentStateBadge({ status }: { status: EnrollmentStatus }) {
  return <Badge tone={TONES[status]}>{ENROLLMENT_STATUS_LABELS[status]}</Badge>;
}

/** Where the lead is in the sequence, in words. */
export function describeStep(status: EnrollmentStatus, nextStep: number, stepCount: number): string {
  if (status === "completed") return `All ${stepCount} sent`;
  if (status === "active") return `Step ${Math.min(nextStep, stepCount)} of ${stepCount}`;
  return nextStep > 1 ? `Ended after step ${nextStep - 1}` : "Ended before step 1";
}
