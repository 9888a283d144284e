import { defineApiRoute } from "@/lib/public-api/define-route";
import { createCompanyRoute, listCompaniesRoute } from "@/lib/public-api/routes/companies";

export const dynamic = "force-dynamic";

export const GET = defineApiRoute(listCompaniesRoute);
export const POST = defineApiRoute(createCompanyRoute);
