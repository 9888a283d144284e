import type { Metadata } from "next";
import Link from "next/link";
import { KeyRound } from "lucide-react";
import { requirePageSession } from "@/app/_server/session";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import { withUserTx } from "@/db";
import { listApiKeys, type ApiKeyRow } from "@/lib/api-keys/manage-api-keys";
import { API_KEY_SCOPE_LABELS, SCOPE_ROLES } from "@/lib/api-keys/scopes";
import { roleInSentence } from "@/lib/auth/roles";
import { CreateApiKeyForm } from "./create-api-key-form";
import { RevokeApiKeyButton } from "./revoke-api-key-button";

export const metadata: Metadata = { title: "API" };

function stateOf(key: ApiKeyRow, now: number): { label: string; tone: "green" | "neutral" | "red" } {
  if (key.revokedAt) return { label: "Revoked", tone: "neutral" };
  if (key.expiresAt && new Date(key.expiresAt).getTime() <= now) return { label: "Expired", tone: "red" };
  // Refused as its creator would be: a suspended, deleted or removed member acts for nothing, key or not.
  if (!key.creatorActive) return { label: "Inactive: its creator is no longer an active member", tone: "red" };
  return { label: "Active", tone: "green" };
}

export default async function ApiSettingsPage() {
  const session = await requirePageSession("api.manage");
  const actor = { workspaceId: session.current.workspaceId, userId: session.userId, role: session.current.role };
  const keys = await withUserTx(session.claims, (tx) => listApiKeys(tx, actor));
  const now = Date.now();

  return (
    <div className="max-w-5xl space-y-6">
      <section className="rounded-lg border border-zinc-200 bg-white p-5">
        <h2 className="text-sm font-semibold">Create an API key</h2>
        <p className="mt-1 mb-4 text-xs text-zinc-600">
          Programs use a key to read and change this workspace’s data through the REST API at <code>/api/v1</code>. A key acts as you, never
          above its access: read acts as {roleInSentence(SCOPE_ROLES.read)}, read and write as {roleInSentence(SCOPE_ROLES.read_write)};
          approving, launching and settings stay with people. It stops working when revoked, when it expires, or when you leave the
          workspace.{" "}
          <Link href="/settings/api/reference" className="text-accent-700 underline">
            API reference
          </Link>
        </p>
        <CreateApiKeyForm />
      </section>
      <section className="rounded-lg border border-zinc-200 bg-white" aria-labelledby="api-keys-title">
        <div className="border-b border-zinc-200 px-4 py-3">
          <h2 id="api-keys-title" className="text-sm font-semibold">
            API keys ({keys.length})
          </h2>
        </div>
        {keys.length === 0 ? (
          <div className="p-6">
            <EmptyState icon={KeyRound} title="No API key yet">
              Create one above for each program that needs access, so each can be revoked on its own.
            </EmptyState>
          </div>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="bg-zinc-50 text-xs text-zinc-600">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">
                  Name
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Access
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Created
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Expires
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Last used
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  State
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {keys.map((key) => {
                const state = stateOf(key, now);
                return (
                  <tr key={key.id}>
                    <td className="px-4 py-2">
                      <span className="font-medium break-all">{key.name}</span>
                      <span className="ml-2 font-mono text-xs text-zinc-600">{key.prefix}…</span>
                    </td>
                    <td className="px-4 py-2">{API_KEY_SCOPE_LABELS[key.scope]}</td>
                    <td className="px-4 py-2 text-zinc-600">
                      <LocalTime value={key.createdAt} />
                      {key.createdByName ? ` by ${key.createdByName}` : ""}
                    </td>
                    <td className="px-4 py-2 text-zinc-600">{key.expiresAt ? <LocalTime value={key.expiresAt} /> : "Never"}</td>
                    <td className="px-4 py-2 text-zinc-600">{key.lastUsedAt ? <LocalTime value={key.lastUsedAt} withTime /> : "Never"}</td>
                    <td className="px-4 py-2">
                      <Badge tone={state.tone}>{state.label}</Badge>
                    </td>
                    <td className="px-4 py-2 text-right">{key.revokedAt ? null : <RevokeApiKeyButton id={key.id} name={key.name} />}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
