"use client";
import { Copy, Undo2, UserPlus } from "lucide-react";
import { addReferredLeadFromReply, undoReplyReading } from "@/app/(app)/leads/[leadId]/reply-actions";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toast";
import { useAction } from "@/components/use-action";

/** Undo what a reply's reading did: the server checks the viewer may, and what is still there to undo. */
export function UndoReplyButton({ classificationId, what }: { classificationId: string; what: string }) {
  const { run, pending } = useAction(undoReplyReading);
  return (
    <Button
      variant="secondary"
      size="sm"
      busy={pending}
      aria-label={`Undo: ${what}`}
      onClick={() => run({ classificationId }, { success: "Undone." })}
    >
      <Undo2 aria-hidden className="size-3.5" />
      {pending ? "Undoing…" : "Undo"}
    </Button>
  );
}

/** Add the person a reply pointed to as a lead (or link the one that already exists). */
export function AddReferredLeadButton({ classificationId, name }: { classificationId: string; name: string }) {
  const { run, pending } = useAction(addReferredLeadFromReply);
  return (
    <Button
      variant="secondary"
      size="sm"
      busy={pending}
      onClick={() =>
        run(
          { classificationId },
          {
            success: (d) =>
              d.existed ? `${name} was already a lead: linked to this one.` : `${name} added as a lead, linked to this one.`,
          },
        )
      }
    >
      <UserPlus aria-hidden className="size-3.5" />
      {pending ? "Adding…" : `Add ${name} as a lead`}
    </Button>
  );
}

/** Copies the suggested answer for the rep to paste into their own reply: nothing is sent from here. */
export function CopyDraftButton({ text }: { text: string }) {
  return (
    <Button
      variant="ghost"
      size="sm"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          toast.success("Suggested reply copied. Nothing was sent.");
        } catch {
          toast.error("Could not copy: select the text and copy it instead.");
        }
      }}
    >
      <Copy aria-hidden className="size-3.5" />
      Copy
    </Button>
  );
}
