import "server-only";
import type { z } from "zod";
import { listSuppressions } from "@/lib/suppressions/manage-suppressions";
import type { ApiRouteDefinition } from "../define-route";
import { ZSuppressionList, ZSuppressionListQuery } from "../suppression-schemas";

export const listSuppressionsRoute = {
  doc: {
    method: "get",
    path: "/suppressions",
    operationId: "listSuppressions",
    tag: "Suppression list",
    summary: "List the suppression list",
    description:
      "Addresses and domains campaigns never email, newest first, 50 a page, as Settings → Suppression shows them. Changing the list stays with the workspace's admins in the app.",
    status: 200,
    response: ZSuppressionList,
  },
  access: "read",
  permission: "workspace.read",
  query: ZSuppressionListQuery,
  handler: async ({ principal, tx }, { query }) => {
    const page = await listSuppressions(tx, { workspaceId: principal.workspaceId, search: query.q, after: query.after ?? null });
    return {
      body: {
        data: page.rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() })),
        total: page.total,
        nextAfter: page.nextAfter,
      },
    };
  },
} satisfies ApiRouteDefinition<z.ZodUndefined, typeof ZSuppressionListQuery, z.ZodUndefined, z.input<typeof ZSuppressionList>>;
