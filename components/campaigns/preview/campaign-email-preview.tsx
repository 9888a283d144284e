"use client";
import { Eye, OctagonX, RefreshCw, Send } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";
import { sendCampaignTestEmailAction } from "@/app/(app)/campaigns/preview-actions";
import { messageFrameDocument } from "@/components/outbox/message-frame";
import { Button } from "@/components/ui/button";
import { Field, Select, TextInput } from "@/components/ui/field";
import { useAction } from "@/components/use-action";
import type { CampaignEmailPreview as Preview } from "@/lib/campaigns/templates/preview-campaign-email";
import type { TemplateProblem } from "@/lib/campaigns/templates/render-campaign-email";
import { EXCLUSION_REASONS } from "@/lib/campaigns/types";
import { usePreviewLoader, type PreviewChoice as Choice } from "./use-preview-loader";

/** The editor's changes the preview cannot show yet: about to be saved, or not savable now. */
export type UnsavedEdits = "saving" | "not_saved";

/**
 * Any step and variant of a campaign, for any lead of its audience, exactly as it would be sent:
 * From, subject, the unsubscribe headers, the HTML part in a sandboxed frame (no scripts, no
 * requests) and the text part; and "Send a test to me". Shown under the campaign editor. It
 * renders the saved content: it loads again when a save gives the draft a new `version`, and says
 * so while the editor's changes are not saved yet.
 */
export function CampaignEmailPreview({
  campaignId,
  initial,
  headingLevel = 2,
  version,
  unsavedEdits = null,
}: {
  campaignId: string;
  initial?: Preview;
  headingLevel?: 2 | 3;
  /** The saved draft's version (campaigns.updated_at): a new one is content to show. */
  version?: string;
  unsavedEdits?: UnsavedEdits | null;
}) {
  const H = headingLevel === 2 ? "h2" : "h3";
  const id = useId();
  const [search, setSearch] = useState("");
  const { preview, error, loading, load, reload } = usePreviewLoader(campaignId, initial ?? null);
  const sendTest = useAction(sendCampaignTestEmailAction);

  useEffect(() => {
    if (!initial) load({}, "");
    // Loaded once per campaign; later loads follow the choices and the saves.
  }, [campaignId]);

  const shownVersion = useRef(version);
  useEffect(() => {
    if (version === shownVersion.current) return;
    shownVersion.current = version;
    reload();
  }, [version, reload]);

  const selection = preview?.selection;
  const current: Choice = {
    stepId: selection?.stepId ?? undefined,
    variantLabel: selection?.variantLabel ?? undefined,
    identityId: selection?.identityId ?? undefined,
    leadId: selection?.leadId ?? undefined,
  };
  const step = preview?.steps.find((s) => s.id === selection?.stepId);
  const result = preview?.result;

  return (
    <section
      data-testid="campaign-email-preview"
      aria-labelledby={`${id}-title`}
      aria-busy={loading}
      className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4 text-sm"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <H id={`${id}-title`} className="flex items-center gap-1.5 text-sm font-semibold">
          <Eye aria-hidden className="size-4" /> Preview
        </H>
        <div className="flex items-center gap-2">
          <Button variant="ghost" size="sm" busy={loading} onClick={() => load(current, search)}>
            <RefreshCw aria-hidden className="size-3.5" /> {loading ? "Loading…" : "Refresh"}
          </Button>
          <Button
            variant="secondary"
            size="sm"
            // A test goes out as saved, like the preview: not while the editor is saving a change.
            disabled={!result?.ok || unsavedEdits === "saving"}
            busy={sendTest.pending}
            onClick={() =>
              sendTest.run({ campaignId, ...current }, { success: (sent) => `Test sent to ${sent.to}, filled in for ${sent.leadName}.` })
            }
          >
            <Send aria-hidden className="size-3.5" /> {sendTest.pending ? "Sending…" : "Send a test to me"}
          </Button>
        </div>
      </div>
      {unsavedEdits === "saving" ? (
        <p className="text-xs text-zinc-600">Your latest edit shows here once it is saved…</p>
      ) : unsavedEdits === "not_saved" ? (
        <p className="text-xs text-amber-800">Out of date: this is the last saved version, without your latest edit (not saved).</p>
      ) : null}

      {preview ? (
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <Field id={`${id}-step`} label="Step">
            <Select
              id={`${id}-step`}
              value={selection?.stepId ?? ""}
              onChange={(e) => load({ ...current, stepId: e.target.value, variantLabel: undefined }, search)}
            >
              {preview.steps.map((s) => (
                <option key={s.id} value={s.id}>
                  Step {s.position}
                </option>
              ))}
            </Select>
          </Field>
          <Field id={`${id}-variant`} label="Variant">
            <Select
              id={`${id}-variant`}
              value={selection?.variantLabel ?? ""}
              onChange={(e) => load({ ...current, variantLabel: e.target.value as Choice["variantLabel"] }, search)}
            >
              {(step?.variants ?? []).map((label) => (
                <option key={label} value={label}>
                  Variant {label}
                </option>
              ))}
            </Select>
          </Field>
          <Field id={`${id}-identity`} label="Sent from">
            <Select
              id={`${id}-identity`}
              value={selection?.identityId ?? ""}
              onChange={(e) => load({ ...current, identityId: e.target.value }, search)}
            >
              {preview.identities.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.label}
                </option>
              ))}
            </Select>
          </Field>
          <div className="space-y-2">
            <Field id={`${id}-search`} label="Find a lead of the audience">
              <TextInput
                id={`${id}-search`}
                type="search"
                value={search}
                placeholder="Name, email, company…"
                onChange={(e) => {
                  setSearch(e.target.value);
                  load({ ...current, leadId: undefined }, e.target.value);
                }}
              />
            </Field>
            <Field id={`${id}-lead`} label="Lead">
              <Select
                id={`${id}-lead`}
                value={selection?.leadId ?? ""}
                onChange={(e) => load({ ...current, leadId: e.target.value }, search)}
              >
                {preview.leads.length === 0 ? <option value="">No lead matches</option> : null}
                {preview.leads.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.name}
                    {l.email && l.email !== l.name ? ` — ${l.email}` : ""}
                    {l.excludedReason ? ` (left out: ${EXCLUSION_REASONS[l.excludedReason]})` : ""}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
        </div>
      ) : null}

      {error ? (
        <p role="alert" className="text-red-700">
          {error}
        </p>
      ) : null}
      {!preview && !error ? <p className="text-zinc-600">Loading the preview…</p> : null}
      {preview?.missing ? <p className="text-zinc-600">{preview.missing}</p> : null}
      {result && !result.ok ? <BlockedNotice problems={result.problems} /> : null}
      {result?.ok ? <RenderedEmail email={result.email} /> : null}
    </section>
  );
}

