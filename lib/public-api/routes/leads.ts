import "server-only";
import { DEFAULT_LEAD_LIST_STATE } from "@/lib/leads/list-state";
import { createLead } from "@/lib/leads/create-lead";
import { getLeadRecord } from "@/lib/leads/get-lead";
import { listLeads } from "@/lib/leads/list-leads";
import { editLead } from "@/lib/leads/edit-lead";
import { startBulkOperation } from "@/lib/leads/bulk/start-bulk-operation";
import type { TransactionSql } from "postgres";
import { apiKeyStillActiveById } from "@/lib/api-keys/key-still-active";
import { upsertLeads } from "@/lib/imports/upsert-leads";
import { ZLeadBulkBody, ZLeadBulkResult } from "../lead-bulk-schemas";
import { ApiError, keyWithdrawn } from "../errors";
import type { ApiRouteDefinition } from "../define-route";
import { ZLeadCreateBody, ZLeadIdParams, ZLeadList, ZLeadListQuery, ZLeadResponse, ZLeadUpdateBody } from "../lead-schemas";
import { keysetListHandler } from "./keyset-list";
import type { z } from "zod";

/** The leads operations: each parses, then calls the service the lead table and forms call. */

export const listLeadsRoute = {
  doc: {
    method: "get",
    path: "/leads",
    operationId: "listLeads",
    tag: "Leads",
    summary: "List leads",
    description:
      "The lead table's filters, search, sort and keyset pages, with the same parameter names as its URL. Follow `nextCursor` until it is null.",
    status: 200,
    response: ZLeadList,
  },
  access: "read",
  permission: "workspace.read",
  query: ZLeadListQuery,
  handler: keysetListHandler({
    defaults: DEFAULT_LEAD_LIST_STATE,
    read: ({ principal, tx }, state) => listLeads(tx, { workspaceId: principal.workspaceId, userId: principal.userId, state }),
    // The list's notices say a cursor was not taken (it gave the first page instead).
    unfitCursor: (page) => page.notices.length > 0,
    cursorMustFit: "this sort or filter",
  }),
} satisfies ApiRouteDefinition<z.ZodUndefined, typeof ZLeadListQuery, z.ZodUndefined, z.input<typeof ZLeadList>>;

export const getLeadRoute = {
  doc: {
    method: "get",
    path: "/leads/{id}",
    operationId: "getLead",
    tag: "Leads",
    summary: "Get a lead",
    description: "One lead, deleted or not. A lead of another workspace is not found (404).",
    status: 200,
    response: ZLeadResponse,
  },
  access: "read",
  permission: "workspace.read",
  params: ZLeadIdParams,
  handler: async ({ principal, tx }, { params }) => ({
    body: { data: await getLeadRecord(tx, { workspaceId: principal.workspaceId, leadId: params.id }) },
  }),
} satisfies ApiRouteDefinition<typeof ZLeadIdParams, z.ZodUndefined, z.ZodUndefined, z.input<typeof ZLeadResponse>>;

export const createLeadRoute = {
  doc: {
    method: "post",
    path: "/leads",
    operationId: "createLead",
    tag: "Leads",
    summary: "Create a lead",
    description:
      "As Add lead in the app: the key's creator owns it, it joins the company of its email's domain, and a second lead with the same email or LinkedIn URL is refused (409) naming the field.",
    status: 201,
    response: ZLeadResponse,
  },
  access: "write",
  permission: "leads.create",
  body: ZLeadCreateBody,
  handler: async ({ principal, tx }, { body }) => {
    const actor = { userId: principal.userId, role: principal.role };
    const { leadId } = await createLead(tx, { workspaceId: principal.workspaceId, actor, fields: body });
    return { status: 201, body: { data: await getLeadRecord(tx, { workspaceId: principal.workspaceId, leadId }) } };
  },
} satisfies ApiRouteDefinition<z.ZodUndefined, z.ZodUndefined, typeof ZLeadCreateBody, z.input<typeof ZLeadResponse>>;

