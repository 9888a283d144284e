import type { NextRequest } from "next/server";
import { getSession } from "@/app/_server/session";
import { suppressionExportResponse } from "./export-response";

export const dynamic = "force-dynamic";

/** The suppression list as a formula-safe CSV (export-response.ts). */
export async function GET(request: NextRequest) {
  return suppressionExportResponse(await getSession(), request.nextUrl.searchParams);
}
