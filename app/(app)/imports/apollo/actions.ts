"use server";
import { defineAction } from "@/app/_server/action";
import type { WorkspaceSession } from "@/lib/auth/session";
import { searchApolloForWorkspace, ZApolloSearchRequest } from "@/lib/integrations/apollo/import/search-for-workspace";
import {
  estimateApolloImport,
  sendApolloImportEvent,
  startApolloImport,
  ZEstimateApolloImport,
  ZStartApolloImport,
  type ApolloImportStarted,
} from "@/lib/integrations/apollo/import/start-apollo-import";

/**
 * People search and "import and enrich" from Apollo (lib/integrations/apollo/import/): the
 * search and the estimate are free; only the started import's job spends credits.
 */
const actorOf = (session: WorkspaceSession) => ({
  workspaceId: session.current.workspaceId,
  userId: session.userId,
  role: session.current.role,
});

export const searchApollo = defineAction({
  name: "searchApollo",
  workspaceLimit: "vendor-calls",
  auth: "imports.run",
  schema: ZApolloSearchRequest,
  handler: ({ session, tx }, input) => searchApolloForWorkspace(tx, actorOf(session), input),
});

export const estimateApolloImportAction = defineAction({
  name: "estimateApolloImportAction",
  workspaceLimit: "vendor-calls",
  auth: "imports.run",
  schema: ZEstimateApolloImport,
  handler: ({ session, tx }, input) => estimateApolloImport(tx, actorOf(session), input),
});

export const startApolloImportAction = defineAction({
  name: "startApolloImportAction",
  workspaceLimit: "vendor-runs",
  auth: "imports.run",
  schema: ZStartApolloImport,
  revalidate: ["/imports"],
  handler: ({ session, tx }, input) => startApolloImport(tx, actorOf(session), input),
  afterCommit: async ({ session }: { session: WorkspaceSession }, started: ApolloImportStarted) => {
    await sendApolloImportEvent({
      workspaceId: session.current.workspaceId,
      importId: started.importId,
      accountId: started.accountId,
      requestedBy: session.userId,
    });
    return started;
  },
});
