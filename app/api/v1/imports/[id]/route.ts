import { apiRoutes } from "@/lib/public-api/define-route";
import { getImportRoute } from "@/lib/public-api/routes/imports";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoutes({ GET: getImportRoute });
