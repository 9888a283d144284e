"use client";
import { Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { deleteCampaign } from "@/app/(app)/campaigns/actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useAction } from "@/components/use-action";

/** Deletes a draft after asking (DESIGN.md §9: every destructive action asks first). */
export function DeleteCampaignButton({ campaignId, name }: { campaignId: string; name: string }) {
  const router = useRouter();
  const { run, pending } = useAction(deleteCampaign);
  return (
    <ConfirmDialog
      trigger={
        <Button variant="secondary" size="sm" busy={pending}>
          <Trash2 aria-hidden className="size-3.5" />
          Delete draft
        </Button>
      }
      title={`Delete “${name}”?`}
      description="The draft, its steps and its variants are deleted. This cannot be undone."
      confirmLabel="Delete draft"
      onConfirm={() => run({ campaignId }, { success: `Deleted “${name}”.`, onSuccess: () => router.push("/campaigns") })}
    />
  );
}
