import type { Metadata } from "next";
import { requirePageSession } from "@/app/_server/session";
import { withUserTx } from "@/db";
import { listSendingIdentities } from "@/lib/sending-identities/sending-identities";
import { getSendingSettings } from "@/lib/workspaces/sending-settings";
import { IdentityForm } from "./identity-form";
import { IdentityList } from "./identity-list";
import { SendingSettingsForm } from "./sending-settings-form";

export const metadata: Metadata = { title: "Sending" };

export default async function SendingSettingsPage() {
  const session = await requirePageSession("sending.manage");
  const { identities, settings } = await withUserTx(session.claims, async (tx) => ({
    identities: await listSendingIdentities(tx, { workspaceId: session.current.workspaceId, includeArchived: true }),
    settings: await getSendingSettings(tx, { workspaceId: session.current.workspaceId }),
  }));
  return (
    <div className="max-w-4xl space-y-6">
      <section className="rounded-lg border border-zinc-200 bg-white">
        <div className="border-b border-zinc-200 px-4 py-3">
          <h2 className="text-sm font-semibold">Sending identities ({identities.length})</h2>
          <p className="mt-0.5 text-xs text-zinc-600">
            The mailboxes campaigns send from. A campaign may use several: each sends at most its daily cap, on its days and hours.
          </p>
        </div>
        <IdentityList identities={identities} />
      </section>
      <section className="rounded-lg border border-zinc-200 bg-white p-5">
        <h2 className="mb-3 text-sm font-semibold">Add a sending identity</h2>
        <IdentityForm />
      </section>
      <section className="rounded-lg border border-zinc-200 bg-white p-5">
        <h2 className="mb-3 text-sm font-semibold">Time zone and bounce protection</h2>
        <SendingSettingsForm settings={settings} />
      </section>
    </div>
  );
}
