import { serve } from "inngest/next";
import type { NextRequest } from "next/server";
import { functions } from "@/inngest";
import { inngest } from "@/inngest/client";
import { describeServices, env } from "@/lib/env";

/**
 * Inngest Cloud or the Inngest dev server calls the functions here. Without Inngest
 * configured the local executor runs them instead and this endpoint answers 404.
 */
const handler = serve({ client: inngest, functions });

type Handler = (request: NextRequest, context: unknown) => Promise<Response>;

function whenInngestIsConfigured(inner: Handler): Handler {
  return (request, context) => {
    if (describeServices(env()).jobs === "inngest") return inner(request, context);
    return Promise.resolve(
      Response.json({ message: "Inngest is not configured: the local job executor runs these functions." }, { status: 404 }),
    );
  };
}

export const GET = whenInngestIsConfigured(handler.GET);
export const POST = whenInngestIsConfigured(handler.POST);
export const PUT = whenInngestIsConfigured(handler.PUT);
