import { Readable } from "node:stream";
import { and, eq } from "drizzle-orm";
import { withUserTx, type Database } from "@/db";
import { leadImports, workspaceMembers, workspaces } from "@/db/schema";
import { authUsers } from "drizzle-orm/supabase";
import { startLeadImport, sendImportEvent } from "@/lib/imports/control-import";
import { detectPreset } from "@/lib/imports/presets/detect";
import { storeUpload } from "@/lib/imports/upload/store-upload";
import { APOLLO_HEADER, csvField, generateRow } from "./bench-import-file";

/** The demo's finished import: a webinar's attendees exported from Apollo, with the usual few bad rows. */
export const DEMO_IMPORT = {
  workspaceSlug: "acme-outbound",
  importer: "rep@acme.test",
  fileName: "apollo-webinar-attendees.csv",
  rows: 400,
  // The generator's rows are a pure function of (seed, row): the same file on every machine.
  seed: 20261130,
} as const;

/**
 * Imports the demo file into the demo workspace the way a rep does: the upload service parses
 * and stores it, the start service records the detected Apollo mapping and the rules, and the
 * job's event is sent: the local executor works through the batches once it starts, so the
 * Jobs page shows the run and the import's page its counts and problem rows. Skipped when the
 * workspace or the rep is gone (a trimmed demo), and done once.
 */
export async function seedDemoImport(
  db: Database,
  { workspaceSlug, importer }: { workspaceSlug: string; importer: string } = DEMO_IMPORT,
): Promise<string | null> {
  const [who] = await db
    .select({ workspaceId: workspaces.id, userId: authUsers.id, role: workspaceMembers.role })
    .from(workspaces)
    .innerJoin(workspaceMembers, eq(workspaceMembers.workspaceId, workspaces.id))
    .innerJoin(authUsers, eq(authUsers.id, workspaceMembers.userId))
    .where(and(eq(workspaces.slug, workspaceSlug), eq(authUsers.email, importer)));
  if (!who) return null;
  // A forced re-seed keeps the import it made before.
  const [earlier] = await db
    .select({ id: leadImports.id })
    .from(leadImports)
    .where(and(eq(leadImports.workspaceId, who.workspaceId), eq(leadImports.fileName, DEMO_IMPORT.fileName)))
    .limit(1);
  if (earlier) return earlier.id;

  const lines = [APOLLO_HEADER.map(csvField).join(",")];
  for (let i = 0; i < DEMO_IMPORT.rows; i++) {
    const { cells } = generateRow(DEMO_IMPORT.seed, i);
    // Demo addresses stay at reserved domains (the generator gives a few real free-mail ones).
    if (cells.Email) cells.Email = cells.Email.replace(/@(gmail\.com|outlook\.com|yahoo\.com|proton\.me)(\s*)$/i, "@mail.example$2");
    lines.push(APOLLO_HEADER.map((h) => csvField(cells[h] ?? "")).join(","));
  }
  const file = Buffer.from(`${lines.join("\r\n")}\r\n`);
  const { importId } = await storeUpload({
    workspaceId: who.workspaceId,
    userId: who.userId,
    fileName: DEMO_IMPORT.fileName,
    body: Readable.from([file]),
    announcedBytes: file.byteLength,
  });
  const detected = detectPreset(APOLLO_HEADER);
  const actor = { workspaceId: who.workspaceId, userId: who.userId, role: who.role };
  await withUserTx({ sub: who.userId, role: "authenticated", email: importer }, (tx) =>
    startLeadImport(tx, actor, {
      importId,
      preset: detected.id,
      mapping: { columns: detected.columns },
      rules: { onMatch: "skip", owner: { kind: "member", userId: who.userId }, tags: ["webinar"] },
    }),
  );
  await sendImportEvent({ workspaceId: who.workspaceId, importId, requestedBy: who.userId }, "start");
  return importId;
}
