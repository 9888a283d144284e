import "server-only";
import type { TransactionSql } from "postgres";
import { randomUUID } from "node:crypto";
import { serviceDb } from "@/db";
import { connect } from "@/db/client";
import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { env } from "@/lib/env";
import { AppError, forbidden } from "@/lib/errors";
import { assertOwners } from "./control-import";
import { reasonInWords, withDetail } from "./import-views";
import { mapRow } from "./map-row";
import { mergeStagedRows, ownersOf, type MergeCounts } from "./run-import-batch";
import { stageLine } from "./stage-rows";
import type { ImportIssueOutcome } from "@/db/schema/lead-import-enums";
import type { ImportMapping, ImportRules, ImportTarget } from "./types";
import {
  BULK_LEAD_NUMBER_FIELDS,
  BULK_LEAD_TEXT_FIELDS,
  BULK_UPSERT_MAX_CUSTOM_FIELDS,
  BULK_UPSERT_MAX_LEADS,
  BULK_UPSERT_PRESET,
} from "./bulk-lead-fields";

/**
 * Bulk upsert of leads (POST /api/v1/leads/bulk): a list of leads merged exactly as a CSV
 * import merges its rows. Each lead becomes a row of cells under a fixed mapping, mapped by the
 * import's mapRow (the same values accepted, normalised or failed with the same reasons), and
 * merged by mergeStagedRows, the one dedupe (email lower-cased and trimmed, Apollo id, LinkedIn
 * URL; companies by domain). Every call is recorded as a completed import (preset `api`) made
 * by the key's creator, so its leads' timelines, its skipped and failed rows and the imports
 * page say where they came from. One transaction on the service connection, as the import job
 * (lead_imports and COPY are not written under RLS): the role is checked here first.
 */

type TextField = keyof typeof BULK_LEAD_TEXT_FIELDS;
type NumberField = keyof typeof BULK_LEAD_NUMBER_FIELDS;

export type BulkLead = { [K in TextField]?: string | null } & { [K in NumberField]?: number | null } & {
  tags?: string[] | null;
  customFields?: Record<string, string | null> | null;
};

export type BulkUpsertInput = {
  leads: BulkLead[];
  onMatch: ImportRules["onMatch"];
  /** Tags every lead of the call gets besides its own. */
  tags: string[];
  /** Who owns the new leads; by default the key's creator, as a lead created through the API. */
  owner?: ImportRules["owner"];
};

export type BulkActor = { workspaceId: string; userId: string; role: WorkspaceRole };

export type BulkRowOutcome = "created" | "updated" | "skipped" | "failed";
export type BulkRowResult = {
  /** The lead's position in the request, from 0. */
  index: number;
  outcome: BulkRowOutcome;
  /** The lead created or updated, or the existing lead a skipped row matched (null when none). */
  leadId: string | null;
  /** Why a row was skipped or failed (the import's reason codes), null otherwise. */
  reason: string | null;
  message: string | null;
};

export type BulkUpsertResult = {
  importId: string;
  counts: { created: number; updated: number; skipped: number; failed: number };
  companiesCreated: number;
  results: BulkRowResult[];
};

const FIXED_COLUMNS: [name: string, target: ImportTarget][] = [
  ...Object.entries(BULK_LEAD_TEXT_FIELDS),
  ...Object.entries(BULK_LEAD_NUMBER_FIELDS),
  ["tags", "tags"],
];

/** The mapping and header of one call: the fixed fields, then a column per custom field any lead carries. */
function mappingOf(leads: BulkLead[]): { mapping: ImportMapping; headers: string[]; customKeys: string[] } {
  const customKeys = [...new Set(leads.flatMap((lead) => Object.keys(lead.customFields ?? {})))].sort();
  return {
    mapping: {
      columns: [
        ...FIXED_COLUMNS.map(([, field]) => ({ kind: "field" as const, field })),
        ...customKeys.map((key) => ({ kind: "custom" as const, key })),
      ],
    },
    headers: [...FIXED_COLUMNS.map(([name]) => name), ...customKeys.map((key) => `customFields.${key}`)],
    customKeys,
  };
}

/** A reason in the words of a call rather than of a file, where the import's words would speak of rows of a file. */
const CALL_WORDS: Partial<Record<string, string>> = { duplicate_in_file: "Same lead as an earlier one of this call" };

/** A lead as the cells of a CSV row under mappingOf's header: what is left out is an empty cell, as in a file. */
function cellsOf(lead: BulkLead, customKeys: string[]): string[] {
  const cells = FIXED_COLUMNS.map(([name]) => {
    if (name === "tags") return (lead.tags ?? []).join(",");
    const value = (lead as Record<string, string | number | null | undefined>)[name];
    return value === null || value === undefined ? "" : String(value);
  });
  for (const key of customKeys) {
    // Its own fields only: where another lead of the call has a `constructor` field, this one's cell is empty, not Object.
    const value = lead.customFields && Object.hasOwn(lead.customFields, key) ? lead.customFields[key] : null;
    cells.push(value ?? "");
  }
  return cells;
}

