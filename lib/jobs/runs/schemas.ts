import { z } from "zod";
import { JOB_RUN_STATUSES } from "@/db/schema";

export const ZJobRunRef = z.object({ runId: z.uuid("That job run is not valid.") });

export const JOB_RANGES = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000 } as const;

/** The Jobs page's filters, from the URL: anything unknown is dropped rather than trusted. */
export const ZJobFilters = z.object({
  function: z.string().trim().min(1).max(200).optional().catch(undefined),
  status: z.enum(JOB_RUN_STATUSES).optional().catch(undefined),
  range: z.enum(["1h", "24h", "7d", "all"]).default("all").catch("all"),
  cursor: z.string().max(200).optional().catch(undefined),
});

export type JobFilters = z.infer<typeof ZJobFilters>;
