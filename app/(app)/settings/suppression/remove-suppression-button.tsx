"use client";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useAction } from "@/components/use-action";
import type { SuppressionReason } from "@/db/schema/campaign-enums";
import { removeSuppression } from "./actions";

/** What removing an entry means, said before it happens; a person's own unsubscribe weighs most. */
const CONSEQUENCE: Record<SuppressionReason, string> = {
  unsubscribe:
    "This person unsubscribed. Emailing them again may break the law where they live; remove it only if they asked to be emailed again.",
  complaint: "This person marked an email as spam. Emailing them again harms the sending domain's reputation.",
  bounce: "Emails to this address bounced. Remove it only if the address works again.",
  manual: "Campaigns may email it again.",
  import: "Campaigns may email it again.",
};

export function RemoveSuppressionButton({ id, value, reason }: { id: string; value: string; reason: SuppressionReason }) {
  const remove = useAction(removeSuppression);
  return (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" size="sm" busy={remove.pending} aria-label={`Remove ${value}`}>
          Remove
        </Button>
      }
      title={`Remove ${value} from the suppression list?`}
      description={CONSEQUENCE[reason]}
      confirmLabel="Remove"
      onConfirm={() => remove.run({ id }, { success: `${value} removed from the suppression list.` })}
    />
  );
}
