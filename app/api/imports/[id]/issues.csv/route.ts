import { getSession } from "@/app/_server/session";
import { importIssuesResponse } from "./issues-response";

export const dynamic = "force-dynamic";

/** The skipped and failed rows of an import, as a CSV to fix and upload again (issues-response.ts). */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  return importIssuesResponse(await getSession(), (await params).id);
}
