import "server-only";
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { afterCommit } from "@/db/after-commit";
import { profiles, suppressions, type SuppressionKind, type SuppressionReason } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { can } from "@/lib/auth/permissions";
import { endExcludedInstantlyEnrollments } from "@/lib/campaigns/lifecycle/end-excluded-instantly-enrollments";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { decodeInstantIdCursor, encodeInstantIdCursor, isUuid } from "@/lib/db-values/instant-id-cursor";
import { AppError, notFound } from "@/lib/errors";
import { isoMicros } from "@/lib/db-values/iso-micros";
import { addSuppression } from "./add-suppression";
import { broadDomainCheck } from "./broad-domains";
import { normaliseSuppression } from "./normalise";
import { parseSuppressionList, SUPPRESSION_IMPORT_MAX_ROWS, SuppressionListTooLong, type ParsedRow } from "./parse-suppression-list";
import { asciiSearchForm, unicodeForm } from "./unicode-form";

/**
 * The Settings → Suppression page's services (and the REST API's). Members read the list (RLS
 * lets them); managers and admins add to it by hand (`suppression.add`: adding only stops
 * email); only admins remove entries or upload lists (`suppression.manage`). Checked here and
 * again by the table's policies.
 */
export type SuppressionActor = { workspaceId: string; userId: string; role: WorkspaceRole };

export type SuppressionRow = {
  id: string;
  kind: SuppressionKind;
  value: string;
  reason: SuppressionReason;
  note: string | null;
  createdAt: Date;
  createdByName: string | null;
};

export type SuppressionPage = { rows: SuppressionRow[]; total: number; nextAfter: string | null };

export const SUPPRESSIONS_PAGE_SIZE = 50;

const ROW = {
  id: suppressions.id,
  kind: suppressions.kind,
  value: suppressions.value,
  reason: suppressions.reason,
  note: suppressions.note,
  createdAt: suppressions.createdAt,
  createdByName: sql<string | null>`coalesce(${profiles.fullName}, ${profiles.email})`,
};

function assertCanAdd(actor: SuppressionActor): void {
  if (!can(actor.role, "suppression.add")) {
    throw new AppError("forbidden", "Only a manager or an admin can add to the suppression list. Ask one of them.");
  }
}

function assertAdmin(actor: SuppressionActor): void {
  if (!can(actor.role, "suppression.manage")) {
    throw new AppError("forbidden", "Only an admin can change the suppression list. Ask an admin of this workspace.");
  }
}

