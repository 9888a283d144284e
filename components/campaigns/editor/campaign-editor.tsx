"use client";
import { AlertTriangle, Plus } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Field, Select, TextInput } from "@/components/ui/field";
import { toast } from "@/components/ui/toast";
import type { CampaignStatus } from "@/db/schema/campaign-enums";
import { CAMPAIGN_STATUS_LABELS, MAX_STEPS, type CampaignDraft, type StoredAudience } from "@/lib/campaigns/types";
import { audienceHref, audienceLabel } from "../audience-label";
import { CampaignEmailPreview, type UnsavedEdits } from "../preview/campaign-email-preview";
import { canAddStep, moveStep, newStep } from "./draft-steps";
import { SaveStatus } from "./save-status";
import { StepEditor } from "./step-editor";
import { useAutosave, type SaveState } from "./use-autosave";

export type IdentityOption = { id: string; fromName: string; fromEmail: string; archived: boolean };

type Props = {
  initial: CampaignDraft;
  status: CampaignStatus;
  identities: IdentityOption[];
  views: { id: string; name: string }[];
  /** Why the content cannot change now (running, finished, or not the actor's to edit); null when it can. */
  readOnlyReason: string | null;
  /** The audience's counts, rendered on the server (refreshed when the audience changes). */
  audienceCounts?: ReactNode;
  /** Whether the viewer may see the email preview (under the steps, following each save). */
  showPreview?: boolean;
};

const RETURNS_TO_DRAFT: CampaignStatus[] = ["pending_approval", "approved", "paused"];

