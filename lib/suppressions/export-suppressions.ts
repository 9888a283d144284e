import "server-only";
import { pipeline, Readable } from "node:stream";
import { desc, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { suppressions } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { can } from "@/lib/auth/permissions";
import { formulaSafeCsv } from "@/lib/csv/formula-safe-csv";
import { forbidden } from "@/lib/errors";
import type { SuppressionActor } from "./manage-suppressions";

/**
 * The workspace's suppression list as a CSV to download (roles with `data.export`), newest
 * first, audited. Written by the one formula-safe CSV writer: a cell a spreadsheet would run
 * (`=…`, `+…`, `-…`, `@…`) gets a leading apostrophe, which the upload takes off again, so the
 * file can be uploaded to another workspace as it is (its `Value` column is read).
 */
export async function exportSuppressions(
  tx: Executor,
  actor: SuppressionActor,
): Promise<{ rowCount: number; csv: ReadableStream<Uint8Array> }> {
  if (!can(actor.role, "data.export"))
    throw forbidden("Your role cannot export the suppression list. Ask an admin for the analyst role or above.");
  const rows = await tx
    .select({
      value: suppressions.value,
      kind: suppressions.kind,
      reason: suppressions.reason,
      note: suppressions.note,
      createdAt: suppressions.createdAt,
    })
    .from(suppressions)
    .where(eq(suppressions.workspaceId, actor.workspaceId))
    .orderBy(desc(suppressions.createdAt), desc(suppressions.id));
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorId: actor.userId,
    action: "suppression.exported",
    targetType: "suppression",
    metadata: { rows: rows.length },
  });
  const records = rows.map((r) => [r.value, r.kind, r.reason, r.note ?? "", r.createdAt.toISOString()]);
  const stream = pipeline(
    Readable.from(records),
    formulaSafeCsv({ header: true, columns: ["Value", "Kind", "Reason", "Note", "Added at"] }),
    () => {},
  );
  return { rowCount: rows.length, csv: Readable.toWeb(stream) as ReadableStream<Uint8Array> };
}
