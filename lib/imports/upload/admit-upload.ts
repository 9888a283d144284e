import "server-only";
import { RateLimitedError } from "@/lib/rate-limit/rate-limited";
import { consumeRequest, type RequestLimit } from "@/lib/rate-limit/request-limit";
import { claimUploadSlot } from "./upload-slots";

/** The limits an upload passes, from the Imports page or the REST API alike. */
export type UploadAdmissionLimits = {
  /** Files per hour of the person uploading (or the API key's creator). */
  perUser: RequestLimit;
  /** Files per hour of the workspace. */
  perWorkspace: RequestLimit;
  /** Uploads stored at once by this process (upload-slots.ts). */
  maxConcurrent: number;
};

/** How long an upload turned away for want of a place is asked to wait (it is told "a minute"). */
export const UPLOADS_BUSY_RETRY_AFTER_SECONDS = 60;

/**
 * Whether an upload may start: `admitted` with the release of its place (call it once the
 * upload is over, whatever became of it), or which limit refused it, for each surface to say
 * in its own words and shape.
 */
export type UploadAdmission =
  | { admitted: true; release: () => void }
  | { admitted: false; refusal: "uploader" | "workspace"; limited: RateLimitedError }
  | { admitted: false; refusal: "busy"; retryAfterSeconds: number };

/**
 * Counts the upload against the uploader's and then the workspace's files per hour, then
 * claims a place among this process's uploads: the Imports page's route and POST
 * /api/v1/imports share both the hourly counts and the places. Call it before reading the body.
 */
export async function admitUpload(who: { userId: string; workspaceId: string }, limits: UploadAdmissionLimits): Promise<UploadAdmission> {
  const hourly = [
    ["uploader", limits.perUser, who.userId],
    ["workspace", limits.perWorkspace, who.workspaceId],
  ] as const;
  for (const [refusal, limit, key] of hourly) {
    try {
      await consumeRequest(limit, key);
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      return { admitted: false, refusal, limited: error };
    }
  }
  const release = claimUploadSlot(limits.maxConcurrent);
  return release ? { admitted: true, release } : { admitted: false, refusal: "busy", retryAfterSeconds: UPLOADS_BUSY_RETRY_AFTER_SECONDS };
}
