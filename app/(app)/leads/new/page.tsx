import type { Metadata } from "next";
import { requirePageSession } from "@/app/_server/session";
import { PageHeader } from "@/components/ui/page-header";
import { NewLeadForm } from "./new-lead-form";

export const metadata: Metadata = { title: "New lead" };

export default async function NewLeadPage() {
  await requirePageSession("leads.create");
  return (
    <>
      <PageHeader
        title="New lead"
        description="Add one person by hand. You will own the lead; leave the company blank and it joins the one at the email's domain."
      />
      <div className="max-w-3xl p-6">
        <NewLeadForm />
      </div>
    </>
  );
}
