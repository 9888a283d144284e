import { ApiError, errorResponse } from "@/lib/public-api/errors";

export const dynamic = "force-dynamic";

/**
 * Any address under /api/v1 that no operation answers, /api/v1 itself included: the API's own 404
 * in its error shape, not the app's HTML page (a program reading JSON could not tell what went
 * wrong). Next prefers every other route here to this catch-all.
 */
function noOperation(): Response {
  return errorResponse(
    new ApiError(404, "not_found", "No API operation answers at this address. The operations are listed at /api/v1/openapi.json."),
  );
}

export const GET = noOperation;
export const POST = noOperation;
export const PUT = noOperation;
export const PATCH = noOperation;
export const DELETE = noOperation;
