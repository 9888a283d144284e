import "server-only";
import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import { serviceDb } from "@/db";
import { afterCommit } from "@/db/after-commit";
import { leadImports } from "@/db/schema";
import { getLeadImportProgress } from "@/lib/imports/get-lead-import";
import { listImportIssues } from "@/lib/imports/list-import-issues";
import { sendImportEvent, startLeadImport } from "@/lib/imports/control-import";
import { detectPreset, mapWithPreset } from "@/lib/imports/presets/detect";
import type { PresetId } from "@/lib/imports/presets/preset";
import { ZImportMapping, IMPORT_MAX_ROWS, type ImportRules } from "@/lib/imports/types";
import { UploadRefused } from "@/lib/imports/upload-refused";
import { storeUpload } from "@/lib/imports/upload/store-upload";
import { admitUpload } from "@/lib/imports/upload/admit-upload";
import { MAX_CONCURRENT_UPLOADS, UPLOADS_BUSY } from "@/lib/imports/upload/upload-slots";
import { unsavableText } from "@/lib/actions/unsavable-text";
import type { ApiKeyPrincipal } from "@/lib/api-keys/authenticate-api-key";
import { importUploadsPerUser, workspaceLimit } from "@/lib/rate-limit/policies";
import { tryAgainMessage, tryAgainSoonMessage } from "@/lib/rate-limit/rate-limited";
import { ApiError, fromUnsavableText, fromZodError } from "../errors";
import type { ApiContext, ApiRouteDefinition } from "../define-route";
import {
  ZImportIdParams,
  ZImportIssues,
  ZImportIssuesQuery,
  ZImportProgress,
  ZImportResponse,
  ZImportUpload,
  ZImportUploadFields,
} from "../import-schemas";
import { API_UPLOAD_MAX_BYTES, readUploadForm } from "../read-body";
import { UPLOAD_FILE_NAME_RULE, uploadFileName } from "@/lib/imports/upload/file-name";

/** Imports through the API: the Imports page's upload, mapping and start, its progress and its issues. */

type Progress = NonNullable<Awaited<ReturnType<typeof getLeadImportProgress>>>;
const progressBody = (p: Progress): z.input<typeof ZImportProgress> => ({
  id: p.id,
  status: p.status,
  totalRows: p.totalRows,
  processedRows: p.processedRows,
  inserted: p.inserted,
  updated: p.updated,
  skipped: p.skipped,
  failed: p.failed,
  companiesCreated: p.companiesCreated,
  error: p.error,
  startedAt: p.startedAt?.toISOString() ?? null,
  finishedAt: p.finishedAt?.toISOString() ?? null,
});

async function progressOf({ principal, tx }: Pick<ApiContext, "principal" | "tx">, importId: string) {
  const progress = await getLeadImportProgress(tx, { workspaceId: principal.workspaceId, importId });
  if (!progress) throw new ApiError(404, "not_found", "That import was not found.");
  return progressBody(progress);
}

/**
 * Lets an upload in, before a byte of its body is read (admitUpload, as the Imports page's
 * upload route does): the key's creator's uploads per hour (their uploads on the Imports page
 * counted with these), the workspace's, and a place among this server's uploads. Returns the
 * place's release, for once the upload is stored or refused; a refusal is a 429 in the API's shape.
 */
async function admitApiUpload(principal: ApiKeyPrincipal, request: Request): Promise<() => void> {
  const perUser = importUploadsPerUser();
  const admission = await admitUpload(principal, {
    perUser,
    perWorkspace: workspaceLimit("uploads"),
    maxConcurrent: MAX_CONCURRENT_UPLOADS,
  });
  if (admission.admitted) return admission.release;
  // The body stays unread: closing the connection keeps its rest from being taken for the next request.
  await request.body?.cancel().catch(() => undefined);
  const [message, retryAfterSeconds] =
    admission.refusal === "busy"
      ? [UPLOADS_BUSY, admission.retryAfterSeconds]
      : [
          admission.refusal === "uploader"
            ? tryAgainMessage(
                admission.limited.retryAfterSeconds,
                `This key's creator has uploaded ${perUser.points} files within the last hour (through the API and the Imports page), the most allowed`,
              )
            : tryAgainSoonMessage(admission.limited),
          admission.limited.retryAfterSeconds,
        ];
  throw new ApiError(429, "rate_limited", message, undefined, { "retry-after": String(retryAfterSeconds), connection: "close" });
}

