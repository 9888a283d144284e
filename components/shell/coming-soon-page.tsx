import type { LucideIcon } from "lucide-react";
import { requirePageSession } from "@/app/_server/session";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import type { Permission } from "@/lib/auth/permissions";

type Props = { permission: Permission; title: string; description: string; icon: LucideIcon; emptyTitle: string; children: string };

/** A section whose feature has not landed yet: checks access like any page, then says what will be here. */
export async function ComingSoonPage({ permission, title, description, icon, emptyTitle, children }: Props) {
  await requirePageSession(permission);
  return (
    <>
      <PageHeader title={title} description={description} />
      <div className="p-6">
        <EmptyState icon={icon} title={emptyTitle}>
          {children}
        </EmptyState>
      </div>
    </>
  );
}