/** `like` without its wildcards: a search for "a_b" finds "a_b", not "axb". */
function containing(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Newest first, a page at a time (keyset on created_at and id: `after` is the cursor the page
 * before gave, so pages hold whatever is added meanwhile, and a sync goes on from the right place
 * when the row it stopped at is removed), optionally only the entries containing `search`
 * (lower-cased, as values are stored). The count is of everything the search matches. A cursor
 * that does not decode (a hand-edited link) shows the first page.
 */
export async function listSuppressions(
  tx: Executor,
  { workspaceId, search, after }: { workspaceId: string; search?: string; after?: string | null },
): Promise<SuppressionPage> {
  const where: SQL[] = [eq(suppressions.workspaceId, workspaceId)];
  const term = search?.trim().toLowerCase();
  if (term) {
    // An address or a domain typed in Unicode finds its stored ASCII form too.
    const ascii = asciiSearchForm(term);
    where.push(
      ascii
        ? sql`(${suppressions.value} like ${containing(term)} or ${suppressions.value} like ${containing(ascii)})`
        : sql`${suppressions.value} like ${containing(term)}`,
    );
  }
  const filtered = and(...where);
  const page: SQL[] = [];
  const from = after ? decodeInstantIdCursor(after) : null;
  if (from) page.push(sql`(${suppressions.createdAt}, ${suppressions.id}) < (${from.at}::timestamptz, ${from.id}::uuid)`);
  else if (after && isUuid(after)) {
    // A page link from before the cursor (the last entry's id): still read, from that entry while it exists.
    page.push(
      sql`(${suppressions.createdAt}, ${suppressions.id}) < (select created_at, id from ${suppressions} where id = ${after} and workspace_id = ${workspaceId})`,
    );
  }
  const rows = await tx
    .select({ ...ROW, cursorAt: isoMicros(suppressions.createdAt) })
    .from(suppressions)
    .leftJoin(profiles, eq(profiles.id, suppressions.createdBy))
    .where(and(filtered, ...page))
    .orderBy(desc(suppressions.createdAt), desc(suppressions.id))
    .limit(SUPPRESSIONS_PAGE_SIZE + 1);
  const [count] = await tx
    .select({ total: sql<number>`count(*)::int` })
    .from(suppressions)
    .where(filtered);
  const more = rows.length > SUPPRESSIONS_PAGE_SIZE;
  const shown = rows.slice(0, SUPPRESSIONS_PAGE_SIZE);
  const last = shown.at(-1);
  return {
    rows: shown.map(({ cursorAt: _, ...row }) => row),
    total: count?.total ?? 0,
    nextAfter: more && last ? encodeInstantIdCursor(last.cursorAt, last.id) : null,
  };
}

const REASON_WORDS: Record<SuppressionReason, string> = {
  manual: "added by hand",
  unsubscribe: "unsubscribed",
  bounce: "bounced",
  complaint: "marked an email as spam",
  import: "imported",
};

/** A manager or an admin adds an address or a whole domain (what it is is read from the value). */
export async function addSuppressionByHand(
  tx: Executor,
  actor: SuppressionActor,
  input: { value: string; note?: string | null; confirmBroad?: boolean },
): Promise<{ id: string; kind: SuppressionKind; value: string }> {
  assertCanAdd(actor);
  const normalised = normaliseSuppression(input.value);
  if (!normalised.ok) throw new AppError("invalid_input", normalised.error, { value: [normalised.error] });
  const { kind, value } = normalised.entry;
  const broad = kind === "domain" && !input.confirmBroad ? (await broadDomainCheck(tx, actor.workspaceId))(value) : null;
  if (broad) {
    throw new AppError("invalid_input", `${broad} Confirm to add it anyway.`, {
      confirmBroad: [`${broad} Tick the box to add it anyway.`],
    });
  }
  const added = await addSuppression(tx, {
    workspaceId: actor.workspaceId,
    ...normalised.entry,
    reason: "manual",
    note: input.note,
    createdBy: actor.userId,
  });
  if (!added.created) {
    const message = `${unicodeForm(added.value) ?? added.value} is already on the suppression list (${REASON_WORDS[added.reason]}).`;
    throw new AppError("conflict", message, { value: [message] });
  }
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorId: actor.userId,
    action: "suppression.added",
    targetType: "suppression",
    targetId: added.id,
    metadata: { kind: added.kind, value: added.value },
  });
  endInstantlySequencesAfterCommit(tx, actor.workspaceId, [{ kind: added.kind, value: added.value }]);
  return { id: added.id, kind: added.kind, value: added.value };
}

/** One entry of the workspace's list, as the list shows it. */
export async function getSuppression(tx: Executor, { workspaceId, id }: { workspaceId: string; id: string }): Promise<SuppressionRow> {
  const [row] = await tx
    .select(ROW)
    .from(suppressions)
    .leftJoin(profiles, eq(profiles.id, suppressions.createdBy))
    .where(and(eq(suppressions.id, id), eq(suppressions.workspaceId, workspaceId)));
  if (!row) throw notFound("That suppression");
  return row;
}

/** An admin takes an entry off the list: that address or domain may be emailed again. */
export async function removeSuppression(tx: Executor, actor: SuppressionActor, { id }: { id: string }): Promise<{ value: string }> {
  assertAdmin(actor);
  const [removed] = await tx
    .delete(suppressions)
    .where(and(eq(suppressions.id, id), eq(suppressions.workspaceId, actor.workspaceId)))
    .returning({ kind: suppressions.kind, value: suppressions.value, reason: suppressions.reason });
  if (!removed) throw notFound("That suppression");
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorId: actor.userId,
    action: "suppression.removed",
    targetType: "suppression",
    targetId: id,
    metadata: removed,
  });
  return { value: removed.value };
}

