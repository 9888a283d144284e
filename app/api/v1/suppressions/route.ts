import { defineApiRoute } from "@/lib/public-api/define-route";
import { addSuppressionRoute, listSuppressionsRoute } from "@/lib/public-api/routes/suppressions";

export const dynamic = "force-dynamic";

export const GET = defineApiRoute(listSuppressionsRoute);
export const POST = defineApiRoute(addSuppressionRoute);
