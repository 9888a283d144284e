"use client";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useAction } from "@/components/use-action";
import { clockOf, WEEKDAY_LABELS } from "@/lib/sending-identities/schemas";
import type { SendingIdentity } from "@/lib/sending-identities/sending-identities";
import { archiveSendingIdentity, removeSendingIdentity, restoreSendingIdentity } from "./actions";
import { IdentityForm } from "./identity-form";

function days(list: number[]): string {
  return list.map((d) => WEEKDAY_LABELS[d as keyof typeof WEEKDAY_LABELS]).join(", ");
}

const campaignsIn = (n: number) => `${n} campaign${n === 1 ? "" : "s"}`;

export function IdentityList({ identities }: { identities: SendingIdentity[] }) {
  if (identities.length === 0) {
    return <p className="px-4 py-6 text-sm text-zinc-600">No sending identity yet: add the first one below, then campaigns can use it.</p>;
  }
  return (
    <ul className="divide-y divide-zinc-200">
      {identities.map((identity) => (
        <IdentityRow key={identity.id} identity={identity} />
      ))}
    </ul>
  );
}

/** Today's count against the cap, in the mailbox's own day, said plainly when the cap is reached. */
function SentToday({ identity }: { identity: SendingIdentity }) {
  const { sentToday, dailyCap } = identity;
  if (sentToday >= dailyCap) {
    return (
      <p className="text-amber-800">
        {sentToday.toLocaleString("en")} of {dailyCap.toLocaleString("en")} sent today ({identity.timeZone}): at its cap, the rest waits for
        its next sending day.
      </p>
    );
  }
  return (
    <p className="text-zinc-600">
      {sentToday.toLocaleString("en")} of {dailyCap.toLocaleString("en")} sent today ({identity.timeZone})
    </p>
  );
}

function IdentityRow({ identity }: { identity: SendingIdentity }) {
  const [editing, setEditing] = useState(false);
  const archive = useAction(archiveSendingIdentity);
  const restore = useAction(restoreSendingIdentity);
  const remove = useAction(removeSendingIdentity);
  const busy = archive.pending || restore.pending || remove.pending;
  return (
    <li className="px-4 py-3" aria-label={identity.fromEmail}>
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0 flex-1 space-y-0.5 text-sm">
          <p className="font-medium">
            {identity.fromName} <span className="font-normal text-zinc-600">&lt;{identity.fromEmail}&gt;</span>{" "}
            {identity.archived ? <Badge>Archived</Badge> : null}
          </p>
          <p className="text-zinc-600">
            {identity.dailyCap} a day · {days(identity.sendDays)} · {clockOf(identity.sendFromMinute)}–{clockOf(identity.sendUntilMinute)} ·{" "}
            {identity.timeZone}
            {identity.replyTo ? ` · replies to ${identity.replyTo}` : ""}
          </p>
          <SentToday identity={identity} />
          <p className="text-zinc-600">
            {identity.postalAddress ? (
              identity.postalAddress
            ) : (
              <span className="text-amber-800">No postal address: campaigns using it cannot be submitted.</span>
            )}
          </p>
          <p className="text-xs text-zinc-600">
            Used by {campaignsIn(identity.campaigns)}
            {identity.campaignsPastDraft > 0 ? `, ${identity.campaignsPastDraft} of them submitted or approved` : ""}.
          </p>
        </div>
        <div className="flex shrink-0 gap-2">
          <Button variant="secondary" size="sm" onClick={() => setEditing((e) => !e)} aria-expanded={editing}>
            {editing ? "Close" : "Edit"}
          </Button>
          {identity.archived ? (
            <Button
              variant="secondary"
              size="sm"
              disabled={busy}
              onClick={() =>
                restore.run({ identityId: identity.id }, { success: `${identity.fromEmail} can be chosen for campaigns again.` })
              }
            >
              Restore
            </Button>
          ) : (
            <Button
              variant="secondary"
              size="sm"
              disabled={busy}
              onClick={() =>
                archive.run({ identityId: identity.id }, { success: `${identity.fromEmail} archived: no longer offered to new campaigns.` })
              }
            >
              Archive
            </Button>
          )}
          <ConfirmDialog
            trigger={
              <Button variant="ghost" size="sm" disabled={busy}>
                Delete
              </Button>
            }
            title={`Delete ${identity.fromEmail}?`}
            description={
              identity.campaignsPastDraft > 0
                ? `${campaignsIn(identity.campaignsPastDraft)} submitted or approved ${identity.campaignsPastDraft === 1 ? "uses" : "use"} it, so it cannot be deleted: archive it instead.`
                : identity.campaigns > 0
                  ? `${campaignsIn(identity.campaigns)} in draft use it and will lose it.`
                  : "No campaign uses it."
            }
            confirmLabel="Delete identity"
            onConfirm={() => remove.run({ identityId: identity.id }, { success: `${identity.fromEmail} deleted.` })}
          />
        </div>
      </div>
      {editing ? (
        <div className="mt-4 rounded-md border border-zinc-200 p-4">
          <IdentityForm identity={identity} onDone={() => setEditing(false)} />
        </div>
      ) : null}
    </li>
  );
}
