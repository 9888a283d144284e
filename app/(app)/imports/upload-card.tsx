"use client";

import { FileUp, LoaderCircle } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useRef, useState, type DragEvent } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { mb, refusalBeforeSending } from "./upload-limits";

type UploadState =
  { kind: "idle" } | { kind: "uploading"; fileName: string; sent: number; total: number } | { kind: "refused"; message: string };

/**
 * Sends a CSV file to POST /api/imports as the raw body, with a progress bar (XHR reports
 * upload progress, fetch does not), then opens its mapping. The server's refusals are shown
 * in its words.
 */
export function UploadCard({ maxBytes, maxRows }: { maxBytes: number; maxRows: number }) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const request = useRef<XMLHttpRequest | null>(null);
  const [state, setState] = useState<UploadState>({ kind: "idle" });
  const [dragging, setDragging] = useState(false);
  const hintId = useId();

  function send(file: File) {
    const refused = refusalBeforeSending(file, maxBytes);
    if (refused) return setState({ kind: "refused", message: refused });
    const xhr = new XMLHttpRequest();
    request.current = xhr;
    setState({ kind: "uploading", fileName: file.name, sent: 0, total: file.size });
    xhr.upload.onprogress = (event) => {
      setState({ kind: "uploading", fileName: file.name, sent: event.loaded, total: event.lengthComputable ? event.total : file.size });
    };
    xhr.onload = () => {
      request.current = null;
      const body = (() => {
        try {
          return JSON.parse(xhr.responseText) as { importId?: string; error?: string };
        } catch {
          return {};
        }
      })();
      if (xhr.status === 201 && body.importId) {
        router.push(`/imports/${body.importId}/mapping`);
        return;
      }
      setState({
        kind: "refused",
        message: body.error ?? `The upload failed (the server answered ${xhr.status}). Try again in a moment.`,
      });
    };
    xhr.onerror = () => {
      request.current = null;
      setState({
        kind: "refused",
        message: "The upload stopped: the connection to the server was lost. Check your network and try again.",
      });
    };
    xhr.onabort = () => {
      request.current = null;
      setState({ kind: "refused", message: "Upload cancelled. Nothing was imported." });
    };
    xhr.open("POST", "/api/imports");
    xhr.setRequestHeader("content-type", "text/csv");
    xhr.setRequestHeader("x-file-name", encodeURIComponent(file.name));
    xhr.send(file);
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file && state.kind !== "uploading") send(file);
  }

  const uploading = state.kind === "uploading" ? state : null;
  const percent = uploading ? Math.min(100, Math.floor((uploading.sent / Math.max(uploading.total, 1)) * 100)) : 0;
  const processing = uploading !== null && uploading.sent >= uploading.total;

  return (
    <section aria-labelledby={`${hintId}-title`} className="rounded-lg border border-zinc-200 bg-white">
      <div
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={cn(
          "m-4 flex flex-col items-center rounded-md border border-dashed px-6 py-8 text-center transition-colors",
          dragging ? "border-accent-500 bg-accent-50" : "border-zinc-300",
        )}
      >
        <FileUp aria-hidden className="mb-2 size-6 text-accent-600" />
        <h2 id={`${hintId}-title`} className="text-sm font-semibold text-zinc-900">
          Import leads from a CSV file
        </h2>
        <p id={hintId} className="mt-1 max-w-lg text-sm text-zinc-600">
          Drop a file here or choose one: an Apollo or PhantomBuster export, or any spreadsheet saved as CSV. Up to{" "}
          {maxRows.toLocaleString("en")} rows and {Math.round(maxBytes / (1024 * 1024))} MB.
        </p>
        <input
          ref={input}
          type="file"
          accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain"
          aria-label="CSV file to import"
          aria-describedby={hintId}
          className="sr-only"
          tabIndex={-1}
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = "";
            if (file) send(file);
          }}
        />
        <div className="mt-4 flex gap-2">
          <Button onClick={() => input.current?.click()} disabled={uploading !== null} aria-describedby={hintId}>
            Choose a CSV file
          </Button>
          {uploading && !processing ? (
            <Button variant="secondary" onClick={() => request.current?.abort()}>
              Cancel upload
            </Button>
          ) : null}
        </div>
      </div>

      {uploading ? (
        <div className="border-t border-zinc-200 px-6 py-4">
          <div className="flex items-baseline justify-between text-sm">
            <span className="truncate font-medium text-zinc-900">{uploading.fileName}</span>
            <span className="shrink-0 tabular-nums text-zinc-600">
              {percent} % · {mb(uploading.sent)} of {mb(uploading.total)} MB
            </span>
          </div>
          <div
            role="progressbar"
            aria-label={`Uploading ${uploading.fileName}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            className="mt-2 h-2 overflow-hidden rounded-full bg-zinc-100"
          >
            <div className="h-full rounded-full bg-accent-600 transition-[width]" style={{ width: `${percent}%` }} />
          </div>
          {processing ? (
            <p className="mt-2 flex items-center gap-1.5 text-sm text-zinc-600">
              <LoaderCircle aria-hidden className="size-4 animate-spin" /> Checking the last rows…
            </p>
          ) : null}
        </div>
      ) : null}

      {/* Announced in steps of 10 %, not on every progress event. */}
      <p aria-live="polite" className="sr-only">
        {uploading ? (processing ? "Upload complete, checking the file." : `Uploading: ${Math.floor(percent / 10) * 10} %`) : ""}
      </p>
      {state.kind === "refused" ? (
        <p role="alert" className="border-t border-zinc-200 px-6 py-3 text-sm text-red-700">
          {state.message}
        </p>
      ) : null}
    </section>
  );
}
