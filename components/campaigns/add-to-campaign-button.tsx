"use client";
import { Dialog } from "radix-ui";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { addLeadsToCampaign, createCampaign } from "@/app/(app)/campaigns/actions";
import { Button } from "@/components/ui/button";
import { Field, Select, TextInput } from "@/components/ui/field";
import { useAction } from "@/components/use-action";
import { MAX_AUDIENCE_IDS } from "@/lib/campaigns/types";

export type CampaignTarget = { id: string; name: string };

type Props = {
  /** Chosen rows, or the lead table's query when every lead matching the filter is selected. */
  selection: { ids: string[] } | { filterQuery: string };
  /** The actor's drafts whose audience is picked leads (or none yet). */
  targets: CampaignTarget[];
  disabled?: boolean;
};

const NEW = "new";

/**
 * The lead table's "Add to campaign": picked leads go into a new draft or one of the rep's
 * drafts of picked leads; every lead matching a filter starts a new campaign for that filter.
 */
export function AddToCampaignButton({ selection, targets, disabled }: Props) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [target, setTarget] = useState(NEW);
  const [name, setName] = useState("");
  const create = useAction(createCampaign);
  const add = useAction(addLeadsToCampaign);
  const pending = create.pending || add.pending;
  const ids = "ids" in selection ? selection.ids : null;
  const tooMany = ids !== null && ids.length > MAX_AUDIENCE_IDS;

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!ids) {
      return router.push(`/campaigns/new?filter=${encodeURIComponent("filterQuery" in selection ? selection.filterQuery : "")}`);
    }
    if (target === NEW) {
      return create.run({ name, audience: { kind: "ids", ids } }, { onSuccess: ({ id }) => router.push(`/campaigns/${id}`) });
    }
    add.run(
      { campaignId: target, ids },
      {
        success: ({ added, total }) =>
          `Added ${added.toLocaleString("en")} ${added === 1 ? "lead" : "leads"} (${total.toLocaleString("en")} in the campaign).`,
        onSuccess: () => router.push(`/campaigns/${target}`),
      },
    );
  }

  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <Button variant="secondary" size="sm" disabled={disabled}>
          Add to campaign
        </Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-900/30" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 w-full max-w-md -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-5 shadow-xl">
          <Dialog.Title className="text-sm font-semibold">Add to campaign</Dialog.Title>
          <Dialog.Description className="mt-1 mb-4 text-sm text-zinc-600">
            {ids
              ? `${ids.length.toLocaleString("en")} selected ${ids.length === 1 ? "lead" : "leads"} become the campaign’s audience. Nothing is sent until an admin approves.`
              : "Every lead matching this filter: a new campaign is started for the filter, resolved again when it is checked and sent."}
          </Dialog.Description>
          <form onSubmit={submit} className="space-y-4">
            {tooMany ? (
              <p role="alert" className="text-sm text-red-700">
                A campaign holds at most {MAX_AUDIENCE_IDS.toLocaleString("en")} picked leads. Select fewer, or use “Use these filters for a
                campaign”.
              </p>
            ) : null}
            {ids ? (
              <>
                <Field id="add-to-campaign-target" label="Campaign">
                  <Select id="add-to-campaign-target" value={target} onChange={(e) => setTarget(e.target.value)}>
                    <option value={NEW}>A new campaign</option>
                    {targets.map((t) => (
                      <option key={t.id} value={t.id}>
                        {t.name}
                      </option>
                    ))}
                  </Select>
                </Field>
                {target === NEW ? (
                  <Field id="add-to-campaign-name" label="Name of the new campaign" error={create.fieldErrors.name}>
                    <TextInput id="add-to-campaign-name" value={name} maxLength={120} required onChange={(e) => setName(e.target.value)} />
                  </Field>
                ) : null}
              </>
            ) : null}
            <div className="flex justify-end gap-2">
              <Dialog.Close asChild>
                <Button variant="secondary">Cancel</Button>
              </Dialog.Close>
              <Button type="submit" disabled={tooMany} busy={pending}>
                {!ids ? "Start a campaign" : target === NEW ? "Create draft" : "Add leads"}
              </Button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
