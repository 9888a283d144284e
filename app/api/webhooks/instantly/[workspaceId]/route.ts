import { receiveInstantlyWebhook } from "@/lib/integrations/instantly/webhooks/receive";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ workspaceId: string }> };

/** Instantly's (unsigned) events for one workspace: the registered secret header checked, stored once, processed by a job. */
export async function POST(request: Request, { params }: Context) {
  return receiveInstantlyWebhook(request, (await params).workspaceId);
}
