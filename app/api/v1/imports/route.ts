import { apiRoutes } from "@/lib/public-api/define-route";
import { startImportRoute } from "@/lib/public-api/routes/imports";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoutes({ POST: startImportRoute });
