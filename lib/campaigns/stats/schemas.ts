import { z } from "zod";
import { ENROLLMENT_STATUSES } from "@/db/schema/campaign-enums";

/** The campaign page's enrollments table state, from the URL: anything unknown is dropped rather than trusted. */
export const ZEnrollmentTableParams = z.object({
  state: z.enum(ENROLLMENT_STATUSES).optional().catch(undefined),
  after: z.string().max(200).optional().catch(undefined),
});
export type EnrollmentTableParams = z.infer<typeof ZEnrollmentTableParams>;

export const ZEnrollmentRef = z.object({ campaignId: z.uuid(), enrollmentId: z.uuid() });
