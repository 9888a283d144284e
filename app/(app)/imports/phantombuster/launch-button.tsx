"use client";
import { Button } from "@/components/ui/button";
import { useAction } from "@/components/use-action";
import { launchPhantomBusterAgentAction } from "./actions";

/** Launches the agent in the background; its result is imported when the run has finished. */
export function LaunchButton({ agentId, agentName }: { agentId: string; agentName: string }) {
  const launching = useAction(launchPhantomBusterAgentAction);
  return (
    <Button
      variant="ghost"
      size="sm"
      busy={launching.pending}
      aria-label={`Launch ${agentName} and import its result`}
      onClick={() =>
        launching.run(
          { agentId },
          {
            success: `Launching ${agentName}: its result is imported when the run finishes. Follow it on the Jobs page; the import then appears in the history.`,
          },
        )
      }
    >
      {launching.pending ? "Launching…" : "Launch and import"}
    </Button>
  );
}
