import { handleInstantlySandboxRequest } from "@/lib/integrations/instantly/sandbox/handler";

type Context = { params: Promise<{ path: string[] }> };

async function handle(request: Request, { params }: Context): Promise<Response> {
  const { path } = await params;
  return handleInstantlySandboxRequest(request, `/${path.join("/")}`);
}

export { handle as GET, handle as POST, handle as PATCH, handle as DELETE };
