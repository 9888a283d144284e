import { apiRoutes } from "@/lib/public-api/define-route";
import { listCampaignsRoute } from "@/lib/public-api/routes/campaigns";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoutes({ GET: listCampaignsRoute });
