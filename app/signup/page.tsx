import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { getSession } from "@/app/_server/session";
import { AuthCard } from "@/components/auth-card";
import { serviceDb } from "@/db";
import { env } from "@/lib/env";
import { isFirstRunSetupOpen } from "@/lib/setup/first-run";
import { SignUpForm } from "./signup-form";

export const metadata: Metadata = { title: "Create an account" };

/** Exists only with AUTH_ENABLE_SIGNUP; the first account of an installation comes from /setup. */
export default async function SignUpPage() {
  if (!env().AUTH_ENABLE_SIGNUP) notFound();
  if (await getSession()) redirect("/");
  if (await isFirstRunSetupOpen(serviceDb())) redirect("/setup");
  return (
    <AuthCard
      title="Create an account"
      subtitle={
        <>
          Already have one?{" "}
          <Link href="/login" className="text-accent-700 underline">
            Log in
          </Link>
        </>
      }
    >
      <SignUpForm />
    </AuthCard>
  );
}
