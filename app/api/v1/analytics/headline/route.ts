import { apiRoutes } from "@/lib/public-api/define-route";
import { analyticsHeadlineRoute } from "@/lib/public-api/routes/analytics";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoutes({ GET: analyticsHeadlineRoute });
