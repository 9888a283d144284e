"use client";
import { Check, RotateCcw } from "lucide-react";
import { useRouter } from "next/navigation";
import { useRef } from "react";
import { approveCampaignAction, rejectCampaignAction } from "@/app/(app)/approvals/actions";
import { Button } from "@/components/ui/button";
import { formText, submitHandler } from "@/components/ui/submit-handler";
import { useAction } from "@/components/use-action";
import { MAX_REJECTION_COMMENT } from "@/lib/campaigns/approval/schemas";

/**
 * Approve, or reject with a comment for the author. Both send the hash of the content this page
 * showed: if the campaign changed since, the server refuses and the admin reloads the review.
 */
export function DecisionPanel({ campaignId, reviewedHash }: { campaignId: string; reviewedHash: string }) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const approve = useAction(approveCampaignAction, { showsErrors: true });
  const reject = useAction(rejectCampaignAction, { showsErrors: true });
  const pending = approve.pending || reject.pending;
  const refused = approve.error ?? (Object.keys(reject.fieldErrors).length ? null : reject.error);
  const commentError = reject.fieldErrors.comment;
  const id = "rejection-comment";
  return (
    <section aria-labelledby="decision-title" className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4">
      <h2 id="decision-title" className="text-sm font-semibold">
        Decision
      </h2>
      {refused ? (
        <div role="alert" className="space-y-2 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          <p>{refused}</p>
          <Button variant="secondary" size="sm" onClick={() => router.refresh()}>
            <RotateCcw aria-hidden className="size-3.5" /> Reload the review
          </Button>
        </div>
      ) : null}
      <div className="space-y-1">
        <Button
          busy={pending}
          className="w-full"
          onClick={() => approve.run({ campaignId, reviewedHash }, { success: "Campaign approved.", onSuccess: () => router.refresh() })}
        >
          <Check aria-hidden className="size-4" /> {approve.pending ? "Approving…" : "Approve this content"}
        </Button>
        <p className="text-xs text-zinc-500">Approves exactly what this page shows; any later change returns it to draft.</p>
      </div>
      <form
        ref={formRef}
        method="post"
        noValidate
        aria-label="Reject with a comment"
        className="space-y-2 border-t border-zinc-100 pt-4"
        onSubmit={submitHandler((form) =>
          reject.run(
            { campaignId, reviewedHash, comment: formText(form, "comment") },
            { success: "Campaign returned to its author.", onSuccess: () => router.refresh() },
          ),
        )}
      >
        <label htmlFor={id} className="block text-xs font-medium text-zinc-700">
          What needs to change
        </label>
        <textarea
          id={id}
          name="comment"
          rows={3}
          maxLength={MAX_REJECTION_COMMENT}
          placeholder="The author reads this with the campaign back in draft."
          aria-invalid={commentError ? true : undefined}
          aria-describedby={commentError ? `${id}-error` : undefined}
          className="block w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm shadow-xs placeholder:text-zinc-500 focus:border-accent-500 focus:ring-2 focus:ring-accent-100 focus:outline-none aria-invalid:border-red-500"
        />
        {commentError ? (
          <p id={`${id}-error`} role="alert" className="text-xs text-red-600">
            {commentError.join(" ")}
          </p>
        ) : null}
        <Button type="submit" busy={pending} variant="secondary" className="w-full">
          {reject.pending ? "Rejecting…" : "Reject with this comment"}
        </Button>
      </form>
    </section>
  );
}
