import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageSession } from "@/app/_server/session";
import { LeadDetail } from "@/components/leads/detail/lead-detail";
import { loadLeadDetail } from "@/components/leads/detail/load-lead-detail";
import { PageHeader } from "@/components/ui/page-header";
import { leadDisplayName } from "@/lib/leads/lead-fields";

export const metadata: Metadata = { title: "Lead" };

type Props = { params: Promise<{ leadId: string }>; searchParams: Promise<{ before?: string | string[] }> };

export default async function LeadPage({ params, searchParams }: Props) {
  const session = await requirePageSession();
  const { leadId } = await params;
  const { before } = await searchParams;
  const view = await loadLeadDetail(session, leadId, { before: typeof before === "string" ? before : undefined });
  if (!view) notFound();
  const { lead } = view.detail;
  return (
    <>
      <PageHeader
        title={leadDisplayName(lead)}
        description={[lead.title, lead.companyName].filter(Boolean).join(" at ") || undefined}
        actions={
          <Link href="/leads" className="text-sm text-accent-700 hover:underline">
            All leads
          </Link>
        }
      />
      <div className="p-6">
        <LeadDetail view={view} />
      </div>
    </>
  );
}
