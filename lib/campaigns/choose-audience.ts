import "server-only";
import { and, eq, inArray, isNull, or } from "drizzle-orm";
import type { Executor } from "@/db";
import { leads, savedViews } from "@/db/schema";
import { AppError, notFound } from "@/lib/errors";
import { leadListSearchParams, parseLeadListState } from "@/lib/leads/list-state";
import type { AudienceChoice } from "./schemas";
import type { StoredAudience } from "./types";

/**
 * The lead table's query as an audience rule: parsed by the table's own contract and written in
 * its canonical form, without the page (an audience is every lead the filter matches).
 */
export function canonicalFilterQuery(query: string): string {
  const { state, notices } = parseLeadListState(new URLSearchParams(query));
  if (notices.length > 0) {
    throw new AppError(
      "invalid_input",
      `This filter has settings the lead table cannot use (${notices.join(" ")}). Choose the filter again.`,
    );
  }
  return leadListSearchParams({ ...state, cursor: undefined, before: false }).toString();
}

/**
 * What a chosen audience is stored as. A saved view is read here, under RLS and with the same
 * rule as the views menu (the viewer's own or a shared one), and copied as its query at this
 * moment: what gets approved is the rule the rep saw, even if the view changes later.
 */
export async function storedAudienceFor(
  tx: Executor,
  { workspaceId, userId, choice }: { workspaceId: string; userId: string; choice: AudienceChoice },
): Promise<StoredAudience> {
  if (choice.kind === "ids") {
    const ids = await leadsOfWorkspace(tx, workspaceId, choice.ids);
    if (ids.length === 0) throw new AppError("invalid_input", "None of the picked leads is in this workspace any more. Pick them again.");
    return { kind: "ids", ids };
  }
  if (choice.kind === "filter") return { kind: "filter", query: canonicalFilterQuery(choice.query) };
  const [view] = await tx
    .select({ id: savedViews.id, name: savedViews.name, state: savedViews.state })
    .from(savedViews)
    .where(
      and(
        eq(savedViews.id, choice.viewId),
        eq(savedViews.workspaceId, workspaceId),
        eq(savedViews.tableName, "leads"),
        or(eq(savedViews.ownerId, userId), eq(savedViews.shared, true)),
      ),
    );
  if (!view) throw notFound("That saved view");
  const query = canonicalFilterQuery(new URLSearchParams(view.state as Record<string, string>).toString());
  return { kind: "view", viewId: view.id, viewName: view.name, query };
}

/** The ids that are live leads of the workspace, in the order given, once each. */
export async function leadsOfWorkspace(tx: Executor, workspaceId: string, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const found = await tx
    .select({ id: leads.id })
    .from(leads)
    .where(and(eq(leads.workspaceId, workspaceId), inArray(leads.id, unique), isNull(leads.deletedAt)));
  const live = new Set(found.map((r) => r.id));
  return unique.filter((id) => live.has(id));
}
