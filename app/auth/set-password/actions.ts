"use server";
import { cookies } from "next/headers";
import { defineAction } from "@/app/_server/action";
import { ZSetPassword } from "@/lib/auth/schemas";
import { AppError } from "@/lib/errors";
import { createSupabaseServerClient } from "@/lib/supabase/server";

export const setPassword = defineAction({
  name: "setPassword",
  schema: ZSetPassword,
  auth: "signed-in",
  handler: async (_context, { password }) => {
    const { error } = await createSupabaseServerClient(await cookies()).auth.updateUser({ password });
    if (error?.code === "weak_password" || error?.code === "same_password")
      throw new AppError("invalid_input", error.message, { password: [error.message] });
    if (error) throw new Error(`updateUser failed: ${error.code ?? error.status}`);
    return { saved: true };
  },
});
