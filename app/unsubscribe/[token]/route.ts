import { unsubscribeResponse } from "./unsubscribe-response";

export const dynamic = "force-dynamic";

/** The unsubscribe link's page: shows and changes nothing (unsubscribe-response.ts). */
export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  return unsubscribeResponse(request, (await params).token);
}

/** RFC 8058's one-click, and the page's Unsubscribe and Undo buttons. */
export async function POST(request: Request, { params }: { params: Promise<{ token: string }> }) {
  return unsubscribeResponse(request, (await params).token);
}