function BlockedNotice({ problems }: { problems: TemplateProblem[] }) {
  return (
    <div role="status" className="space-y-1 rounded-md border border-red-200 bg-red-50 p-3 text-red-800">
      <p className="flex items-center gap-1 font-medium">
        <OctagonX aria-hidden className="size-4" /> This lead would not get this email:
      </p>
      <ul className="list-disc space-y-0.5 pl-5">
        {problems.map((p, i) => (
          <li key={i}>
            {p.message}
            {p.line ? (
              <span className="text-red-700">
                {" "}
                ({p.part}, line {p.line}, column {p.column})
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

function RenderedEmail({ email }: { email: NonNullable<Extract<Preview["result"], { ok: true }>>["email"] }) {
  return (
    <div className="space-y-3">
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
        {[
          ["From", email.from],
          ...(email.replyTo ? [["Reply-To", email.replyTo]] : []),
          ["Subject", email.subject],
          ...Object.entries(email.headers),
        ].map(([name, value]) => (
          <div key={name} className="contents">
            <dt className="text-xs font-medium text-zinc-600">{name}</dt>
            <dd className={name!.startsWith("List-") ? "font-mono text-xs break-all" : "break-all"}>{value}</dd>
          </div>
        ))}
      </dl>
      {email.html !== null ? (
        <div className="space-y-1">
          <p className="text-xs font-medium text-zinc-600">HTML part</p>
          <iframe
            title="Message body"
            sandbox="allow-popups allow-popups-to-escape-sandbox"
            srcDoc={messageFrameDocument(email.html)}
            className="h-80 w-full rounded-md border border-zinc-200"
          />
        </div>
      ) : (
        <p className="text-xs text-zinc-600">Plain text only: this email has no HTML part.</p>
      )}
      <div className="space-y-1">
        <p className="text-xs font-medium text-zinc-600">Text part</p>
        <pre
          tabIndex={0}
          aria-label="Text part"
          className="max-h-80 overflow-auto rounded-md border border-zinc-200 bg-zinc-50 p-3 text-xs whitespace-pre-wrap"
        >
          {email.text}
        </pre>
      </div>
    </div>
  );
}
