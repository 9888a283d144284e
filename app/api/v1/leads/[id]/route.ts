import { apiRoutes } from "@/lib/public-api/define-route";
import { deleteLeadRoute, getLeadRoute, updateLeadRoute } from "@/lib/public-api/routes/leads";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoutes({ GET: getLeadRoute, PATCH: updateLeadRoute, DELETE: deleteLeadRoute });
