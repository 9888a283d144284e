import { apiRoutes } from "@/lib/public-api/define-route";
import { bulkUpsertLeadsRoute } from "@/lib/public-api/routes/leads";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoutes({ POST: bulkUpsertLeadsRoute });
