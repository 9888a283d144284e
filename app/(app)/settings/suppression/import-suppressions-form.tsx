"use client";
import { useRef, useState } from "react";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { submitHandler } from "@/components/ui/submit-handler";
import { useAction } from "@/components/use-action";
import type { SuppressionImportResult } from "@/lib/suppressions/manage-suppressions";
import { SUPPRESSION_FILE_MAX_CHARS } from "@/lib/suppressions/schemas";
import { importSuppressions } from "./actions";

/** How many of the rows that were not added the page lists (the counts cover them all). */
const LISTED = 200;

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/**
 * An admin uploads a CSV or a plain list of addresses and domains; the file is read in the
 * browser and its text sent (a file is small: 10,000 rows at most), and every row's outcome
 * comes back: added, already on the list, repeated in the file, or refused with the reason.
 */
export function ImportSuppressionsForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const run = useAction(importSuppressions);
  const [problem, setProblem] = useState<string | null>(null);
  const [result, setResult] = useState<{ fileName: string; data: SuppressionImportResult } | null>(null);

  async function submit(form: FormData) {
    setResult(null);
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return setProblem("Choose a file first.");
    if (file.size > SUPPRESSION_FILE_MAX_CHARS) return setProblem("The file is too large (at most 900 kB): split it and upload each part.");
    setProblem(null);
    const text = await file.text();
    // A picture or a spreadsheet (.xlsx) is not text: its bytes hold NUL characters, which no CSV
    // has (the server refuses them too, but only as "Some fields need attention").
    if (text.includes("\u0000")) {
      return setProblem(
        "This is not a CSV or text file. Save the list as CSV, or as plain text with one address or domain per line, and upload that.",
      );
    }
    run.run(
      { fileName: file.name, text },
      {
        success: (data) => `${plural(data.added, "entry", "entries")} added to the suppression list.`,
        onSuccess: (data) => {
          setResult({ fileName: file.name, data });
          formRef.current?.reset();
        },
        onError: (error) => setProblem(error),
      },
    );
  }

  return (
    <div className="space-y-4">
      <form
        ref={formRef}
        method="post"
        noValidate
        aria-label="Upload a suppression list"
        onSubmit={submitHandler((form) => void submit(form))}
        className="grid items-start gap-3 sm:grid-cols-[1fr_auto]"
      >
        <Field
          id="suppression-file"
          label="CSV or text file"
          error={problem ? [problem] : undefined}
          hint="One address or domain a line, or a CSV with an Email or Domain column. At most 10,000 rows."
        >
          <input
            id="suppression-file"
            name="file"
            type="file"
            accept=".csv,.txt,text/csv,text/plain"
            aria-invalid={!!problem || undefined}
            aria-describedby={problem ? "suppression-file-error" : undefined}
            className="block w-full text-sm text-zinc-700 file:mr-3 file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium"
          />
        </Field>
        <div className="sm:pt-5">
          <SubmitButton pending={run.pending}>Upload</SubmitButton>
        </div>
      </form>
      {result ? <ImportResult fileName={result.fileName} result={result.data} /> : null}
    </div>
  );
}

function ImportResult({ fileName, result }: { fileName: string; result: SuppressionImportResult }) {
  const notAdded = result.rows.filter((r) => r.outcome !== "added");
  return (
    <section aria-label="Upload results" className="rounded-md border border-zinc-200">
      <p role="status" className="border-b border-zinc-200 px-3 py-2 text-sm">
        {/* Each count is followed by a participle, which has no plural ("3 added", not "3 addeds"). */}
        <span className="font-medium">{fileName}</span>: {result.added.toLocaleString()} added, {result.already.toLocaleString()} already on
        the list, {result.repeated.toLocaleString()} repeated in the file, {result.refused.toLocaleString()} refused.
      </p>
      {notAdded.length > 0 ? (
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Rows not added</caption>
          <thead className="bg-zinc-50 text-xs text-zinc-600">
            <tr>
              <th scope="col" className="px-3 py-1.5 font-medium">
                Row
              </th>
              <th scope="col" className="px-3 py-1.5 font-medium">
                Value
              </th>
              <th scope="col" className="px-3 py-1.5 font-medium">
                Outcome
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {notAdded.slice(0, LISTED).map((r, i) => (
              <tr key={`${r.row}-${i}`}>
                <td className="px-3 py-1.5 tabular-nums text-zinc-600">{r.row}</td>
                {/* Shown as text: a refused cell may be a formula or markup. */}
                <td className="max-w-xs truncate px-3 py-1.5 font-mono text-xs">
                  {r.raw || <span className="text-zinc-500">(empty)</span>}
                </td>
                <td className="px-3 py-1.5">
                  {r.outcome === "refused" ? (
                    <span className="text-red-700">Refused: {r.error}</span>
                  ) : r.outcome === "repeated" ? (
                    `Repeated: same as row ${r.sameAs}`
                  ) : (
                    "Already on the list"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {notAdded.length > LISTED ? (
        <p className="px-3 py-2 text-xs text-zinc-600">…and {plural(notAdded.length - LISTED, "more row")}.</p>
      ) : null}
    </section>
  );
}
