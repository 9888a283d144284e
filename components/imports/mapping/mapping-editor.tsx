"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/field";
import { useAction } from "@/components/use-action";
import type { ActionResult } from "@/lib/actions/execute-action";
import { mapWithPreset, type DetectedPreset } from "@/lib/imports/presets/detect";
import type { PresetId } from "@/lib/imports/presets/preset";
import { applySavedColumns } from "@/lib/imports/saved-mappings/columns";
import {
  withMainColumns,
  ZImportMapping,
  ZImportRules,
  type ColumnTarget,
  type ImportMapping,
  type ImportRules,
} from "@/lib/imports/types";
import { ColumnMappingTable, columnName } from "./column-mapping-table";
import { ImportRulesForm, type RulesDraft } from "./import-rules-form";
import { MappingPreview } from "./mapping-preview";
import { SavedMappingControls, type SavedMappingOption } from "./saved-mapping-controls";
import { targetLabel } from "./target-options";

export type StartImportInput = { importId: string; preset: PresetId | null; mapping: ImportMapping; rules: ImportRules };

type Props = {
  importId: string;
  headers: string[];
  rows: { rowNumber: number; fields: string[] }[];
  /** The names of the workspace's companies at the domains the rows hold (lib/imports/company-links.ts). */
  companies: Record<string, string>;
  detected: DetectedPreset;
  presets: { id: PresetId; label: string }[];
  saved: SavedMappingOption[];
  owners: { id: string; name: string }[];
  currentUserId: string;
  /** The process engineer's startLeadImportAction, passed down by the page. */
  start: (input: StartImportInput) => Promise<ActionResult<unknown>>;
};

/** `preset:<id>` or `saved:<id>`: where the current mapping started from. */
type Source = string;

