import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { requirePageSession } from "@/app/_server/session";
import { startLeadImportAction } from "../actions";
import { MappingEditor } from "@/components/imports/mapping/mapping-editor";
import { PageHeader } from "@/components/ui/page-header";
import { withUserTx } from "@/db";
import { getLeadImport } from "@/lib/imports/get-lead-import";
import { IMPORT_PRESETS, detectPreset } from "@/lib/imports/presets/detect";
import { listImportPreviewRows } from "@/lib/imports/preview-rows";
import { candidateDomains } from "@/lib/imports/company-links";
import { companyNamesAtDomains } from "@/lib/companies/company-names-at-domains";
import { listImportMappings } from "@/lib/imports/saved-mappings/saved-mappings";
import { can } from "@/lib/auth/permissions";
import { listMembers } from "@/lib/team/list-members";

export const metadata: Metadata = { title: "Map columns" };

type Props = { params: Promise<{ id: string }> };

export default async function ImportMappingPage({ params }: Props) {
  const session = await requirePageSession("imports.run");
  const { id } = await params;
  // Not a uuid is "not found" too, rather than a failed query.
  if (!z.uuid().safeParse(id).success) notFound();
  const workspaceId = session.current.workspaceId;
  const actor = { workspaceId, userId: session.userId, role: session.current.role };

  const loaded = await withUserTx(session.claims, async (tx) => {
    const imp = await getLeadImport(tx, { workspaceId, importId: id });
    if (!imp) return { kind: "missing" as const };
    // Once started, its mapping is fixed: the import's own page shows how it goes.
    if (imp.status !== "mapping") return { kind: "started" as const };
    // One transaction, one connection: the reads run one after another.
    const rows = await listImportPreviewRows(tx, { workspaceId, importId: id });
    const members = await listMembers(tx, { workspaceId });
    const saved = await listImportMappings(tx, actor);
    const companies = await companyNamesAtDomains(tx, { workspaceId, domains: candidateDomains(rows) });
    return { kind: "mapping" as const, imp, rows, members, saved, companies };
  });
  if (loaded.kind === "missing") notFound();
  if (loaded.kind === "started") redirect(`/imports/${id}`);
  const { imp, rows, members, saved, companies } = loaded;

  const detected = detectPreset(imp.headers);
  // Leads can be given to the members who may work leads; viewers and analysts only read them.
  const owners = members.filter((m) => can(m.role, "leads.edit_own")).map((m) => ({ id: m.userId, name: m.fullName || m.email }));

  return (
    <>
      <PageHeader
        title={`Map the columns of ${imp.fileName}`}
        description={`${imp.totalRows.toLocaleString("en-US")} rows, ${imp.headers.length} columns. Choose what each column fills, check the preview, then start the import.`}
        actions={
          <Link href="/imports" className="text-sm text-accent-700 hover:underline">
            All imports
          </Link>
        }
      />
      <MappingEditor
        importId={imp.id}
        headers={imp.headers}
        rows={rows}
        companies={companies}
        detected={detected}
        presets={IMPORT_PRESETS.map((p) => ({ id: p.id, label: p.label }))}
        saved={saved.map((m) => ({ id: m.id, name: m.name, columns: m.columns, canChange: m.canChange, createdByName: m.createdByName }))}
        owners={owners}
        currentUserId={session.userId}
        start={startLeadImportAction}
      />
    </>
  );
}
