import { defineApiRoute } from "@/lib/public-api/define-route";
import { getCompanyRoute, updateCompanyRoute } from "@/lib/public-api/routes/companies";

export const dynamic = "force-dynamic";

export const GET = defineApiRoute(getCompanyRoute);
export const PATCH = defineApiRoute(updateCompanyRoute);
