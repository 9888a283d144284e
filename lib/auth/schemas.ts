import { z } from "zod";
import { env } from "@/lib/env";
import { safeRedirectPath } from "./safe-redirect";

export const ZEmail = z
  .string()
  .trim()
  .min(1, "Enter an email address.")
  .pipe(z.email("Enter a valid email address, like name@company.com."))
  .transform((v) => v.toLowerCase());

/**
 * bcrypt reads 72 bytes of a password and no more, so the auth server refuses longer ones: in
 * UTF-8, where "é" is 2 bytes and an emoji 4, that is fewer than 72 characters. Said here, on
 * the field, rather than as the auth server's error the page cannot place.
 */
export const ZNewPassword = z
  .string()
  .min(8, "Use at least 8 characters.")
  .refine(
    (v) => new TextEncoder().encode(v).length <= 72,
    "Use a shorter password: at most 72 characters, fewer with accents or emoji (each counts two to four).",
  );

export const DEFAULT_NEXT_PATH = "/";

/** Where to go after signing in: only a path on this site (safeRedirectPath), else Home. */
export const ZNextPath = z
  .string()
  .optional()
  .catch(undefined)
  .transform((v) => safeRedirectPath(v, env().APP_URL) ?? DEFAULT_NEXT_PATH);

export const ZSignIn = z.object({
  email: ZEmail,
  password: z.string().min(1, "Enter your password."),
  next: ZNextPath,
});

export const ZSignOut = z.object({}).strict();

export const ZMagicLinkRequest = z.object({ email: ZEmail, next: ZNextPath });

export const ZPasswordResetRequest = z.object({ email: ZEmail });

export const ZSetPassword = z
  .object({ currentPassword: z.string().max(200).optional(), password: ZNewPassword, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The two passwords differ." });

export const ZNewUserInvitation = z.object({
  token: z.string().min(20, "This invitation link is incomplete."),
  fullName: z.string().trim().min(1, "Enter your name.").max(120, "Use at most 120 characters."),
  password: ZNewPassword,
});

export const ZInvitationToken = z.object({ token: z.string().min(20, "This invitation link is incomplete.") });

/** Self-service sign-up, offered only with AUTH_ENABLE_SIGNUP (app/signup). */
export const ZSignUp = z.object({
  fullName: z.string().trim().min(1, "Enter your name.").max(120, "Use at most 120 characters."),
  email: ZEmail,
  password: ZNewPassword,
});
