import type { LeadListState } from "@/lib/leads/list-state-shape";
import { LEAD_STATUS_LABELS } from "@/lib/leads/lead-fields";
import { joinListValues } from "@/lib/leads/list-values";
import { EMAIL_STATUS_LABELS, SOURCE_LABELS } from "./labels";

export type ActiveFilter = { id: string; label: string; clear: Partial<LeadListState> };

const range = (lo: number | string | undefined, hi: number | string | undefined) =>
  lo !== undefined && hi !== undefined ? `${lo}–${hi}` : lo !== undefined ? `≥ ${lo}` : `≤ ${hi}`;

/**
 * The filters a state applies, each as a chip's text and the change that removes it: the
 * toolbar shows them so a shared link or a saved view says what it hides.
 */
export function activeFilters(state: LeadListState, ownerName: (ref: string) => string): ActiveFilter[] {
  const out: ActiveFilter[] = [];
  if (state.q) out.push({ id: "q", label: `Search: “${state.q}”`, clear: { q: undefined } });
  if (state.status)
    out.push({ id: "status", label: `Status: ${state.status.map((s) => LEAD_STATUS_LABELS[s]).join(", ")}`, clear: { status: undefined } });
  if (state.owner) out.push({ id: "owner", label: `Owner: ${state.owner.map(ownerName).join(", ")}`, clear: { owner: undefined } });
  if (state.source)
    out.push({ id: "source", label: `Source: ${state.source.map((s) => SOURCE_LABELS[s]).join(", ")}`, clear: { source: undefined } });
  if (state.tags)
    out.push({
      id: "tags",
      label: `Tags (${state.tagMode === "all" ? "all of" : "any of"}): ${state.tags.join(", ")}`,
      clear: { tags: undefined, tagMode: "any" },
    });
  if (state.scoreMin !== undefined || state.scoreMax !== undefined)
    out.push({ id: "score", label: `Score ${range(state.scoreMin, state.scoreMax)}`, clear: { scoreMin: undefined, scoreMax: undefined } });
  if (state.fitMin !== undefined || state.fitMax !== undefined)
    out.push({ id: "fit", label: `ICP fit ${range(state.fitMin, state.fitMax)}`, clear: { fitMin: undefined, fitMax: undefined } });
  if (state.hasIcebreaker !== undefined)
    out.push({
      id: "hasIcebreaker",
      label: state.hasIcebreaker ? "Has icebreaker" : "No icebreaker",
      clear: { hasIcebreaker: undefined },
    });
  if (state.hasEmail !== undefined)
    out.push({ id: "hasEmail", label: state.hasEmail ? "Has email" : "No email", clear: { hasEmail: undefined } });
  if (state.emailStatus)
    out.push({
      id: "emailStatus",
      label: `Email: ${state.emailStatus.map((s) => EMAIL_STATUS_LABELS[s]).join(", ")}`,
      clear: { emailStatus: undefined },
    });
  if (state.sizeMin !== undefined || state.sizeMax !== undefined)
    out.push({ id: "size", label: `Employees ${range(state.sizeMin, state.sizeMax)}`, clear: { sizeMin: undefined, sizeMax: undefined } });
  // Quoted as the filter box shows them: "Leisure, Travel & Tourism", Retail is two industries, not three.
  if (state.industry)
    out.push({ id: "industry", label: `Industry: ${joinListValues(state.industry, ", ")}`, clear: { industry: undefined } });
  if (state.country) out.push({ id: "country", label: `Country: ${joinListValues(state.country, ", ")}`, clear: { country: undefined } });
  if (state.createdFrom || state.createdTo)
    out.push({
      id: "created",
      label: `Created ${range(state.createdFrom, state.createdTo)}`,
      clear: { createdFrom: undefined, createdTo: undefined },
    });
  if (state.activityFrom || state.activityTo)
    out.push({
      id: "activity",
      label: `Last activity ${range(state.activityFrom, state.activityTo)}`,
      clear: { activityFrom: undefined, activityTo: undefined },
    });
  if (state.deleted) out.push({ id: "deleted", label: "Deleted leads", clear: { deleted: false } });
  return out;
}

/** Every filter removed; sort, page size and columns stay as the person arranged them. */
export function withoutFilters(state: LeadListState): Partial<LeadListState> {
  return Object.assign({}, ...activeFilters(state, String).map((f) => f.clear), { tz: undefined }) as Partial<LeadListState>;
}
