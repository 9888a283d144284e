import { defineApiRoute } from "@/lib/public-api/define-route";
import { createLeadRoute, listLeadsRoute } from "@/lib/public-api/routes/leads";

export const dynamic = "force-dynamic";

export const GET = defineApiRoute(listLeadsRoute);
export const POST = defineApiRoute(createLeadRoute);
