"use client";
import { X } from "lucide-react";
import type { ReactNode } from "react";

/** A lead beside the table (URL `lead=<id>`), so the rep keeps their place; Escape or × closes it. */
export function LeadSidePanel({ onClose, children }: { onClose: () => void; children: ReactNode }) {
  return (
    <aside aria-label="Lead details" className="flex w-[30rem] shrink-0 flex-col border-l border-zinc-200 bg-zinc-50">
      <div className="flex items-center justify-between border-b border-zinc-200 bg-white px-4 py-2">
        <span className="text-xs font-medium text-zinc-500">Lead</span>
        <button
          type="button"
          onClick={onClose}
          aria-label="Close lead details"
          title="Close (Esc)"
          className="rounded-md p-1 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900"
        >
          <X aria-hidden className="size-4" />
        </button>
      </div>
      <div className="min-h-0 flex-1 overflow-auto p-4">{children}</div>
    </aside>
  );
}