/** Reads the form and stores its file as a new import (status `mapping`), with the form's other fields. */
async function storeFormUpload(principal: ApiKeyPrincipal, request: Request) {
  const form = await readUploadForm(request);
  const file = form.get("file");
  const fields = ZImportUploadFields.safeParse(
    Object.fromEntries([...form.entries()].filter(([name]) => name !== "file").map(([name, value]) => [name, String(value)])),
  );
  if (!fields.success) throw fromZodError(fields.error, "body");
  // The rules arrive as JSON inside a form field: what they hold is looked at once parsed.
  const unsavable = unsavableText(fields.data);
  if (unsavable.length > 0) throw fromUnsavableText(unsavable, "body");
  if (!(file instanceof File)) throw new ApiError(422, "invalid_input", "Send the CSV file in the `file` field.", { file: ["Required."] });
  const fileName = file.name ? uploadFileName(file.name) : "upload.csv";
  if (!fileName) {
    const rule = `Name the file with ${UPLOAD_FILE_NAME_RULE}.`;
    throw new ApiError(422, "invalid_input", `The file's name cannot be kept. ${rule}`, { file: [rule] });
  }
  try {
    const { importId } = await storeUpload({
      workspaceId: principal.workspaceId,
      userId: principal.userId,
      fileName,
      body: file.stream() as unknown as AsyncIterable<Uint8Array>,
      announcedBytes: file.size,
      signal: request.signal,
      limits: { maxBytes: API_UPLOAD_MAX_BYTES, maxRows: IMPORT_MAX_ROWS },
    });
    return { importId, fields: fields.data };
  } catch (error) {
    if (error instanceof UploadRefused) {
      throw new ApiError(error.status === 413 ? 413 : 422, error.status === 413 ? "payload_too_large" : "invalid_input", error.message, {
        file: [error.message],
      });
    }
    throw error;
  }
}

