import "server-only";
import { escapeHtml } from "@/lib/email/html";

/** The emails the embedded auth server sends, in the spirit of Supabase's default templates. */
export type AuthEmail = { subject: string; html: string; text: string };

const PRODUCT = "Lead Intelligence Panel";

export function magicLinkEmail({ link, code }: { link: string; code: string }): AuthEmail {
  return {
    subject: `Your ${PRODUCT} sign-in link`,
    html: layout(
      `<p>Follow this link to sign in to ${escapeHtml(PRODUCT)}:</p>
<p>${button(link, "Sign in")}</p>
<p>Or enter this code: <strong style="font-size:18px;letter-spacing:2px">${escapeHtml(code)}</strong></p>
<p style="color:#6b7280">The link and the code work once, for one hour. If you did not ask to sign in, ignore this email.</p>`,
    ),
    text: `Sign in to ${PRODUCT}: ${link}\n\nOr enter this code: ${code}\n\nThe link and the code work once, for one hour. If you did not ask to sign in, ignore this email.\n`,
  };
}

export function inviteEmail({ link }: { link: string }): AuthEmail {
  return {
    subject: `You have been invited to ${PRODUCT}`,
    html: layout(
      `<p>You have been invited to create an account on ${escapeHtml(PRODUCT)}.</p>
<p>${button(link, "Accept the invitation")}</p>
<p style="color:#6b7280">The link works once, for 24 hours.</p>`,
    ),
    text: `You have been invited to create an account on ${PRODUCT}.\n\nAccept the invitation: ${link}\n\nThe link works once, for 24 hours.\n`,
  };
}

export function recoveryEmail({ link, code }: { link: string; code: string }): AuthEmail {
  return {
    subject: `Reset your ${PRODUCT} password`,
    html: layout(
      `<p>Follow this link to choose a new password:</p>
<p>${button(link, "Reset password")}</p>
<p>Or enter this code: <strong style="font-size:18px;letter-spacing:2px">${escapeHtml(code)}</strong></p>
<p style="color:#6b7280">The link and the code work once, for one hour. If you did not ask for this, ignore this email.</p>`,
    ),
    text: `Choose a new ${PRODUCT} password: ${link}\n\nOr enter this code: ${code}\n\nThe link and the code work once, for one hour. If you did not ask for this, ignore this email.\n`,
  };
}

function button(href: string, label: string): string {
  return `<a href="${escapeHtml(href)}" style="display:inline-block;padding:10px 16px;background:#111827;color:#ffffff;border-radius:6px;text-decoration:none">${escapeHtml(label)}</a>`;
}

function layout(body: string): string {
  return `<!doctype html><html><body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;font-size:14px;color:#111827">${body}</body></html>`;
}