/**
 * Instantly sends the campaigns launched through it without asking us before each step: once
 * the new entries have committed, its sequences to leads they cover end and those leads are
 * removed there (our own sequences check the list in their send step).
 */
function endInstantlySequencesAfterCommit(tx: Executor, workspaceId: string, entries: { kind: SuppressionKind; value: string }[]): void {
  afterCommit(
    tx,
    "end suppressed Instantly enrollments",
    async () => void (await endExcludedInstantlyEnrollments(workspaceId, { entries })),
  );
}

export type ImportedRow =
  | { row: number; raw: string; outcome: "added" | "already" }
  | { row: number; raw: string; outcome: "refused"; error: string }
  | { row: number; raw: string; outcome: "repeated"; sameAs: number };

export type SuppressionImportResult = {
  added: number;
  already: number;
  refused: number;
  repeated: number;
  /** Every row's outcome, in file order. */
  rows: ImportedRow[];
};

/**
 * An admin's uploaded list (lib/suppressions/parse-suppression-list.ts): every valid address
 * and domain joins the list in one statement (reason `import`); those already there stay as
 * they were; each row's outcome comes back for the page to show.
 */
export async function importSuppressions(
  tx: Executor,
  actor: SuppressionActor,
  { fileName, text }: { fileName: string; text: string },
): Promise<SuppressionImportResult> {
  assertAdmin(actor);
  let parsed: ParsedRow[];
  try {
    parsed = parseSuppressionList(text);
  } catch (error) {
    if (error instanceof SuppressionListTooLong) {
      throw new AppError(
        "invalid_input",
        `The file has more than ${SUPPRESSION_IMPORT_MAX_ROWS.toLocaleString("en")} rows: split it and upload each part.`,
      );
    }
    throw error;
  }
  if (parsed.length === 0) throw new AppError("invalid_input", "The file holds no address or domain.");

  // A whole free-mail provider, or the workspace's own domain, is added by hand, confirmed: never by a file's line.
  const broadReason = await broadDomainCheck(tx, actor.workspaceId);
  for (const [i, r] of parsed.entries()) {
    if (r.outcome !== "valid" || r.entry.kind !== "domain") continue;
    const broad = broadReason(r.entry.value);
    if (broad) parsed[i] = { row: r.row, raw: r.raw, outcome: "refused", error: `${broad} Add it by hand if you mean it.` };
  }
  const valid = parsed.flatMap((r) => (r.outcome === "valid" ? [r.entry] : []));
  const inserted = new Set<string>();
  const insertedEntries: { kind: SuppressionKind; value: string }[] = [];
  if (valid.length > 0) {
    const rows = await tx.execute<{ kind: SuppressionKind; value: string }>(sql`
      insert into ${suppressions} (workspace_id, kind, value, reason, created_by)
      select ${actor.workspaceId}, e.kind::public.suppression_kind, e.value, 'import', ${actor.userId}
      from jsonb_to_recordset(${JSON.stringify(valid)}::jsonb) as e(kind text, value text)
      on conflict (workspace_id, kind, value) do nothing
      returning kind, value`);
    for (const row of rows) {
      inserted.add(`${row.kind}:${row.value}`);
      insertedEntries.push({ kind: row.kind, value: row.value });
    }
  }
  const rows: ImportedRow[] = parsed.map((r) =>
    r.outcome === "valid" ? { row: r.row, raw: r.raw, outcome: inserted.has(`${r.entry.kind}:${r.entry.value}`) ? "added" : "already" } : r,
  );
  const count = (outcome: ImportedRow["outcome"]) => rows.filter((r) => r.outcome === outcome).length;
  const result = { added: count("added"), already: count("already"), refused: count("refused"), repeated: count("repeated"), rows };
  if (insertedEntries.length > 0) endInstantlySequencesAfterCommit(tx, actor.workspaceId, insertedEntries);
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorId: actor.userId,
    action: "suppression.imported",
    targetType: "suppression",
    metadata: {
      fileName: fileName.slice(0, 200),
      added: result.added,
      already: result.already,
      refused: result.refused,
      repeated: result.repeated,
    },
  });
  return result;
}
