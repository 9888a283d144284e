"use client";
import type { MatchRule } from "@/lib/imports/types";
import { Select, TextInput } from "@/components/ui/field";

export type RulesDraft = {
  onMatch: MatchRule;
  ownerKind: "none" | "member" | "round_robin";
  memberId: string;
  roundRobinIds: string[];
  tags: string;
};

const MATCH_CHOICES: [MatchRule, string, string][] = [
  ["skip", "Skip it", "The existing lead stays as it is."],
  ["fill_empty", "Fill empty fields only", "Values from the file go into the lead's blank fields; nothing is overwritten."],
  ["overwrite", "Overwrite", "The file's non-blank values replace the lead's."],
];

/** What to do with rows that match an existing lead, who owns the new leads, which tags they get. */
export function ImportRulesForm({
  draft,
  owners,
  onChange,
}: {
  draft: RulesDraft;
  owners: readonly { id: string; name: string }[];
  onChange: (draft: RulesDraft) => void;
}) {
  const set = (patch: Partial<RulesDraft>) => onChange({ ...draft, ...patch });
  const radio = "h-4 w-4 accent-accent-600";

  return (
    <div className="grid gap-6 md:grid-cols-3">
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-zinc-900">When a row matches an existing lead</legend>
        <p className="text-xs text-zinc-600">Matched by email, then Apollo id, then LinkedIn URL.</p>
        {MATCH_CHOICES.map(([value, label, hint]) => (
          <label key={value} className="flex items-start gap-2 text-sm">
            <input
              type="radio"
              name="onMatch"
              value={value}
              checked={draft.onMatch === value}
              onChange={() => set({ onMatch: value })}
              className={`${radio} mt-0.5`}
            />
            <span>
              {label}
              <span className="block text-xs text-zinc-600">{hint}</span>
            </span>
          </label>
        ))}
      </fieldset>

      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-zinc-900">Owner of the new leads</legend>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="radio"
            name="owner"
            checked={draft.ownerKind === "none"}
            onChange={() => set({ ownerKind: "none" })}
            className={radio}
          />
          Nobody (unassigned)
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="radio"
            name="owner"
            checked={draft.ownerKind === "member"}
            onChange={() => set({ ownerKind: "member" })}
            className={radio}
          />
          One member
        </label>
        {draft.ownerKind === "member" ? (
          <div className="pl-6">
            <label htmlFor="owner-member" className="sr-only">
              Member who owns the new leads
            </label>
            <Select id="owner-member" value={draft.memberId} onChange={(e) => set({ memberId: e.target.value })}>
              {owners.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </Select>
          </div>
        ) : null}
        <label className="flex items-center gap-2 text-sm">
          <input
            type="radio"
            name="owner"
            checked={draft.ownerKind === "round_robin"}
            onChange={() => set({ ownerKind: "round_robin" })}
            className={radio}
          />
          Round robin between members
        </label>
        {draft.ownerKind === "round_robin" ? (
          <fieldset className="space-y-1 pl-6">
            <legend className="sr-only">Members who share the new leads</legend>
            {owners.map((o) => (
              <label key={o.id} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={draft.roundRobinIds.includes(o.id)}
                  onChange={(e) =>
                    set({
                      roundRobinIds: e.target.checked ? [...draft.roundRobinIds, o.id] : draft.roundRobinIds.filter((id) => id !== o.id),
                    })
                  }
                  className="h-4 w-4 accent-accent-600"
                />
                {o.name}
              </label>
            ))}
          </fieldset>
        ) : null}
      </fieldset>

      <div className="space-y-1">
        <label htmlFor="import-tags" className="block text-sm font-medium text-zinc-900">
          Tags to add
        </label>
        <TextInput id="import-tags" value={draft.tags} placeholder="trade-fair-2026, q4" onChange={(e) => set({ tags: e.target.value })} />
        <p className="text-xs text-zinc-600">Separate tags with commas. Leads this import adds or updates get them.</p>
      </div>
    </div>
  );
}
