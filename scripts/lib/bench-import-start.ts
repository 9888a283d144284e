import { withUserTx } from "@/db";
import { sendImportEvent, startLeadImport, type ImportActor } from "@/lib/imports/control-import";
import { detectPreset } from "@/lib/imports/presets/detect";
import type { BenchWorkspace } from "./bench-leads-data";
import type { StartImport } from "./bench-import-http";

/**
 * What the mapping page's submit does (startLeadImportAction): the mapping the preset detects
 * accepted as it is, matches skipped, no owner, no tags; the status moved in the admin's RLS
 * transaction, the job's event sent after it commits.
 */
export function startImportAsAdmin(ws: BenchWorkspace): StartImport {
  const userId = ws.memberIds[0]!;
  const actor: ImportActor = { workspaceId: ws.id, userId, role: "admin" };
  const claims = { sub: userId, role: "authenticated" as const, email: "admin0@bench-import.test", aud: "authenticated" };
  return async ({ importId, headers }) => {
    const detected = detectPreset(headers);
    if (detected.id !== "apollo") throw new Error(`the Apollo export was detected as ${detected.label}`);
    await withUserTx(claims, (tx) =>
      startLeadImport(tx, actor, {
        importId,
        preset: detected.id,
        mapping: { columns: detected.columns },
        rules: { onMatch: "skip", owner: { kind: "none" }, tags: [] },
      }),
    );
    await sendImportEvent({ workspaceId: ws.id, importId, requestedBy: userId }, "start");
  };
}
