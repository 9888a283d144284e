"use client";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { useAction } from "@/components/use-action";
import { importPhantomBusterResultAction } from "./actions";

/** Imports the agent's latest result and lands on the import's page (its mapping page when it needs one). */
export function ImportResultButton({ agentId, agentName }: { agentId: string; agentName: string }) {
  const router = useRouter();
  const importing = useAction(importPhantomBusterResultAction);
  return (
    <Button
      variant="secondary"
      size="sm"
      busy={importing.pending}
      aria-label={`Import the latest result of ${agentName}`}
      onClick={() =>
        importing.run(
          { agentId },
          {
            onSuccess: (started) => {
              if (started.status === "queued") {
                toast.success(`Importing ${started.fileName} with the ${started.presetLabel} preset.`);
                router.push(`/imports/${started.importId}`);
              } else {
                toast.message(started.notice ?? "Choose what each column of the file fills.");
                router.push(`/imports/${started.importId}/mapping`);
              }
            },
          },
        )
      }
    >
      {importing.pending ? "Importing…" : "Import latest result"}
    </Button>
  );
}
