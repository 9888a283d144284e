import { z } from "zod";
import { ZEmail, ZNewPassword } from "@/lib/auth/schemas";
import { ZWorkspaceName } from "@/lib/workspaces/schemas";

/** The first workspace and its admin, from the setup page or `npm run setup`. */
export const ZFirstRunSetup = z.object({
  workspaceName: ZWorkspaceName,
  fullName: z
    .string()
    .trim()
    .max(120, "Use at most 120 characters.")
    .nullish()
    .transform((v) => v || null),
  email: ZEmail,
  password: ZNewPassword,
});

/** The page asks for the password twice: nobody can reset the only admin's password for them. */
export const ZFirstRunSetupForm = ZFirstRunSetup.extend({ confirm: z.string() }).refine((v) => v.password === v.confirm, {
  path: ["confirm"],
  message: "The two passwords differ.",
});

export type FirstRunSetupInput = z.input<typeof ZFirstRunSetup>;
