import { defineApiRoute } from "@/lib/public-api/define-route";
import { bulkUpsertLeadsRoute } from "@/lib/public-api/routes/leads";

export const dynamic = "force-dynamic";

export const POST = defineApiRoute(bulkUpsertLeadsRoute);
