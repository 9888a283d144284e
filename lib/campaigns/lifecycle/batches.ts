/** Leads enrolled, or enrollments restarted, per step of the launch and resume jobs (one transaction each). */
export const ENROLL_BATCH_SIZE = 1_000;

/** One sequence run to start: the data of campaigns/enrollment.started. */
export type StartedEnrollment = { enrollmentId: string; generation: number; identityId: string };
