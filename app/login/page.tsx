import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSession } from "@/app/_server/session";
import { AuthCard } from "@/components/auth-card";
import { serviceDb } from "@/db";
import { ZNextPath } from "@/lib/auth/schemas";
import { emailDelivery } from "@/lib/email/delivery";
import { env, isEmbeddedAuth } from "@/lib/env";
import { isFirstRunSetupOpen } from "@/lib/setup/first-run";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Log in" };

/** Only known codes are shown, so a crafted URL cannot put its own words on the login page. */
const ERRORS: Record<string, string> = {
  link_incomplete: "That sign-in link is incomplete. Request a new one.",
  link_invalid: "That link is invalid, expired or already used. Request a new one.",
};

type Props = { searchParams: Promise<{ next?: string; error?: string }> };

export default async function LoginPage({ searchParams }: Props) {
  const { next, error } = await searchParams;
  if (await getSession()) redirect(ZNextPath.parse(next));
  // A new installation has nobody to log in as: its first admin is created on /setup.
  if (await isFirstRunSetupOpen(serviceDb())) redirect("/setup");
  return (
    <AuthCard title="Log in to Lead Intelligence Panel" subtitle="Your team's leads, campaigns and approvals.">
      {error && ERRORS[error] ? (
        <p role="alert" className="mb-4 rounded-md bg-red-50 p-3 text-sm text-red-700">
          {ERRORS[error]}
        </p>
      ) : null}
      <LoginForm next={next} mailCatcher={isEmbeddedAuth() && emailDelivery() === "dev-mail-catcher"} />
      {env().AUTH_ENABLE_SIGNUP ? (
        <p className="mt-4 text-center text-sm text-zinc-600">
          New here?{" "}
          <Link href="/signup" className="text-accent-700 underline">
            Create an account
          </Link>
        </p>
      ) : null}
    </AuthCard>
  );
}
