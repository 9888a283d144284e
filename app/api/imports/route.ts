import { getSession } from "@/app/_server/session";
import { uploadResponse } from "./upload-response";

export const dynamic = "force-dynamic";

/**
 * Uploads a CSV file as a new import (upload-response.ts). proxy.ts leaves this path alone:
 * a proxied request's body is buffered in memory, and only its first 10 MB reach the handler.
 */
export async function POST(request: Request) {
  return uploadResponse(await getSession(), request);
}
