import { defineApiRoute } from "@/lib/public-api/define-route";
import { deleteLeadRoute, getLeadRoute, updateLeadRoute } from "@/lib/public-api/routes/leads";

export const dynamic = "force-dynamic";

export const GET = defineApiRoute(getLeadRoute);
export const PATCH = defineApiRoute(updateLeadRoute);
export const DELETE = defineApiRoute(deleteLeadRoute);
