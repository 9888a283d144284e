import "server-only";
import type { z } from "zod";
import {
  addSuppressionByHand,
  getSuppression,
  listSuppressions,
  removeSuppression,
  type SuppressionRow,
} from "@/lib/suppressions/manage-suppressions";
import type { ApiRouteDefinition } from "../define-route";
import {
  ZSuppressionCreateBody,
  ZSuppressionIdParams,
  ZSuppressionList,
  ZSuppressionListQuery,
  ZSuppressionResponse,
} from "../suppression-schemas";

/**
 * The suppression list through a key. Decision (issue 17): a read-and-write key may ADD an
 * address or a domain — it acts as a manager at most, and managers hold `suppression.add`,
 * because adding only ever stops email (a CRM pushing its "do not contact" list is the use).
 * REMOVING lets email go out again, so it stays `suppression.manage`: an admin's, in the app,
 * where they see the entry and why it is there. A key never acts as an admin, so the API
 * answers every removal 403 saying where it is done, rather than leaving the operation out
 * (a program learns why, instead of getting a 405 it cannot act on).
 */

const iso = (row: SuppressionRow) => ({ ...row, createdAt: row.createdAt.toISOString() });

export const listSuppressionsRoute = {
  doc: {
    method: "get",
    path: "/suppressions",
    operationId: "listSuppressions",
    tag: "Suppression list",
    summary: "List the suppression list",
    description: "Addresses and domains campaigns never email, newest first, 50 a page, as Settings → Suppression shows them.",
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
        data: page.rows.map(iso),
        total: page.total,
        nextAfter: page.nextAfter,
      },
    };
  },
} satisfies ApiRouteDefinition<z.ZodUndefined, typeof ZSuppressionListQuery, z.ZodUndefined, z.input<typeof ZSuppressionList>>;

export const addSuppressionRoute = {
  doc: {
    method: "post",
    path: "/suppressions",
    operationId: "addSuppression",
    tag: "Suppression list",
    summary: "Add to the suppression list",
    description:
      "As Add in Settings → Suppression: campaigns stop emailing the address (or anyone at the domain) at once. An entry already on the list is refused (409) saying why it is there. Needs a read and write key of a manager or an admin.",
    status: 201,
    response: ZSuppressionResponse,
  },
  access: "write",
  permission: "suppression.add",
  body: ZSuppressionCreateBody,
  handler: async ({ principal, tx }, { body }) => {
    const { workspaceId, userId, role } = principal;
    const { id } = await addSuppressionByHand(tx, { workspaceId, userId, role }, body);
    return { status: 201, body: { data: iso(await getSuppression(tx, { workspaceId, id })) } };
  },
} satisfies ApiRouteDefinition<z.ZodUndefined, z.ZodUndefined, typeof ZSuppressionCreateBody, z.input<typeof ZSuppressionResponse>>;

export const REMOVE_SUPPRESSION_REFUSAL =
  "Taking an entry off the suppression list lets campaigns email it again, so only an admin does it, in Settings → Suppression. API keys cannot remove entries.";

export const removeSuppressionRoute = {
  doc: {
    method: "delete",
    path: "/suppressions/{id}",
    operationId: "removeSuppression",
    tag: "Suppression list",
    summary: "Remove from the suppression list (refused)",
    description: `Always refused with 403: ${REMOVE_SUPPRESSION_REFUSAL}`,
    status: 204,
  },
  access: "write",
  permission: "suppression.manage",
  forbidden: REMOVE_SUPPRESSION_REFUSAL,
  params: ZSuppressionIdParams,
  // A key never acts as an admin, so the permission check answers first; were that ever to
  // change, the service (and RLS) would still decide.
  handler: async ({ principal, tx }, { params }) => {
    const { workspaceId, userId, role } = principal;
    await removeSuppression(tx, { workspaceId, userId, role }, { id: params.id });
    return { status: 204, body: null };
  },
} satisfies ApiRouteDefinition<typeof ZSuppressionIdParams, z.ZodUndefined, z.ZodUndefined, null>;
