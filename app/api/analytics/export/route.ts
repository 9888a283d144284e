import type { NextRequest } from "next/server";
import { getSession } from "@/app/_server/session";
import { analyticsExportResponse } from "./export-response";

export const dynamic = "force-dynamic";

/** One table of the analytics page as a formula-safe CSV (export-response.ts). */
export async function GET(request: NextRequest) {
  return analyticsExportResponse(await getSession(), request.nextUrl.searchParams);
}
