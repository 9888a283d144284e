"use client";
import { ChevronDown } from "lucide-react";
import { DropdownMenu } from "radix-ui";
import { Button } from "@/components/ui/button";
import { MenuContent, MenuItem, useMenuShutWhile } from "@/components/ui/menu";
import { useAction } from "@/components/use-action";
import { CADENCES, type Cadence } from "@/lib/imports/phantombuster/recurring/cadences";
import { scheduleAgentImportAction } from "./actions";

/** Schedules a recurring import of the agent's results: its first run imports the current result at once. */
export function ScheduleMenu({ agentId, agentName }: { agentId: string; agentName: string }) {
  const scheduling = useAction(scheduleAgentImportAction);
  const menu = useMenuShutWhile(scheduling.pending);
  const schedule = (cadence: Cadence) =>
    scheduling.run(
      { agentId, cadence },
      {
        success: `${agentName} is imported ${cadence === "daily" ? "every day" : "after each of its runs"}, new rows only. Its first import starts now.`,
      },
    );
  return (
    <DropdownMenu.Root {...menu}>
      <DropdownMenu.Trigger asChild>
        <Button variant="ghost" size="sm" busy={scheduling.pending} aria-label={`Schedule recurring imports of ${agentName}`}>
          {scheduling.pending ? "Scheduling…" : "Schedule"} <ChevronDown aria-hidden className="size-3.5" />
        </Button>
      </DropdownMenu.Trigger>
      <MenuContent align="end">
        {(Object.keys(CADENCES) as Cadence[]).map((cadence) => (
          <MenuItem key={cadence} onSelect={() => schedule(cadence)}>
            Import new rows: {CADENCES[cadence].toLowerCase()}
          </MenuItem>
        ))}
      </MenuContent>
    </DropdownMenu.Root>
  );
}
