"use client";
import { Send } from "lucide-react";
import { useRouter } from "next/navigation";
import { submitCampaignAction } from "@/app/(app)/campaigns/submit-actions";
import { Button } from "@/components/ui/button";
import { useAction } from "@/components/use-action";

/**
 * "Submit for approval" for a draft. Disabled while pre-flight blocks (the server refuses it
 * anyway, with the same reasons, which are then shown here).
 */
export function SubmitCampaignButton({ campaignId, blocked }: { campaignId: string; blocked: boolean }) {
  const router = useRouter();
  const submit = useAction(submitCampaignAction, { showsErrors: true });
  return (
    <div className="space-y-2">
      <Button
        disabled={blocked}
        busy={submit.pending}
        onClick={() => submit.run({ campaignId }, { success: "Submitted: the admins are notified.", onSuccess: () => router.refresh() })}
      >
        <Send aria-hidden className="size-4" /> {submit.pending ? "Submitting…" : "Submit for approval"}
      </Button>
      {blocked ? <p className="text-xs text-zinc-600">Fix the problems pre-flight lists first.</p> : null}
      {submit.error ? (
        <p role="alert" className="text-sm text-red-700">
          {submit.error}
        </p>
      ) : null}
    </div>
  );
}
