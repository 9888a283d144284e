"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { createCampaign } from "@/app/(app)/campaigns/actions";
import { Button } from "@/components/ui/button";
import { Field, Select, TextInput } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useAction } from "@/components/use-action";
import type { AudienceChoice } from "@/lib/campaigns/schemas";

type Props = { views: { id: string; name: string }[]; initial: AudienceChoice | null };

/** Name and audience of a new draft; on success the editor opens. */
export function NewCampaignForm({ views, initial }: Props) {
  const router = useRouter();
  const { run, pending, fieldErrors, error } = useAction(createCampaign, { showsErrors: true });
  const [name, setName] = useState(initial?.kind === "view" ? `Campaign for “${views.find((v) => v.id === initial.viewId)?.name}”` : "");
  const [source, setSource] = useState<string>(initial?.kind === "filter" ? "filter" : initial?.kind === "view" ? initial.viewId : "");

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const audience: AudienceChoice | undefined =
      source === "filter" && initial?.kind === "filter" ? initial : source ? { kind: "view", viewId: source } : undefined;
    run({ name, audience }, { onSuccess: ({ id }) => router.push(`/campaigns/${id}`) });
  }

  return (
    <form onSubmit={submit} className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4">
      <Field id="campaign-name" label="Name" error={fieldErrors.name}>
        <TextInput
          id="campaign-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={120}
          required
          invalid={Boolean(fieldErrors.name)}
          placeholder="e.g. Cafés in Lyon — spring follow-up"
        />
      </Field>
      <Field id="campaign-audience" label="Audience" hint="You can change it in the editor. Nothing is sent until an admin approves.">
        <Select id="campaign-audience" value={source} onChange={(e) => setSource(e.target.value)}>
          <option value="">Choose later</option>
          {initial?.kind === "filter" ? <option value="filter">The lead table’s current filter</option> : null}
          {views.map((v) => (
            <option key={v.id} value={v.id}>
              Saved view: {v.name}
            </option>
          ))}
        </Select>
      </Field>
      <FormError error={error} fieldErrors={fieldErrors} />
      <Button type="submit" busy={pending}>
        {pending ? "Creating…" : "Create draft"}
      </Button>
    </form>
  );
}
