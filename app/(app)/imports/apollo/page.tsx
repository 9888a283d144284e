import { SampleDataBadge } from "@/components/integrations/sample-data";
import { PlugZap } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { requirePageSession } from "@/app/_server/session";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { withUserTx } from "@/db";
import { hasPermission } from "@/lib/auth/session";
import { listIntegrationAccounts } from "@/lib/integrations/accounts/accounts";
import { APOLLO_IMPORT_MAX_PEOPLE } from "@/lib/integrations/apollo/import/start-apollo-import";
import { ApolloSearch } from "./apollo-search";

export const metadata: Metadata = { title: "Search Apollo" };

export default async function Page() {
  const session = await requirePageSession("imports.run");
  const accounts = await withUserTx(session.claims, (tx) => listIntegrationAccounts(tx, { workspaceId: session.current.workspaceId }));
  const apollo = accounts.find((a) => a.vendor === "apollo" && a.status !== "disconnected");
  const admin = hasPermission(session, "integrations.manage");
  return (
    <>
      <PageHeader
        title="Search Apollo"
        description="Find people with Apollo's free search, then import them: their emails are revealed with Apollo's enrichment, which spends credits, and they land with the same duplicate rules as a CSV upload."
        actions={apollo?.sandbox ? <SampleDataBadge /> : null}
      />
      <div className="space-y-4 p-6">
        {apollo ? (
          <ApolloSearch sandbox={apollo.sandbox} userId={session.userId} maxPeople={APOLLO_IMPORT_MAX_PEOPLE} />
        ) : (
          <EmptyState
            icon={PlugZap}
            title="Connect Apollo first"
            action={
              admin ? (
                <Link href="/settings/integrations" className="text-sm font-medium text-accent-700 hover:underline">
                  Connect it in Settings → Integrations
                </Link>
              ) : null
            }
          >
            {admin
              ? "Apollo is not connected to this workspace. Connect it with an API key (a master key, for search), or try the sandbox with sample people."
              : "Apollo is not connected to this workspace. Ask an admin to connect it in Settings → Integrations."}
          </EmptyState>
        )}
      </div>
    </>
  );
}
