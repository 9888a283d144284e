import { serve } from "inngest/next";
import type { NextRequest } from "next/server";
import { functions } from "@/inngest";
import { inngest } from "@/inngest/client";
import { describeServices, env, EnvError, type Env } from "@/lib/env";

/**
 * Inngest Cloud, a self-hosted Inngest or the Inngest dev server calls the functions here;
 * every call must carry Inngest's signature (INNGEST_SIGNING_KEY) except in dev mode, which
 * production refuses (lib/env.ts, inngest/client.ts). Without Inngest configured the local
 * executor runs the functions instead and this endpoint answers 404.
 */
const handler = serve({ client: inngest, functions });

type Handler = (request: NextRequest, context: unknown) => Promise<Response>;

function whenInngestIsConfigured(inner: Handler): Handler {
  return (request, context) => {
    let e: Env;
    try {
      e = env();
    } catch (error) {
      // Refused configuration (e.g. INNGEST_DEV in production): serve nothing; the start-up
      // log says what to change.
      if (error instanceof EnvError)
        return Promise.resolve(
          Response.json({ message: "Inngest is not available: the server's configuration is invalid." }, { status: 503 }),
        );
      throw error;
    }
    if (describeServices(e).jobs === "inngest") return inner(request, context);
    return Promise.resolve(
      Response.json({ message: "Inngest is not configured: the local job executor runs these functions." }, { status: 404 }),
    );
  };
}

export const GET = whenInngestIsConfigured(handler.GET);
export const POST = whenInngestIsConfigured(handler.POST);
export const PUT = whenInngestIsConfigured(handler.PUT);
