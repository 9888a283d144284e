import "server-only";
import { renderActionEmail } from "@/lib/email/html";
import type { OneTimeTokenType } from "./tables";

/** The emails the embedded auth server sends, in the spirit of Supabase's default templates. */
export type AuthEmail = { subject: string; html: string; text: string };

const PRODUCT = "Lead Intelligence Panel";

/** The email that carries a one-time token of this type. */
export function authEmailFor(type: OneTimeTokenType, secrets: { link: string; code: string }): AuthEmail {
  switch (type) {
    case "magiclink":
      return magicLinkEmail(secrets);
    case "recovery":
      return recoveryEmail(secrets);
    case "signup":
      return signupEmail(secrets);
    case "invite":
      return inviteEmail(secrets);
  }
}

export function magicLinkEmail({ link, code }: { link: string; code: string }): AuthEmail {
  return {
    subject: `Your ${PRODUCT} sign-in link`,
    ...renderActionEmail({
      heading: `Sign in to ${PRODUCT}`,
      paragraphs: [`Follow the link below to sign in, or enter this code: ${code}`],
      actionLabel: "Sign in",
      actionUrl: link,
      footer: "The link and the code work once, for one hour. If you did not ask to sign in, ignore this email.",
    }),
  };
}

export function inviteEmail({ link }: { link: string }): AuthEmail {
  return {
    subject: `You have been invited to ${PRODUCT}`,
    ...renderActionEmail({
      heading: `Join ${PRODUCT}`,
      paragraphs: [`You have been invited to create an account on ${PRODUCT}.`],
      actionLabel: "Accept the invitation",
      actionUrl: link,
      footer: "The link works once, for 24 hours.",
    }),
  };
}

export function recoveryEmail({ link, code }: { link: string; code: string }): AuthEmail {
  return {
    subject: `Reset your ${PRODUCT} password`,
    ...renderActionEmail({
      heading: `Choose a new ${PRODUCT} password`,
      paragraphs: [`Follow the link below to choose a new password, or enter this code: ${code}`],
      actionLabel: "Reset password",
      actionUrl: link,
      footer: "The link and the code work once, for one hour. If you did not ask for this, ignore this email.",
    }),
  };
}

export function signupEmail({ link, code }: { link: string; code: string }): AuthEmail {
  return {
    subject: `Confirm your ${PRODUCT} sign-up`,
    ...renderActionEmail({
      heading: `Confirm your email address`,
      paragraphs: [`Follow the link below to confirm your address and finish signing up, or enter this code: ${code}`],
      actionLabel: "Confirm my address",
      actionUrl: link,
      footer: "The link and the code work once, for one hour. If you did not sign up, ignore this email.",
    }),
  };
}
