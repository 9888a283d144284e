import { apiRoutes } from "@/lib/public-api/define-route";
import { createCompanyRoute, listCompaniesRoute } from "@/lib/public-api/routes/companies";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoutes({ GET: listCompaniesRoute, POST: createCompanyRoute });
