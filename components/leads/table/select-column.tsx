"use client";
import { createColumnHelper } from "@tanstack/react-table";
import type { LeadListRow } from "@/lib/leads/lead-list-types";
import type { LeadTableFeatures } from "./features";
import { leadDisplayName } from "@/lib/leads/lead-fields";

const helper = createColumnHelper<LeadTableFeatures, LeadListRow>();

const BOX = "size-3.5 rounded border-zinc-300 accent-accent-600 align-middle";

/** The checkbox column: the header toggles the page; "all N matching" is offered by the selection bar. */
export const selectColumn = helper.display({
  id: "select",
  enableSorting: false,
  enableHiding: false,
  header: ({ table }) => (
    <input
      type="checkbox"
      className={BOX}
      aria-label="Select all leads on this page"
      checked={table.getIsAllPageRowsSelected()}
      ref={(el) => {
        if (el) el.indeterminate = table.getIsSomePageRowsSelected();
      }}
      onChange={table.getToggleAllPageRowsSelectedHandler()}
    />
  ),
  cell: ({ row }) => (
    <input
      type="checkbox"
      className={BOX}
      aria-label={`Select ${leadDisplayName(row.original)}`}
      checked={row.getIsSelected()}
      onChange={row.getToggleSelectedHandler()}
    />
  ),
});
