import { SearchX } from "lucide-react";
import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";

export default function NotFound() {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <EmptyState
        icon={SearchX}
        title="Not found"
        action={
          <Link href="/leads" className="text-sm font-medium text-accent-600 hover:underline">
            Back to leads
          </Link>
        }
      >
        This page does not exist, or it belongs to a workspace you are not a member of.
      </EmptyState>
    </main>
  );
}