export const startImportRoute = {
  doc: {
    method: "post",
    path: "/imports",
    operationId: "startImport",
    tag: "Imports",
    summary: "Import a CSV file",
    description:
      "Uploads a CSV file and starts its import, as the Imports page does: the same upload (encoding and delimiter detected, rows stored), the same mapping (yours, a preset's, or the preset detected from the header) and the same job. Answers at once (202) with the import's progress; follow it with Get an import. Counts against the workspace's uploads per hour and those of the key's creator (with their uploads on the Imports page); a few uploads at a time per server (429 with Retry-After while others are under way).",
    status: 202,
    response: ZImportResponse,
  },
  access: "write",
  permission: "imports.run",
  upload: ZImportUpload,
  // The body is read and stored before any transaction opens: storeUpload streams it in on a
  // connection of its own, and reading up to 50 MB inside an open transaction held it that long.
  ownTransactions: true,
  handler: async ({ principal: arrived, request, transaction, principalNow }) => {
    const release = await admitApiUpload(arrived, request);
    let upload: Awaited<ReturnType<typeof storeFormUpload>>;
    try {
      upload = await storeFormUpload(arrived, request);
    } finally {
      release();
    }
    const { importId, fields } = upload;
    // The upload committed on its own connection: an import that cannot start (a key revoked or a
    // creator removed while the file arrived, a mapping refused) leaves nothing behind.
    const forget = () =>
      serviceDb()
        .delete(leadImports)
        .where(and(eq(leadImports.id, importId), eq(leadImports.workspaceId, arrived.workspaceId), eq(leadImports.status, "mapping")));
    // The file may have taken minutes: the import starts as the key's creator is now, if they still may.
    const principal = await principalNow().catch(async (error: unknown) => {
      await forget();
      throw error;
    });
    const actor = { workspaceId: principal.workspaceId, userId: principal.userId, role: principal.role };
    try {
      return await transaction(async (tx) => {
        const [stored] = await tx
          .select({ headers: leadImports.headers })
          .from(leadImports)
          .where(and(eq(leadImports.id, importId), eq(leadImports.workspaceId, principal.workspaceId)));
        // The upload made this import a moment ago. A creator who lost this workspace while the
        // file arrived (RLS would hide it) was refused in words by the transaction's key check.
        if (!stored) throw new Error(`import ${importId} was stored but cannot be read back`);
        const headers = stored.headers;
        const chosen = fields.mapping
          ? { preset: null, columns: fields.mapping.columns }
          : fields.preset
            ? { preset: fields.preset, columns: mapWithPreset(fields.preset as PresetId, headers) }
            : (({ id, columns }) => ({ preset: id, columns }))(detectPreset(headers));
        const mapping = ZImportMapping.safeParse({ columns: chosen.columns });
        if (!mapping.success) throw fromZodError(mapping.error, "mapping");
        if (mapping.data.columns.length !== headers.length) {
          throw new ApiError(422, "invalid_input", `The file has ${headers.length} columns: the mapping needs one target for each.`, {
            mapping: [`Give ${headers.length} targets, one per column of the file (\`ignore\` for those to leave out).`],
          });
        }
        const rules: ImportRules = fields.rules ?? { onMatch: "skip", owner: { kind: "member", userId: principal.userId }, tags: [] };
        await startLeadImport(tx, actor, { importId, preset: chosen.preset, mapping: mapping.data, rules });
        afterCommit(tx, "api import start", () =>
          sendImportEvent({ workspaceId: principal.workspaceId, importId, requestedBy: principal.userId }, "start"),
        );
        return { status: 202, body: { data: await progressOf({ principal, tx }, importId) } };
      });
    } catch (error) {
      await forget();
      throw error;
    }
  },
} satisfies ApiRouteDefinition<z.ZodUndefined, z.ZodUndefined, z.ZodUndefined, z.input<typeof ZImportResponse>>;

export const getImportRoute = {
  doc: {
    method: "get",
    path: "/imports/{id}",
    operationId: "getImport",
    tag: "Imports",
    summary: "Get an import",
    description:
      "Its progress, as the import's page polls it: status, rows done of the total, and the four counts. A read key may follow an import (starting one needs a read and write key).",
    status: 200,
    response: ZImportResponse,
  },
  access: "read",
  permission: "imports.read",
  params: ZImportIdParams,
  handler: async (context, { params }) => ({ body: { data: await progressOf(context, params.id) } }),
} satisfies ApiRouteDefinition<typeof ZImportIdParams, z.ZodUndefined, z.ZodUndefined, z.input<typeof ZImportResponse>>;

export const listImportIssuesRoute = {
  doc: {
    method: "get",
    path: "/imports/{id}/issues",
    operationId: "listImportIssues",
    tag: "Imports",
    summary: "List an import's failed and skipped rows",
    description:
      "The rows that were not written, in file order, 100 a page, each with its reason and its values as the file had them: the issues file of the import's page, paged. A read key may read them.",
    status: 200,
    response: ZImportIssues,
  },
  access: "read",
  permission: "imports.read",
  params: ZImportIdParams,
  query: ZImportIssuesQuery,
  handler: async ({ principal, tx }, { params, query }) => {
    const page = await listImportIssues(tx, {
      workspaceId: principal.workspaceId,
      importId: params.id,
      after: query.after ?? 0,
      outcomes: query.outcome ? [query.outcome] : ["failed", "skipped"],
    });
    if (!page) throw new ApiError(404, "not_found", "That import was not found.");
    return { body: { data: page.rows, nextAfter: page.nextAfter } };
  },
} satisfies ApiRouteDefinition<typeof ZImportIdParams, typeof ZImportIssuesQuery, z.ZodUndefined, z.input<typeof ZImportIssues>>;
