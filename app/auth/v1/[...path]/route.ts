import { handleAuthRequest } from "@/lib/auth-emulator/handler";

/** The embedded Supabase Auth server; it answers 404 whenever NEXT_PUBLIC_SUPABASE_URL is set. */
type Context = { params: Promise<{ path: string[] }> };

async function handle(request: Request, { params }: Context): Promise<Response> {
  const { path } = await params;
  return handleAuthRequest(request, `/${path.join("/")}`);
}

export { handle as DELETE, handle as GET, handle as OPTIONS, handle as POST, handle as PUT };
