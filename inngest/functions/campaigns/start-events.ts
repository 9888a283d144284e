import type { StartedEnrollment } from "@/lib/campaigns/lifecycle/batches";

/** The campaigns/enrollment.started events of some enrollments, each id naming its generation. */
export function startEvents(workspaceId: string, campaignId: string, started: readonly StartedEnrollment[]) {
  return started.map((s) => ({
    name: "campaigns/enrollment.started" as const,
    id: `enrollment-${s.enrollmentId}-${s.generation}`,
    data: { workspaceId, campaignId, enrollmentId: s.enrollmentId, generation: s.generation, identityId: s.identityId },
  }));
}
