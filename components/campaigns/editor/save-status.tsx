"use client";
import { Button } from "@/components/ui/button";
import type { SaveState } from "./use-autosave";

/** Where the autosave stands, announced politely; a stale editor offers a reload. */
export function SaveStatus({ state }: { state: SaveState }) {
  if (state.kind === "stale") {
    return (
      <div
        role="alert"
        className="flex w-full flex-wrap items-center gap-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800"
      >
        <p className="flex-1">{state.message}</p>
        <Button variant="secondary" size="sm" onClick={() => window.location.reload()}>
          Reload
        </Button>
      </div>
    );
  }
  const text = {
    saved: "All changes saved",
    dirty: "Unsaved changes…",
    saving: "Saving…",
    invalid: state.kind === "invalid" ? `Not saved: ${state.message}` : "",
    failed: state.kind === "failed" ? `Not saved: ${state.message}` : "",
  }[state.kind];
  const tone = state.kind === "invalid" || state.kind === "failed" ? "text-red-700" : "text-zinc-600";
  return (
    <p role="status" aria-live="polite" data-testid="save-status" className={`text-xs ${tone}`}>
      {text}
    </p>
  );
}
