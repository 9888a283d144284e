"use client";
import type { Cell, Row } from "@tanstack/react-table";
import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import type { LeadListRow } from "@/lib/leads/lead-list-types";
import type { LeadTableFeatures } from "./features";

type Props = {
  row: Row<LeadTableFeatures, LeadListRow>;
  /** The keyboard's row (j/k). */
  active: boolean;
  /** Shown in the side panel. */
  open: boolean;
  selected: boolean;
  onActivate: () => void;
  renderCell: (cell: Cell<LeadTableFeatures, LeadListRow, unknown>) => ReactNode;
};

/** Text columns are capped so eleven columns fit a laptop screen; the full value is in the side panel. */
const CELL_WIDTHS: Record<string, string> = {
  title: "max-w-44",
  company: "max-w-44",
  email: "max-w-52",
  tags: "max-w-44",
  owner: "max-w-36",
};

/** One lead. A click anywhere but a link or checkbox opens it in the side panel. */
export function LeadTableRow({ row, active, open, selected, onActivate, renderCell }: Props) {
  return (
    <tr
      data-active={active || undefined}
      aria-selected={selected}
      aria-current={open ? "true" : undefined}
      onClick={(event) => {
        if ((event.target as HTMLElement).closest("a, button, input, label")) return;
        onActivate();
      }}
      className={cn(
        "cursor-default",
        selected ? "bg-accent-50" : open ? "bg-zinc-100" : "hover:bg-zinc-50",
        active && "outline-2 -outline-offset-2 outline-accent-500",
      )}
    >
      {row.getVisibleCells().map((cell) => (
        <td
          key={cell.id}
          className={cn(
            "truncate border-b border-zinc-100 px-2.5 py-1.5 whitespace-nowrap text-zinc-700",
            CELL_WIDTHS[cell.column.id] ?? "max-w-56",
            cell.column.id === "select" && "w-8 pr-0",
          )}
        >
          {renderCell(cell)}
        </td>
      ))}
    </tr>
  );
}
