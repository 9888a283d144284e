import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSession } from "@/app/_server/session";
import { AuthCard } from "@/components/auth-card";
import { isEmailProvenSession } from "@/lib/auth/session";
import { SetPasswordForm } from "./set-password-form";

export const metadata: Metadata = { title: "Set your password" };

export default async function SetPasswordPage() {
  const session = await getSession();
  if (!session) redirect("/login?next=/auth/set-password");
  return (
    <AuthCard title="Set your password" subtitle={`For ${session.email}. You can keep using email links too.`}>
      <SetPasswordForm askCurrentPassword={!isEmailProvenSession(session.claims)} />
    </AuthCard>
  );
}
