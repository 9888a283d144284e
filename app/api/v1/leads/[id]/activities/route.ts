import { apiRoutes } from "@/lib/public-api/define-route";
import { listLeadActivitiesRoute } from "@/lib/public-api/routes/lead-activities";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoutes({ GET: listLeadActivitiesRoute });
