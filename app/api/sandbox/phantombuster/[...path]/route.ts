import { handlePhantomBusterSandboxRequest } from "@/lib/integrations/phantombuster/sandbox/handler";

type Context = { params: Promise<{ path: string[] }> };

async function handle(request: Request, { params }: Context): Promise<Response> {
  const { path } = await params;
  return handlePhantomBusterSandboxRequest(request, `/${path.map(encodeURIComponent).join("/")}`);
}

export { handle as GET, handle as POST };
