import { handleLocalResendRequest } from "@/lib/outbox/resend-endpoint";

type Context = { params: Promise<{ path: string[] }> };

async function handle(request: Request, { params }: Context): Promise<Response> {
  const { path } = await params;
  return handleLocalResendRequest(request, `/${path.join("/")}`);
}

export { handle as GET, handle as POST };
