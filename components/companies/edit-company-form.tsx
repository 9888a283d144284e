"use client";
import { updateCompanyDetails } from "@/app/(app)/companies/[companyId]/actions";
import { Field, TextArea, TextInput } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { SubmitButton } from "@/components/ui/submit-button";
import { submitHandler } from "@/components/ui/submit-handler";
import { toast } from "@/components/ui/toast";
import { useAction } from "@/components/use-action";
import type { CompanyDetail } from "@/lib/companies/company-types";

const FIELDS = [
  { name: "name", label: "Name" },
  { name: "domain", label: "Domain", hint: "Like acme.com: leads added later with an email there join this company." },
  { name: "website", label: "Website", type: "url" },
  { name: "linkedinUrl", label: "LinkedIn URL", type: "url" },
  { name: "industry", label: "Industry" },
  { name: "employeeCount", label: "Employees", inputMode: "numeric" },
  { name: "annualRevenue", label: "Annual revenue (USD)", inputMode: "numeric" },
  { name: "country", label: "Country" },
  { name: "city", label: "City" },
] as const;
type FieldName = (typeof FIELDS)[number]["name"] | "description";

const shown = (value: string | number | null) => (value === null ? "" : String(value));

/**
 * The company page's edit form. Only the fields changed from what the page loaded are sent, so
 * a teammate's change to another field meanwhile is kept rather than written back over. Keyed
 * by the company's last update: after a save the fields start from the saved values.
 */
export function EditCompanyForm({ company }: { company: CompanyDetail }) {
  const { run, pending, fieldErrors, error } = useAction(updateCompanyDetails, { showsErrors: true });
  return (
    <form
      key={company.updatedAt}
      method="post"
      noValidate
      aria-label="Edit company"
      className="space-y-3"
      onSubmit={submitHandler((form) => {
        const changed = Object.fromEntries(
          [...FIELDS.map((f) => f.name), "description" as const]
            .map((name: FieldName) => [name, String(form.get(name) ?? "")] as const)
            .filter(([name, value]) => value.trim() !== shown(company[name]).trim()),
        );
        if (Object.keys(changed).length === 0) return toast.success("Nothing to save: no field changed.");
        run({ companyId: company.id, ...changed }, { success: "Company saved." });
      })}
    >
      {FIELDS.map((field) => {
        const id = `company-${field.name}`;
        return (
          <Field
            key={field.name}
            id={id}
            label={field.label}
            error={fieldErrors[field.name]}
            hint={"hint" in field ? field.hint : undefined}
          >
            <TextInput
              id={id}
              name={field.name}
              type={"type" in field ? field.type : "text"}
              inputMode={"inputMode" in field ? field.inputMode : undefined}
              defaultValue={shown(company[field.name])}
              invalid={!!fieldErrors[field.name]}
            />
          </Field>
        );
      })}
      <Field id="company-description" label="Description" error={fieldErrors.description}>
        <TextArea
          id="company-description"
          name="description"
          rows={4}
          defaultValue={company.description ?? ""}
          invalid={!!fieldErrors.description}
        />
      </Field>
      <FormError error={error} fieldErrors={fieldErrors} />
      <SubmitButton pending={pending}>{pending ? "Saving…" : "Save company"}</SubmitButton>
    </form>
  );
}
