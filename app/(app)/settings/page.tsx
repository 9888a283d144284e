import type { Metadata } from "next";
import Link from "next/link";
import { requirePageSession } from "@/app/_server/session";
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Settings" };

export default async function ProfileSettingsPage() {
  const session = await requirePageSession();
  return (
    <section className="max-w-xl rounded-lg border border-zinc-200 bg-white p-5">
      <h2 className="text-sm font-semibold">Your profile</h2>
      <dl className="mt-3 grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
        <dt className="text-zinc-500">Email</dt>
        <dd>{session.email}</dd>
        <dt className="text-zinc-500">Role</dt>
        <dd>
          {ROLE_LABELS[session.current.role]} <span className="text-zinc-500">— {ROLE_DESCRIPTIONS[session.current.role]}</span>
        </dd>
        <dt className="text-zinc-500">Workspaces</dt>
        <dd>{session.memberships.map((m) => m.workspaceName).join(", ")}</dd>
      </dl>
      <Link href="/auth/set-password" className="mt-4 inline-block text-sm font-medium text-accent-600 hover:underline">
        Change password
      </Link>
    </section>
  );
}
