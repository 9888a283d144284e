import { ShieldOff } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Not allowed" };

export default function ForbiddenPage() {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <EmptyState
        icon={ShieldOff}
        title="Your role does not allow this page"
        action={
          <Link href="/leads" className="text-sm font-medium text-accent-600 hover:underline">
            Back to leads
          </Link>
        }
      >
        Ask an admin of this workspace if you need access.
      </EmptyState>
    </main>
  );
}
