"use client";
import { useState } from "react";
import { changeLeadOwner } from "@/app/(app)/leads/[leadId]/actions";
import { Select } from "@/components/ui/field";
import { useAction } from "@/components/use-action";
import type { OwnerChoice } from "./load-lead-detail";

const UNASSIGNED = "";

/** The owner menu, offering only the owners this person may set (canSetOwner). */
export function OwnerControl({
  leadId,
  ownerId,
  choices,
  idPrefix,
}: {
  leadId: string;
  ownerId: string | null;
  choices: OwnerChoice[];
  idPrefix: string;
}) {
  const current = ownerId ?? UNASSIGNED;
  const [value, setValue] = useState(current);
  const [shown, setShown] = useState(current);
  const { run, pending } = useAction(changeLeadOwner);
  if (shown !== current) {
    setShown(current);
    setValue(current);
  }
  const id = `${idPrefix}-owner`;
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="text-xs font-medium text-zinc-700">
        Owner
      </label>
      <Select
        id={id}
        className="w-48"
        value={value}
        busy={pending}
        onChange={(event) => {
          const next = event.target.value;
          const choice = choices.find((c) => (c.userId ?? UNASSIGNED) === next);
          setValue(next);
          run(
            { leadId, ownerId: next === UNASSIGNED ? null : next, from: ownerId },
            {
              success: next === UNASSIGNED ? "Lead unassigned." : `Lead assigned to ${choice?.name ?? "them"}.`,
              onError: () => setValue(current),
            },
          );
        }}
      >
        {choices.map((c) => (
          <option key={c.userId ?? UNASSIGNED} value={c.userId ?? UNASSIGNED}>
            {c.name}
          </option>
        ))}
      </Select>
    </div>
  );
}
