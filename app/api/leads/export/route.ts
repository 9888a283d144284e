import type { NextRequest } from "next/server";
import { getSession } from "@/app/_server/session";
import { exportResponse } from "./export-response";

export const dynamic = "force-dynamic";

/** The CSV export of the lead table's view or selection (export-response.ts). */
export async function GET(request: NextRequest) {
  return exportResponse(await getSession(), request.nextUrl.searchParams);
}
