import { apiRoutes } from "@/lib/public-api/define-route";
import { addSuppressionRoute, listSuppressionsRoute } from "@/lib/public-api/routes/suppressions";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoutes({ GET: listSuppressionsRoute, POST: addSuppressionRoute });
