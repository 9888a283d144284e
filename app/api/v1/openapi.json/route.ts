import { buildOpenApiDocument } from "@/lib/public-api/openapi";

export const dynamic = "force-dynamic";

/** The OpenAPI 3.1 document of the REST API: public, like any API reference (it holds no data). */
export function GET() {
  return Response.json(buildOpenApiDocument());
}
