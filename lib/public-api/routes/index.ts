import "server-only";
import type { AnyApiRoute } from "../define-route";
import { createCompanyRoute, getCompanyRoute, listCompaniesRoute, updateCompanyRoute } from "./companies";
import { analyticsFunnelRoute, analyticsHeadlineRoute } from "./analytics";
import { addCampaignLeadsRoute, getCampaignRoute, listCampaignsRoute } from "./campaigns";
import { getImportRoute, listImportIssuesRoute, startImportRoute } from "./imports";
import { addSuppressionRoute, listSuppressionsRoute, removeSuppressionRoute } from "./suppressions";
import { addLeadNoteRoute, listLeadActivitiesRoute } from "./lead-activities";
import { bulkUpsertLeadsRoute, createLeadRoute, deleteLeadRoute, getLeadRoute, listLeadsRoute, updateLeadRoute } from "./leads";

/** Every operation of the REST API, in the order the reference lists them: the OpenAPI document is built from this. */
export const API_ROUTES: AnyApiRoute[] = [
  listLeadsRoute,
  createLeadRoute,
  bulkUpsertLeadsRoute,
  getLeadRoute,
  updateLeadRoute,
  deleteLeadRoute,
  listLeadActivitiesRoute,
  addLeadNoteRoute,
  listCompaniesRoute,
  createCompanyRoute,
  getCompanyRoute,
  updateCompanyRoute,
  startImportRoute,
  getImportRoute,
  listImportIssuesRoute,
  listSuppressionsRoute,
  addSuppressionRoute,
  removeSuppressionRoute,
  listCampaignsRoute,
  getCampaignRoute,
  addCampaignLeadsRoute,
  analyticsHeadlineRoute,
  analyticsFunnelRoute,
];
