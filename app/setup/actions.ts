"use server";
import { cookies } from "next/headers";
import { defineAction } from "@/app/_server/action";
import { setCurrentWorkspace } from "@/app/_server/session";
import { serviceDb } from "@/db";
import { completeFirstRunSetup } from "@/lib/setup/first-run";
import { ZFirstRunSetupForm } from "@/lib/setup/schemas";
import { createSupabaseAdminClient } from "@/lib/supabase/admin";
import { createSupabaseServerClient } from "@/lib/supabase/server";

/**
 * Public by necessity: nobody can sign in before the first admin exists. The service refuses
 * once any user exists or setup ever completed, so after that this action does nothing.
 */
export const completeSetup = defineAction({
  name: "completeSetup",
  schema: ZFirstRunSetupForm,
  auth: "public",
  handler: async (_context, { confirm: _confirm, ...input }) => {
    const result = await completeFirstRunSetup(serviceDb(), createSupabaseAdminClient(), input);
    const supabase = createSupabaseServerClient(await cookies());
    const { error } = await supabase.auth.signInWithPassword({ email: result.email, password: input.password });
    if (error) throw new Error(`sign-in after setup failed: ${error.code ?? error.status}`);
    await setCurrentWorkspace(result.workspaceId);
    return { redirectTo: "/", workspaceName: result.workspaceName };
  },
});
