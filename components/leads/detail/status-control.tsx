"use client";
import { useState } from "react";
import { changeLeadStatus } from "@/app/(app)/leads/[leadId]/actions";
import { Select } from "@/components/ui/field";
import { useAction } from "@/components/use-action";
import type { LeadStatus } from "@/db/schema";
import { LEAD_STATUS_LABELS } from "@/lib/leads/lead-fields";

const STATUSES = Object.keys(LEAD_STATUS_LABELS) as LeadStatus[];

/** The status menu: a change is saved at once and appears on the timeline. */
export function StatusControl({ leadId, status, idPrefix }: { leadId: string; status: LeadStatus; idPrefix: string }) {
  const [value, setValue] = useState(status);
  const [shown, setShown] = useState(status);
  const { run, pending } = useAction(changeLeadStatus);
  // A new status from the server (this change, or someone else's) replaces the local choice.
  if (shown !== status) {
    setShown(status);
    setValue(status);
  }
  const id = `${idPrefix}-status`;
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="text-xs font-medium text-zinc-700">
        Status
      </label>
      <Select
        id={id}
        className="w-36"
        value={value}
        busy={pending}
        onChange={(event) => {
          const next = event.target.value as LeadStatus;
          setValue(next);
          run(
            { leadId, status: next, from: status },
            { success: `Status changed to ${LEAD_STATUS_LABELS[next]}.`, onError: () => setValue(status) },
          );
        }}
      >
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {LEAD_STATUS_LABELS[s]}
          </option>
        ))}
      </Select>
    </div>
  );
}
