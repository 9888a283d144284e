import "server-only";
import { serviceDb } from "@/db";
import { can } from "@/lib/auth/permissions";
import type { Session } from "@/lib/auth/session";
import { isSessionLive } from "@/lib/auth/session-liveness";
import { IMPORT_MAX_BYTES, IMPORT_MAX_ROWS } from "@/lib/imports/types";
import { megabytes, UploadRefused } from "@/lib/imports/upload-refused";
import { storeUpload, UploadCutOff } from "@/lib/imports/upload/store-upload";
import { admitUpload, type UploadAdmission, type UploadAdmissionLimits } from "@/lib/imports/upload/admit-upload";
import { MAX_CONCURRENT_UPLOADS, UPLOADS_BUSY } from "@/lib/imports/upload/upload-slots";
import { importUploadsPerUser, workspaceLimit } from "@/lib/rate-limit/policies";
import { tooManyRequests, tryAgainMessage } from "@/lib/rate-limit/rate-limited";
import { UPLOAD_FILE_NAME_RULE, uploadFileName } from "@/lib/imports/upload/file-name";
import { isCrossSite } from "@/lib/security/cross-site";

/**
 * A refusal may come before the body has been read (or while it is still arriving): closing
 * the connection after the answer keeps the unread rest of it from being taken for the next
 * request on a kept-alive connection.
 */
function refuse(status: number, error: string): Response {
  return Response.json({ error }, { status, headers: { "cache-control": "no-store", connection: "close" } });
}

/**
 * The file name the card sends URI-encoded in `x-file-name`, without any folder part. Being
 * required, this header also keeps other sites out (besides the Origin check): a cross-site
 * form cannot set it, and a cross-site fetch that sets it needs a CORS preflight this route
 * never grants.
 */
function fileNameOf(request: Request): string | null {
  const raw = request.headers.get("x-file-name");
  if (!raw) return null;
  try {
    return uploadFileName(decodeURIComponent(raw));
  } catch {
    return null;
  }
}

/** The file's size and rows, and the admission's limits (admit-upload.ts). */
export type UploadLimits = { maxBytes: number; maxRows: number } & UploadAdmissionLimits;

/**
 * POST /api/imports: the CSV file as the raw request body (its name in `x-file-name`), stored
 * as a new import (lib/imports/upload/store-upload.ts) → 201 `{ importId }`. The session and
 * the `imports.run` permission are checked here, before a byte is read, because this route is
 * outside the proxy (which would buffer the body) and its rows are written on the service
 * connection; so are the Origin (another site's page cannot upload with the member's cookies)
 * and the uploads per hour of the member and of the workspace (RATE_LIMIT_UPLOADS_PER_HOUR,
 * RATE_LIMIT_WORKSPACE_UPLOADS_PER_HOUR). Every refusal is `{ error }` in words with a 4xx status.
 */
export async function uploadResponse(
  session: Session | null,
  request: Request,
  limits: UploadLimits = {
    maxBytes: IMPORT_MAX_BYTES,
    maxRows: IMPORT_MAX_ROWS,
    maxConcurrent: MAX_CONCURRENT_UPLOADS,
    perUser: importUploadsPerUser(),
    perWorkspace: workspaceLimit("uploads"),
  },
): Promise<Response> {
  // Server actions get this check from Next; a route handler has to make it itself.
  if (isCrossSite(request.headers))
    return refuse(403, "This upload came from another site, so it was refused. Upload the file from the Imports page of this app.");
  if (!session || !(await isSessionLive(serviceDb(), session.claims)))
    return refuse(401, "Your session has ended. Log in again to import.");
  const current = session.current;
  if (!current) return refuse(403, "You are not a member of any workspace yet.");
  if (!can(current.role, "imports.run")) return refuse(403, "Your role cannot import leads. Ask an admin for the sales rep role or above.");

  const admission = await admitUpload({ userId: session.userId, workspaceId: current.workspaceId }, limits);
  if (!admission.admitted) return refuseAdmission(admission, limits);
  try {
    return await storeAdmitted(session, current.workspaceId, request, limits);
  } finally {
    admission.release();
  }
}

/** An upload refused by admitUpload, in this route's words: the hourly limits (429) or no place (503), with Retry-After. */
function refuseAdmission(admission: Exclude<UploadAdmission, { admitted: true }>, limits: UploadLimits): Response {
  if (admission.refusal === "busy") {
    const busy = refuse(503, UPLOADS_BUSY);
    busy.headers.set("retry-after", String(admission.retryAfterSeconds));
    return busy;
  }
  const { limited } = admission;
  const limitedResponse =
    admission.refusal === "uploader"
      ? refuse(
          429,
          tryAgainMessage(
            limited.retryAfterSeconds,
            `You have uploaded ${limits.perUser.points} files within the last hour, the most allowed`,
          ),
        )
      : tooManyRequests(limited);
  limitedResponse.headers.set("retry-after", String(limited.retryAfterSeconds));
  limitedResponse.headers.set("connection", "close");
  return limitedResponse;
}

/** The admitted upload: its headers checked, then its body stored as a new import. */
async function storeAdmitted(session: Session, workspaceId: string, request: Request, limits: UploadLimits): Promise<Response> {
  const announced = request.headers.get("content-length");
  const announcedBytes = announced === null ? null : Number(announced);
  if (announcedBytes !== null && announcedBytes > limits.maxBytes)
    return refuse(413, `The file is larger than ${megabytes(limits.maxBytes)}: split it into smaller files.`);
  if ((request.headers.get("content-type") ?? "").startsWith("multipart/"))
    return refuse(415, "Send the CSV file itself as the request body, not a form.");
  const fileName = fileNameOf(request);
  if (!fileName) return refuse(400, `Name the file in the x-file-name header: URI-encoded, ${UPLOAD_FILE_NAME_RULE}.`);
  if (!request.body || announcedBytes === 0)
    return refuse(422, "The file is empty. Choose a CSV file with a header row and at least one lead.");

  try {
    const { importId } = await storeUpload({
      workspaceId,
      userId: session.userId,
      fileName,
      body: request.body as unknown as AsyncIterable<Uint8Array>,
      announcedBytes,
      signal: request.signal,
      limits,
    });
    return Response.json({ importId }, { status: 201, headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof UploadRefused) return refuse(error.status, error.message);
    // Nobody is left to read this answer when the client went away; it says so to logs and tests.
    if (error instanceof UploadCutOff || request.signal.aborted)
      return refuse(400, "The upload was cut off before the whole file arrived, so nothing was imported. Upload the file again.");
    throw error;
  }
}
