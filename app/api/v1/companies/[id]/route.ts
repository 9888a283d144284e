import { apiRoutes } from "@/lib/public-api/define-route";
import { getCompanyRoute, updateCompanyRoute } from "@/lib/public-api/routes/companies";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoutes({ GET: getCompanyRoute, PATCH: updateCompanyRoute });
