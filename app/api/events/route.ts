import { getSession } from "@/app/_server/session";
import { eventStreamResponse } from "./event-stream-response";

export const dynamic = "force-dynamic";

/** Live updates of the session's workspace as server-sent events (event-stream-response.ts). */
export async function GET(request: Request) {
  return eventStreamResponse(await getSession(), request);
}
