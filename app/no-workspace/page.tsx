import { Users } from "lucide-react";
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSession } from "@/app/_server/session";
import { EmptyState } from "@/components/ui/empty-state";
import { CreateWorkspaceForm } from "@/components/workspaces/create-workspace-form";

export const metadata: Metadata = { title: "No workspace" };

export default async function NoWorkspacePage() {
  const session = await getSession();
  if (!session) redirect("/login");
  if (session.current) redirect("/");
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <EmptyState
        icon={Users}
        title="You are not in a workspace yet"
        action={
          <div className="w-72 text-left">
            <CreateWorkspaceForm />
          </div>
        }
      >
        To join your team, ask an admin to invite you, then open the link in the invitation email. Or start a workspace of your own:
      </EmptyState>
    </main>
  );
}