const OUTCOMES: Record<string, BulkRowOutcome> = { inserted: "created", updated: "updated", skipped: "skipped", failed: "failed" };

/**
 * `beforeWrites` runs first in the merge's transaction, whose throw undoes the whole call: the
 * REST API checks there that its key still works, taking that check's locks before any write
 * (lib/api-keys/key-still-active.ts).
 */
export async function upsertLeads(
  actor: BulkActor,
  input: BulkUpsertInput,
  { beforeWrites }: { beforeWrites?: (tx: TransactionSql) => Promise<void> } = {},
): Promise<BulkUpsertResult> {
  if (!can(actor.role, "imports.run")) throw forbidden("This role may not import leads: a sales rep or above may.");
  const count = input.leads.length;
  if (count === 0 || count > BULK_UPSERT_MAX_LEADS) {
    throw new AppError("invalid_input", `Send from 1 to ${BULK_UPSERT_MAX_LEADS.toLocaleString("en")} leads per call.`, {
      leads: [`From 1 to ${BULK_UPSERT_MAX_LEADS.toLocaleString("en")} leads.`],
    });
  }
  const { mapping, headers, customKeys } = mappingOf(input.leads);
  if (customKeys.length > BULK_UPSERT_MAX_CUSTOM_FIELDS) {
    const most = `At most ${BULK_UPSERT_MAX_CUSTOM_FIELDS} different custom fields between the leads of a call.`;
    throw new AppError("invalid_input", `${most} Send leads with other custom fields in another call.`, { customFields: [most] });
  }
  const rules: ImportRules = {
    onMatch: input.onMatch,
    owner: input.owner ?? { kind: "member", userId: actor.userId },
    tags: input.tags,
  };
  // Owners the caller may not name are refused as the import's start refuses them, not left out
  // (ownersOf, below, leaves out only those removed since, for an import that already started).
  await assertOwners(serviceDb(), actor, rules);
  const importId = randomUUID();
  const fileName = `API bulk upsert of ${count.toLocaleString("en")} lead${count === 1 ? "" : "s"}`;
  const ref = { workspaceId: actor.workspaceId, importId, requestedBy: actor.userId };

  const { sql } = connect(env().DATABASE_URL);
  return (await sql.begin(async (tx) => {
    await beforeWrites?.(tx);
    const owners = await ownersOf(tx, ref, rules, actor.role);
    if (owners === null) {
      throw new AppError(
        "invalid_input",
        "The owner must be a member who can own leads (a sales rep or above; a sales rep may name only themselves).",
        {
          owner: ["Not a member who can own leads here."],
        },
      );
    }
    await tx`
      insert into public.lead_imports (id, workspace_id, created_by, file_name, file_size, encoding, delimiter, headers,
        total_rows, status, preset, mapping, rules, source, started_at)
      values (${importId}, ${actor.workspaceId}, ${actor.userId}, ${fileName}, 0, 'utf-8', ',', ${headers}, ${count}, 'running',
        ${BULK_UPSERT_PRESET}, ${JSON.stringify(mapping)}::jsonb, ${JSON.stringify(rules)}::jsonb, 'manual', now())`;
    const lines = input.leads.map((lead, i) => stageLine(i + 1, mapRow(cellsOf(lead, customKeys), mapping, headers)));
    const merged = await mergeStagedRows(
      tx,
      {
        workspaceId: actor.workspaceId,
        importId,
        requestedBy: actor.userId,
        fileName,
        source: "manual",
        rules,
        owners: { ids: owners, given: 0 },
        repOnly: actor.role === "sales_rep" ? actor.userId : null,
        laterBatches: false,
      },
      [lines.join("")],
    );
    const rows = await tx<{ rn: number; outcome: string; reason: string | null; detail: string | null; lead_id: string | null }[]>`
      select rn, outcome, reason, detail, lead_id from import_stage order by rn`;
    const c: MergeCounts = merged.counts;
    await tx`
      update public.lead_imports set processed_rows = ${count}, inserted = ${c.inserted}, updated = ${c.updated},
        skipped = ${c.skipped}, failed = ${c.failed}, companies_created = ${merged.companiesCreated},
        status = 'completed', finished_at = clock_timestamp(), updated_at = now()
      where id = ${importId} and workspace_id = ${actor.workspaceId}`;
    return {
      importId,
      counts: { created: c.inserted, updated: c.updated, skipped: c.skipped, failed: c.failed },
      companiesCreated: merged.companiesCreated,
      results: rows.map((row) => {
        const outcome = OUTCOMES[row.outcome] ?? "failed";
        const words = row.reason ? (CALL_WORDS[row.reason] ?? reasonInWords(row.outcome as ImportIssueOutcome, row.reason)) : null;
        return {
          index: row.rn - 1,
          outcome,
          leadId: outcome === "failed" ? null : row.lead_id,
          reason: row.reason,
          message: words ? withDetail(words, row.detail) : null,
        };
      }),
    };
  })) as BulkUpsertResult;
}
