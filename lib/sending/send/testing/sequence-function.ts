import { inngest } from "@/inngest/client";
import { runEnrollmentSequence, runEnrollmentSequenceFunction } from "@/inngest/functions/campaigns/run-enrollment-sequence";
import type { LocalFunction } from "@/lib/jobs/executor/registry";

/**
 * The sequence function exactly as registered (same handler, retries, concurrency, cancelOn),
 * under a test's own id and trigger: executors of other test files sharing the database never
 * run this file's enrollments, and this file's never run theirs.
 */
export function testSequenceFunction(suffix: string): LocalFunction & { event: string } {
  const event = `test/enrollment.started-${suffix}`;
  const { id: _id, triggers: _triggers, ...options } = runEnrollmentSequenceFunction.opts as unknown as Record<string, unknown>;
  const fn = inngest.createFunction(
    { ...(options as object), id: `run-enrollment-sequence-${suffix}`, triggers: [{ event }] } as Parameters<
      typeof inngest.createFunction
    >[0],
    runEnrollmentSequence as never,
  );
  return { fn, handler: runEnrollmentSequence, event };
}
