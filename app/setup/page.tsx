import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { AuthCard } from "@/components/auth-card";
import { serviceDb } from "@/db";
import { isFirstRunSetupOpen } from "@/lib/setup/first-run";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "Set up" };

/** Served only while the installation has no user (lib/setup/first-run.ts); login after that. */
export default async function SetupPage() {
  // Answered per request from the database, never prerendered at build time.
  await connection();
  if (!(await isFirstRunSetupOpen(serviceDb()))) redirect("/login");
  return (
    <AuthCard
      title="Set up Lead Intelligence Panel"
      subtitle="Create your team's workspace and its admin account. This page disappears once it is done."
    >
      <SetupForm />
    </AuthCard>
  );
}