/** The campaign editor: one form, autosaved whole (useAutosave) a moment after each change. */
export function CampaignEditor({ initial, status, identities, views, readOnlyReason, audienceCounts, showPreview = false }: Props) {
  const router = useRouter();
  const [confirmedEdit, setConfirmedEdit] = useState(false);
  const { draft, setDraft, state, savedVersion } = useAutosave(initial, (saved) => {
    if (saved.returnedToDraft) {
      toast.info("Your change returned the campaign to draft: it needs a new approval before it can be launched.");
    }
    // The page's status, counts, checks and preview are the server's, on the saved content: fetch them again.
    router.refresh();
  });
  const guarded = RETURNS_TO_DRAFT.includes(status) && !confirmedEdit;
  const disabled = readOnlyReason !== null || guarded || state.kind === "stale";
  const update = (change: Partial<CampaignDraft>) => setDraft((d) => ({ ...d, ...change }));
  const setAudience = (audience: StoredAudience | null) => update({ audience });
  const usable = identities.filter((i) => !i.archived || draft.identityIds.includes(i.id));

  return (
    <div className="space-y-5">
      {readOnlyReason ? (
        <p role="status" className="flex items-start gap-2 rounded-md bg-zinc-100 p-3 text-sm text-zinc-800">
          {readOnlyReason}
        </p>
      ) : guarded ? (
        <div
          role="status"
          className="flex flex-wrap items-center gap-3 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900"
        >
          <AlertTriangle aria-hidden className="size-4 shrink-0" />
          <p className="flex-1">
            This campaign is {CAMPAIGN_STATUS_LABELS[status].toLowerCase()}. Changing its emails, audience, identities or settings returns
            it to draft, and it needs a new approval.
          </p>
          <Button variant="secondary" size="sm" onClick={() => setConfirmedEdit(true)}>
            Edit anyway
          </Button>
        </div>
      ) : null}
      <div className="flex items-center justify-end">
        <SaveStatus state={state} />
      </div>

      <fieldset disabled={disabled} className="space-y-5">
        <legend className="sr-only">Campaign</legend>
        <section aria-labelledby="campaign-basics" className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4">
          <h2 id="campaign-basics" className="text-sm font-semibold">
            Basics
          </h2>
          <Field id="campaign-name" label="Name">
            <TextInput id="campaign-name" value={draft.name} maxLength={120} onChange={(e) => update({ name: e.target.value })} />
          </Field>
          <div className="flex flex-wrap gap-x-6 gap-y-2 text-sm text-zinc-800">
            <label className="inline-flex items-center gap-2">
              <input type="checkbox" checked={draft.stopOnReply} onChange={(e) => update({ stopOnReply: e.target.checked })} />
              Stop on reply
            </label>
            <label className="inline-flex items-center gap-2">
              <input type="checkbox" checked={draft.plainTextOnly} onChange={(e) => update({ plainTextOnly: e.target.checked })} />
              Plain text only (no HTML part)
            </label>
          </div>
          <p className="text-xs text-zinc-600">
            Every email ends with an unsubscribe link and the sender’s postal address: that footer is always on.
          </p>
        </section>

        <section aria-labelledby="campaign-audience" className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4">
          <h2 id="campaign-audience" className="text-sm font-semibold">
            Audience
          </h2>
          <p className="text-sm text-zinc-800">
            <span data-testid="audience-label">{audienceLabel(draft.audience)}</span>
            {audienceHref(draft.audience) ? (
              <>
                {" · "}
                <Link href={audienceHref(draft.audience)!} className="text-accent-700 underline underline-offset-2">
                  See these leads
                </Link>
              </>
            ) : null}
          </p>
          {audienceCounts}
          <div className="flex flex-wrap items-end gap-2">
            <div className="w-72">
              <Field id="campaign-view" label="Use a saved view">
                <Select
                  id="campaign-view"
                  value={draft.audience?.kind === "view" ? draft.audience.viewId : ""}
                  onChange={(e) => {
                    const view = views.find((v) => v.id === e.target.value);
                    if (view) setAudience({ kind: "view", viewId: view.id, viewName: view.name, query: "" });
                  }}
                >
                  <option value="" disabled>
                    {views.length === 0 ? "No saved views yet" : "Choose a view…"}
                  </option>
                  {views.map((v) => (
                    <option key={v.id} value={v.id}>
                      {v.name}
                    </option>
                  ))}
                </Select>
              </Field>
            </div>
            {draft.audience ? (
              <Button variant="ghost" size="sm" onClick={() => setAudience(null)}>
                Remove the audience
              </Button>
            ) : null}
          </div>
          <p className="text-xs text-zinc-600">
            For a filter or hand-picked leads, work in the{" "}
            <Link href="/leads" className="text-accent-700 underline underline-offset-2">
              lead table
            </Link>
            : “Use these filters for a campaign”, or select leads and “Add to campaign”.
          </p>
        </section>

        <section aria-labelledby="campaign-identities" className="space-y-2 rounded-lg border border-zinc-200 bg-white p-4">
          <h2 id="campaign-identities" className="text-sm font-semibold">
            Send from
          </h2>
          {usable.length === 0 ? (
            <p className="text-sm text-zinc-700">
              No sending identities yet. An admin adds them in{" "}
              <Link href="/settings/sending" className="text-accent-700 underline underline-offset-2">
                Settings → Sending
              </Link>
              .
            </p>
          ) : (
            <ul className="space-y-1">
              {usable.map((identity) => (
                <li key={identity.id}>
                  <label className="inline-flex items-center gap-2 text-sm text-zinc-800">
                    <input
                      type="checkbox"
                      checked={draft.identityIds.includes(identity.id)}
                      onChange={(e) =>
                        update({
                          identityIds: e.target.checked
                            ? [...draft.identityIds, identity.id]
                            : draft.identityIds.filter((id) => id !== identity.id),
                        })
                      }
                    />
                    {identity.fromName} &lt;{identity.fromEmail}&gt;
                    {identity.archived ? <span className="text-xs text-zinc-500">(archived)</span> : null}
                  </label>
                </li>
              ))}
            </ul>
          )}
          <p className="text-xs text-zinc-600">With several identities, leads are spread across them, each within its own daily cap.</p>
        </section>

        <section aria-labelledby="campaign-steps" className="space-y-3">
          <h2 id="campaign-steps" className="text-sm font-semibold">
            Steps
          </h2>
          {draft.steps.length === 0 ? <p className="text-sm text-zinc-700">No emails yet: add the first step.</p> : null}
          {draft.steps.map((step, index) => (
            <StepEditor
              key={step.id}
              step={step}
              index={index}
              count={draft.steps.length}
              disabled={disabled}
              onChange={(next) => update({ steps: draft.steps.map((s) => (s.id === step.id ? next : s)) })}
              onMove={(by) => update({ steps: moveStep(draft.steps, index, by) })}
              onRemove={() => update({ steps: draft.steps.filter((s) => s.id !== step.id) })}
            />
          ))}
          {canAddStep(draft.steps) ? (
            <Button variant="secondary" onClick={() => update({ steps: [...draft.steps, newStep(draft.steps.at(-1))] })}>
              <Plus aria-hidden className="size-4" />
              Add a step
            </Button>
          ) : (
            <p className="text-xs text-zinc-600">A campaign has at most {MAX_STEPS} steps.</p>
          )}
          <p className="text-xs text-zinc-600">
            Personalise with {"{{ first_name }}"}, {"{{ company }}"}, {"{{ title }}"}, {"{{ city }}"}, {"{{ custom.your_field }}"}… and give
            a fallback for leads without a value: {'{{ first_name | default: "there" }}'}.
          </p>
        </section>
      </fieldset>
      {showPreview && draft.steps.length > 0 ? (
        <CampaignEmailPreview campaignId={initial.campaignId} version={savedVersion} unsavedEdits={unsavedEdits(state)} />
      ) : null}
    </div>
  );
}

/** What the preview, which shows the saved content, should say of the editor's changes. */
function unsavedEdits(state: SaveState): UnsavedEdits | null {
  if (state.kind === "dirty" || state.kind === "saving") return "saving";
  if (state.kind === "saved") return null;
  return "not_saved";
}