export function MappingEditor({ importId, headers, rows, companies, detected, presets, saved, owners, currentUserId, start }: Props) {
  const router = useRouter();
  const [source, setSource] = useState<Source>(`preset:${detected.id}`);
  const [columns, setColumns] = useState<ColumnTarget[]>(detected.columns);
  const [notice, setNotice] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [rules, setRules] = useState<RulesDraft>({
    onMatch: "skip",
    ownerKind: owners.some((o) => o.id === currentUserId) ? "member" : "none",
    memberId: owners.some((o) => o.id === currentUserId) ? currentUserId : (owners[0]?.id ?? ""),
    roundRobinIds: [],
    tags: "",
  });
  const starting = useAction(start);

  function chooseSource(next: Source) {
    setSource(next);
    setProblem(null);
    const [kind, id] = [next.slice(0, next.indexOf(":")), next.slice(next.indexOf(":") + 1)];
    if (kind === "preset") {
      setColumns(mapWithPreset(id as PresetId, headers));
      setNotice(`Columns mapped by the preset “${presets.find((p) => p.id === id)?.label}”.`);
    } else {
      const mapping = saved.find((m) => m.id === id);
      if (!mapping) return;
      setColumns(applySavedColumns(headers, mapping.columns));
      setNotice(`Columns mapped by the saved mapping “${mapping.name}”.`);
    }
  }

  /**
   * A field fills from one main column: choosing it for another column moves it there (its
   * fallbacks stay). When a field's main column is given up, its first fallback takes its place.
   */
  function changeColumn(index: number, target: ColumnTarget) {
    setProblem(null);
    // Custom field names are typed a letter at a time, so a clash there is reported on start instead.
    const clashing = columns.findIndex(
      (t, i) => i !== index && target.kind === "field" && !target.fallback && t.kind === "field" && !t.fallback && t.field === target.field,
    );
    const changed = columns.map((t, i): ColumnTarget => (i === index ? target : i === clashing ? { kind: "ignore" } : t));
    const next = withMainColumns(changed);
    setColumns(next);
    const promoted = next.findIndex((t, i) => t !== changed[i]);
    if (clashing >= 0) {
      setNotice(`${targetLabel(target)} now comes from “${columnName(headers, index)}” instead of “${columnName(headers, clashing)}”.`);
    } else if (promoted >= 0) {
      setNotice(`${targetLabel(next[promoted]!)} now comes from “${columnName(headers, promoted)}”.`);
    }
  }

  function submit() {
    const mapping = ZImportMapping.safeParse({ columns });
    if (!mapping.success) return setProblem(mapping.error.issues[0]!.message);
    const tags = rules.tags
      .split(",")
      .map((t) => t.trim())
      .filter((t) => t !== "");
    const owner =
      rules.ownerKind === "member"
        ? { kind: "member" as const, userId: rules.memberId }
        : rules.ownerKind === "round_robin"
          ? { kind: "round_robin" as const, userIds: rules.roundRobinIds }
          : { kind: "none" as const };
    const parsedRules = ZImportRules.safeParse({ onMatch: rules.onMatch, owner, tags });
    if (!parsedRules.success) return setProblem(rulesProblem(parsedRules.error.issues[0]!));
    setProblem(null);
    // `preset:<id>` is only ever written with an id of `presets`.
    const preset = source.startsWith("preset:") ? (source.slice("preset:".length) as PresetId) : null;
    starting.run(
      { importId, preset, mapping: mapping.data, rules: parsedRules.data },
      { success: "Import started.", onSuccess: () => router.push(`/imports/${importId}`), onError: (error) => setProblem(error) },
    );
  }

  return (
    <div className="space-y-8 p-6">
      <section aria-labelledby="source-heading" className="space-y-3">
        <h2 id="source-heading" className="text-sm font-semibold text-zinc-900">
          Columns
        </h2>
        <p className="text-sm text-zinc-700">
          Detected: <strong>{detected.label}</strong>.
        </p>
        <div className="flex flex-wrap items-end gap-4">
          <div className="w-96 space-y-1">
            <label htmlFor="mapping-source" className="block text-xs font-medium text-zinc-700">
              Start from
            </label>
            <Select id="mapping-source" value={source} onChange={(e) => chooseSource(e.target.value)}>
              <optgroup label="Presets">
                {presets.map((p) => (
                  <option key={p.id} value={`preset:${p.id}`}>
                    {p.label}
                    {p.id === detected.id ? " (detected)" : ""}
                  </option>
                ))}
              </optgroup>
              {saved.length ? (
                <optgroup label="Saved mappings">
                  {saved.map((m) => (
                    <option key={m.id} value={`saved:${m.id}`}>
                      {m.name}
                    </option>
                  ))}
                </optgroup>
              ) : null}
            </Select>
          </div>
          <SavedMappingControls
            // Remounted when another mapping is chosen or the list changes, so the name box shows the one in use.
            key={`${source}/${saved.length}`}
            headers={headers}
            columns={columns}
            saved={saved}
            selectedId={source.startsWith("saved:") ? source.slice("saved:".length) : null}
            onSaved={(id) => setSource(`saved:${id}`)}
            onDeleted={() => setSource(`preset:${detected.id}`)}
          />
        </div>
        <p role="status" className="min-h-5 text-xs text-zinc-600">
          {notice}
        </p>
        <ColumnMappingTable headers={headers} rows={rows} columns={columns} onChange={changeColumn} />
      </section>

      <section aria-labelledby="preview-heading" className="space-y-3">
        <h2 id="preview-heading" className="text-sm font-semibold text-zinc-900">
          Preview
        </h2>
        <MappingPreview headers={headers} rows={rows} columns={columns} companies={companies} onMatch={rules.onMatch} />
      </section>

      <section aria-labelledby="rules-heading" className="space-y-4">
        <h2 id="rules-heading" className="text-sm font-semibold text-zinc-900">
          Rules
        </h2>
        <ImportRulesForm draft={rules} owners={owners} onChange={setRules} />
      </section>

      <div className="flex items-center gap-4 border-t border-zinc-200 pt-4">
        <Button onClick={submit} busy={starting.pending}>
          {starting.pending ? "Starting…" : "Start import"}
        </Button>
        {problem ? (
          <p role="alert" className="text-sm text-red-700">
            {problem}
          </p>
        ) : null}
      </div>
    </div>
  );
}

/** A rules problem in words, whichever field it is on. */
function rulesProblem(issue: { path: PropertyKey[]; message: string }): string {
  if (issue.path[0] === "tags") return "A tag has 1 to 50 characters, and an import adds at most 20 tags.";
  if (issue.path[0] === "owner" && issue.path.includes("userId")) return "Choose the member who owns the new leads.";
  return issue.message;
}
