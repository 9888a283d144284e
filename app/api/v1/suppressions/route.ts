import { defineApiRoute } from "@/lib/public-api/define-route";
import { listSuppressionsRoute } from "@/lib/public-api/routes/suppressions";

export const dynamic = "force-dynamic";

export const GET = defineApiRoute(listSuppressionsRoute);
