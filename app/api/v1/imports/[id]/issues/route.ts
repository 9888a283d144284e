import { apiRoutes } from "@/lib/public-api/define-route";
import { listImportIssuesRoute } from "@/lib/public-api/routes/imports";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoutes({ GET: listImportIssuesRoute });
