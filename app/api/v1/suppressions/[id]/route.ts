import { apiRoutes } from "@/lib/public-api/define-route";
import { removeSuppressionRoute } from "@/lib/public-api/routes/suppressions";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoutes({ DELETE: removeSuppressionRoute });
