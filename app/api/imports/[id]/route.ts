import { getSession } from "@/app/_server/session";
import { importProgressResponse } from "./progress-response";

export const dynamic = "force-dynamic";

/** The live progress of an import, polled by its page (progress-response.ts). */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  return importProgressResponse(await getSession(), (await params).id);
}
