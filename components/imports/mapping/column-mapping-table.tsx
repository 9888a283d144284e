"use client";
import { customFieldKeyOf } from "@/lib/imports/presets/header-key";
import { CUSTOM_FIELD_KEY, type ColumnTarget, type ImportTarget } from "@/lib/imports/types";
import { Select, TextInput } from "@/components/ui/field";
import { fieldLabel, TARGET_GROUPS, targetValue } from "./target-options";

/** How a column is named on the page: a blank header by its position, a repeated one with a word saying so. */
export function columnName(headers: readonly string[], index: number): string {
  const header = headers[index]!.trim();
  if (header === "") return `Column ${index + 1} (no name)`;
  const repeated = headers.findIndex((h) => h.trim() === header) !== index;
  return repeated ? `${header} (column ${index + 1}, repeated)` : header;
}

/** Up to three different non-blank values of the column, as the file has them. */
function samplesOf(rows: readonly { fields: string[] }[], index: number): string[] {
  const seen: string[] = [];
  for (const row of rows) {
    const value = (row.fields[index] ?? "").trim();
    if (value !== "" && !seen.includes(value)) seen.push(value);
    if (seen.length === 3) break;
  }
  return seen;
}

/** One line per column of the file: its name, sample values and what it fills. */
export function ColumnMappingTable({
  headers,
  rows,
  columns,
  onChange,
}: {
  headers: readonly string[];
  rows: readonly { fields: string[] }[];
  columns: readonly ColumnTarget[];
  onChange: (index: number, target: ColumnTarget) => void;
}) {
  function choose(index: number, value: string) {
    if (value === "ignore") onChange(index, { kind: "ignore" });
    else if (value === "custom") onChange(index, { kind: "custom", key: customFieldKeyOf(headers[index]!, index) });
    else if (value.startsWith("fallback:"))
      onChange(index, { kind: "field", field: value.slice("fallback:".length) as never, fallback: true });
    else onChange(index, { kind: "field", field: value.slice("field:".length) as never });
  }
  // The column that fills each field first: another column can fill it when that one is blank.
  const mainColumn = new Map<ImportTarget, number>();
  columns.forEach((t, i) => {
    if (t.kind === "field" && !t.fallback) mainColumn.set(t.field, i);
  });

  return (
    <table className="w-full text-sm">
      <thead>
        <tr className="border-b border-zinc-200 text-left text-xs text-zinc-600">
          <th scope="col" className="py-2 pr-3 font-medium">
            Column in the file
          </th>
          <th scope="col" className="py-2 pr-3 font-medium">
            Sample values
          </th>
          <th scope="col" className="w-80 py-2 font-medium">
            Fills
          </th>
        </tr>
      </thead>
      <tbody>
        {headers.map((_, index) => {
          const target = columns[index] ?? { kind: "ignore" };
          const name = columnName(headers, index);
          const samples = samplesOf(rows, index);
          const selectId = `column-${index}-target`;
          const keyId = `column-${index}-key`;
          const keyInvalid = target.kind === "custom" && !CUSTOM_FIELD_KEY.test(target.key);
          const fallbackFor = [...mainColumn].filter(([, column]) => column !== index);
          const fallbacks =
            target.kind === "field" && !target.fallback
              ? columns.flatMap((t, i) => (t.kind === "field" && t.fallback && t.field === target.field ? [columnName(headers, i)] : []))
              : [];
          // A fallback's turn: after the field's main column and the fallbacks before it in the file.
          const main = target.kind === "field" && target.fallback ? mainColumn.get(target.field) : undefined;
          const before =
            main === undefined || target.kind !== "field"
              ? []
              : [
                  main,
                  ...columns.flatMap((t, i) => (i < index && t.kind === "field" && t.fallback && t.field === target.field ? [i] : [])),
                ].map((i) => columnName(headers, i));
          return (
            <tr key={index} className="border-b border-zinc-100 align-top">
              <td className="max-w-56 py-2 pr-3 font-medium break-words text-zinc-900">{name}</td>
              <td className="max-w-80 py-2 pr-3 text-zinc-600">
                {samples.length === 0 ? (
                  <span className="text-zinc-500 italic">blank in the first rows</span>
                ) : (
                  <ul className="space-y-0.5">
                    {samples.map((s) => (
                      <li key={s} className="truncate" title={s}>
                        {s}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td className="space-y-1.5 py-2">
                <label htmlFor={selectId} className="sr-only">
                  What column “{name}” fills
                </label>
                <Select id={selectId} value={targetValue(target)} onChange={(e) => choose(index, e.target.value)}>
                  <option value="ignore">Ignore this column</option>
                  {TARGET_GROUPS.map((group) => (
                    <optgroup key={group.label} label={group.label}>
                      {group.targets.map(([field, label]) => (
                        <option key={field} value={`field:${field}`}>
                          {label}
                        </option>
                      ))}
                    </optgroup>
                  ))}
                  {fallbackFor.length ? (
                    <optgroup label="When another column is blank">
                      {fallbackFor.map(([field]) => (
                        <option key={field} value={`fallback:${field}`}>
                          {fieldLabel(field)} (fallback)
                        </option>
                      ))}
                    </optgroup>
                  ) : null}
                  <option value="custom">Custom field…</option>
                </Select>
                {fallbacks.length ? (
                  <p className="text-xs text-zinc-600">When blank: {fallbacks.map((name) => `“${name}”`).join(", then ")}.</p>
                ) : null}
                {before.length ? (
                  <p className="text-xs text-zinc-600">
                    Used when {before.map((name) => `“${name}”`).join(" and ")} {before.length > 1 ? "are" : "is"} blank.
                  </p>
                ) : null}
                {target.kind === "custom" ? (
                  <div className="space-y-1">
                    <label htmlFor={keyId} className="block text-xs text-zinc-700">
                      Custom field name
                    </label>
                    <TextInput
                      id={keyId}
                      value={target.key}
                      invalid={keyInvalid}
                      maxLength={63}
                      onChange={(e) => onChange(index, { kind: "custom", key: e.target.value })}
                    />
                    {keyInvalid ? (
                      <p id={`${keyId}-error`} className="text-xs text-red-700">
                        Use lower-case letters, digits and _, starting with a letter (like lead_source).
                      </p>
                    ) : null}
                  </div>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
