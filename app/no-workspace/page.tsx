import { Users } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "No workspace" };

export default function NoWorkspacePage() {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <EmptyState icon={Users} title="You are not in a workspace yet">
        Ask an admin to invite you, then open the link in the invitation email.
      </EmptyState>
    </main>
  );
}
