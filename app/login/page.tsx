import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSession } from "@/app/_server/session";
import { AuthCard } from "@/components/auth-card";
import { isEmbeddedAuth } from "@/lib/env";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Log in" };

type Props = { searchParams: Promise<{ next?: string; error?: string }> };

export default async function LoginPage({ searchParams }: Props) {
  const { next, error } = await searchParams;
  if (await getSession()) redirect(next?.startsWith("/") && !next.startsWith("//") ? next : "/leads");
  return (
    <AuthCard title="Log in to Lead Intelligence Panel" subtitle="Your team's leads, campaigns and approvals.">
      {error ? (
        <p role="alert" className="mb-4 rounded-md bg-red-50 p-3 text-sm text-red-700">
          {error}
        </p>
      ) : null}
      <LoginForm next={next} embeddedAuth={isEmbeddedAuth()} />
    </AuthCard>
  );
}
