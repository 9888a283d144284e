"use client";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Select, TextInput } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { formText, submitHandler } from "@/components/ui/submit-handler";
import { toast } from "@/components/ui/toast";
import { useAction } from "@/components/use-action";
import { API_KEY_SCOPE_LABELS, API_KEY_SCOPES, type ApiKeyScope } from "@/lib/api-keys/scopes";
import { createApiKeyAction } from "./actions";

const LIFETIMES = [
  { value: "", label: "Never" },
  { value: "7", label: "In 7 days" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "365", label: "In a year" },
];

/** Makes a key and shows its secret once, to copy now: it cannot be shown again. */
export function CreateApiKeyForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const create = useAction(createApiKeyAction);
  const [made, setMade] = useState<{ name: string; secret: string } | null>(null);
  const errors = create.fieldErrors;

  async function copy(secret: string) {
    try {
      await navigator.clipboard.writeText(secret);
      toast.success("Key copied.");
    } catch {
      toast.error("Could not copy: select the key and copy it by hand.");
    }
  }

  return (
    <div className="space-y-4">
      <form
        ref={formRef}
        method="post"
        noValidate
        aria-label="Create an API key"
        onSubmit={submitHandler((form) => {
          const name = formText(form, "name");
          const days = formText(form, "expiresInDays");
          create.run(
            {
              name,
              scope: formText(form, "scope") as ApiKeyScope,
              expiresInDays: days ? (Number(days) as 7 | 30 | 90 | 365) : null,
            },
            {
              onSuccess: ({ secret }) => {
                setMade({ name, secret });
                formRef.current?.reset();
              },
            },
          );
        })}
        className="grid items-start gap-3 sm:grid-cols-[2fr_1fr_1fr_auto]"
      >
        <Field id="api-key-name" label="Name" error={errors.name} hint="What will use it, like “CRM sync”.">
          <TextInput id="api-key-name" name="name" autoComplete="off" maxLength={100} invalid={!!errors.name} />
        </Field>
        <Field id="api-key-scope" label="Access" error={errors.scope}>
          <Select id="api-key-scope" name="scope" defaultValue="read" invalid={!!errors.scope}>
            {API_KEY_SCOPES.map((scope) => (
              <option key={scope} value={scope}>
                {API_KEY_SCOPE_LABELS[scope]}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="api-key-expires" label="Expires" error={errors.expiresInDays}>
          <Select id="api-key-expires" name="expiresInDays" defaultValue="90" invalid={!!errors.expiresInDays}>
            {LIFETIMES.map((l) => (
              <option key={l.value} value={l.value}>
                {l.label}
              </option>
            ))}
          </Select>
        </Field>
        <div className="sm:pt-5">
          <SubmitButton pending={create.pending}>Create key</SubmitButton>
        </div>
      </form>
      {made ? (
        <div role="status" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-4">
          <p className="text-sm font-medium text-amber-900">Copy the key “{made.name}” now: it will not be shown again.</p>
          <div className="flex flex-wrap items-center gap-2">
            <label htmlFor="api-key-secret" className="sr-only">
              New API key
            </label>
            <input
              id="api-key-secret"
              readOnly
              value={made.secret}
              onFocus={(e) => e.currentTarget.select()}
              className="min-w-0 flex-1 rounded-md border border-amber-300 bg-white px-2.5 py-1.5 font-mono text-sm"
            />
            <Button type="button" variant="secondary" size="sm" onClick={() => copy(made.secret)}>
              Copy
            </Button>
            <Button type="button" variant="ghost" size="sm" onClick={() => setMade(null)}>
              Done
            </Button>
          </div>
          <p className="text-xs text-amber-900">Send it in the Authorization header: Authorization: Bearer {made.secret.slice(0, 10)}…</p>
        </div>
      ) : null}
    </div>
  );
}
