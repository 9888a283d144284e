import { getSession } from "@/app/_server/session";
import { bulkOperationProgressResponse } from "./progress-response";

export const dynamic = "force-dynamic";

/** The progress of one of the caller's bulk changes, polled by the bulk action bar (progress-response.ts). */
export async function GET(_request: Request, { params }: { params: Promise<{ operationId: string }> }) {
  return bulkOperationProgressResponse(await getSession(), (await params).operationId);
}