export const updateLeadRoute = {
  doc: {
    method: "patch",
    path: "/leads/{id}",
    operationId: "updateLead",
    tag: "Leads",
    summary: "Update a lead",
    description:
      "As the lead's edit form, status menu and owner menu: only the fields sent change, each change goes on the lead's timeline. With `version`, an edit made by someone else since is not overwritten (409): nothing is saved.",
    status: 200,
    response: ZLeadResponse,
  },
  access: "write",
  permission: "leads.edit_own",
  params: ZLeadIdParams,
  body: ZLeadUpdateBody,
  handler: async ({ principal, tx }, { params, body }) => {
    const { workspaceId } = principal;
    const { version, status, ownerId, ...fields } = body;
    const actor = { userId: principal.userId, role: principal.role };
    const leadId = params.id;
    // Without a version the edit overwrites, whatever changed since: compared under the lead's
    // lock with a version read before it, a change landing in between would refuse it (409).
    await editLead(tx, { workspaceId, actor, leadId, version: version ?? null, fields, status, ownerId });
    return { body: { data: await getLeadRecord(tx, { workspaceId, leadId: params.id }) } };
  },
} satisfies ApiRouteDefinition<typeof ZLeadIdParams, z.ZodUndefined, typeof ZLeadUpdateBody, z.input<typeof ZLeadResponse>>;

export const deleteLeadRoute = {
  doc: {
    method: "delete",
    path: "/leads/{id}",
    operationId: "deleteLead",
    tag: "Leads",
    summary: "Delete a lead",
    description: "As Delete in the lead table: the lead moves to the Deleted view, where a person can restore it.",
    status: 204,
  },
  access: "write",
  permission: "leads.edit_own",
  params: ZLeadIdParams,
  handler: async ({ principal, tx }, { params }) => {
    const actor = { workspaceId: principal.workspaceId, userId: principal.userId, role: principal.role };
    const result = await startBulkOperation(tx, actor, { selection: { ids: [params.id] }, change: { action: "delete" } });
    if (result.changed === 0) {
      if (result.skipped.not_permitted) throw new ApiError(403, "forbidden", "This API key's role may not delete that lead.");
      throw new ApiError(404, "not_found", "That lead was not found (or is deleted already).");
    }
    return { status: 204, body: null };
  },
} satisfies ApiRouteDefinition<typeof ZLeadIdParams, z.ZodUndefined, z.ZodUndefined, null>;

export const bulkUpsertLeadsRoute = {
  doc: {
    method: "post",
    path: "/leads/bulk",
    operationId: "bulkUpsertLeads",
    tag: "Leads",
    summary: "Create or update leads in bulk",
    description:
      "Up to 1,000 leads per call, merged as a CSV import merges its rows: matched to existing leads by email (lower-cased, trimmed), then Apollo id, then LinkedIn URL; companies found or created by domain; the same lead twice in one call is written once. Each lead gets its result by its position: created, updated, skipped or failed with the reason. A lead with a bad value fails alone; a call with a field nobody knows, or more than 1,000 leads, is refused whole (422). The call is recorded as an import made by the key's creator.",
    status: 200,
    response: ZLeadBulkResult,
  },
  access: "write",
  permission: "imports.run",
  body: ZLeadBulkBody,
  // upsertLeads merges on a connection of its own (a COPY into a staging table).
  ownTransactions: true,
  handler: async ({ principal }, { body }) => {
    const actor = { workspaceId: principal.workspaceId, userId: principal.userId, role: principal.role };
    // First thing in the merge's transaction, whose locks it holds to the commit (refuseWithdrawnKey in define-route.ts).
    const stillActive = async (tx: TransactionSql) => {
      if (!(await apiKeyStillActiveById(tx, principal.keyId))) throw await keyWithdrawn(principal.keyId);
    };
    return { body: { data: await upsertLeads(actor, body, { beforeWrites: stillActive }) } };
  },
} satisfies ApiRouteDefinition<z.ZodUndefined, z.ZodUndefined, typeof ZLeadBulkBody, z.input<typeof ZLeadBulkResult>>;
