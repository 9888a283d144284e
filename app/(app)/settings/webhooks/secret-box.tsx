"use client";

/** A signing secret shown as text to copy (never put into the page by the server). */
export function SecretBox({ secret, label, note }: { secret: string; label: string; note?: string }) {
  return (
    <div role="status" className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm">
      <p className="font-medium text-amber-900">{label}</p>
      <code data-testid="webhook-secret" className="mt-1 block break-all font-mono text-xs text-zinc-900 select-all">
        {secret}
      </code>
      {note ? <p className="mt-1 text-xs text-amber-900">{note}</p> : null}
    </div>
  );
}
