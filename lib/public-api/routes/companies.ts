import "server-only";
import type { z } from "zod";
import { getCompany } from "@/lib/companies/get-company";
import { createCompany, updateCompany } from "@/lib/companies/save-company";
import { listCompanies } from "@/lib/companies/list-companies";
import { DEFAULT_COMPANY_LIST_STATE } from "@/lib/companies/list-state";
import type { ApiRouteDefinition } from "../define-route";
import {
  ZCompanyCreateBody,
  ZCompanyIdParams,
  ZCompanyList,
  ZCompanyListQuery,
  ZCompanyResponse,
  ZCompanyUpdateBody,
} from "../company-schemas";
import { keysetListHandler } from "./keyset-list";

export const listCompaniesRoute = {
  doc: {
    method: "get",
    path: "/companies",
    operationId: "listCompanies",
    tag: "Companies",
    summary: "List companies",
    description: "The company list's search, sort and keyset pages, with the same parameter names as its URL.",
    status: 200,
    response: ZCompanyList,
  },
  access: "read",
  permission: "workspace.read",
  query: ZCompanyListQuery,
  handler: keysetListHandler({
    defaults: DEFAULT_COMPANY_LIST_STATE,
    read: ({ principal, tx }, state) => listCompanies(tx, { workspaceId: principal.workspaceId, state }),
    unfitCursor: (page) => page.cursorIgnored,
    cursorMustFit: "this sort",
  }),
} satisfies ApiRouteDefinition<z.ZodUndefined, typeof ZCompanyListQuery, z.ZodUndefined, z.input<typeof ZCompanyList>>;

export const getCompanyRoute = {
  doc: {
    method: "get",
    path: "/companies/{id}",
    operationId: "getCompany",
    tag: "Companies",
    summary: "Get a company",
    description: "One company with its live leads counted per status. A company of another workspace is not found (404).",
    status: 200,
    response: ZCompanyResponse,
  },
  access: "read",
  permission: "workspace.read",
  params: ZCompanyIdParams,
  handler: async ({ principal, tx }, { params }) => ({
    body: { data: await getCompany(tx, { workspaceId: principal.workspaceId, companyId: params.id }) },
  }),
} satisfies ApiRouteDefinition<typeof ZCompanyIdParams, z.ZodUndefined, z.ZodUndefined, z.input<typeof ZCompanyResponse>>;

export const createCompanyRoute = {
  doc: {
    method: "post",
    path: "/companies",
    operationId: "createCompany",
    tag: "Companies",
    summary: "Create a company",
    description: "One company per domain: a second with the same domain is refused (409) naming the first.",
    status: 201,
    response: ZCompanyResponse,
  },
  access: "write",
  permission: "leads.create",
  body: ZCompanyCreateBody,
  handler: async ({ principal, tx }, { body }) => {
    const { workspaceId } = principal;
    const { companyId } = await createCompany(tx, { workspaceId, actor: principal, fields: body });
    return { status: 201, body: { data: await getCompany(tx, { workspaceId, companyId }) } };
  },
} satisfies ApiRouteDefinition<z.ZodUndefined, z.ZodUndefined, typeof ZCompanyCreateBody, z.input<typeof ZCompanyResponse>>;

export const updateCompanyRoute = {
  doc: {
    method: "patch",
    path: "/companies/{id}",
    operationId: "updateCompany",
    tag: "Companies",
    summary: "Update a company",
    description: "Only the fields sent change. A domain another company of the workspace has is refused (409).",
    status: 200,
    response: ZCompanyResponse,
  },
  access: "write",
  permission: "leads.create",
  params: ZCompanyIdParams,
  body: ZCompanyUpdateBody,
  handler: async ({ principal, tx }, { params, body }) => {
    const { workspaceId } = principal;
    await updateCompany(tx, { workspaceId, actor: principal, companyId: params.id, fields: body });
    return { body: { data: await getCompany(tx, { workspaceId, companyId: params.id }) } };
  },
} satisfies ApiRouteDefinition<typeof ZCompanyIdParams, z.ZodUndefined, typeof ZCompanyUpdateBody, z.input<typeof ZCompanyResponse>>;
