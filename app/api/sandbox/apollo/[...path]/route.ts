import { handleApolloSandboxRequest } from "@/lib/integrations/apollo/sandbox/handler";

type Context = { params: Promise<{ path: string[] }> };

async function handle(request: Request, { params }: Context): Promise<Response> {
  const { path } = await params;
  return handleApolloSandboxRequest(request, `/${path.join("/")}`);
}

export { handle as GET, handle as POST };
