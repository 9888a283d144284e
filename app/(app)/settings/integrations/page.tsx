import { SampleDataBadge } from "@/components/integrations/sample-data";
import type { Metadata } from "next";
import Link from "next/link";
import { requirePageSession } from "@/app/_server/session";
import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import { withUserTx } from "@/db";
import { integrationsSandboxEnabled } from "@/lib/env";
import { listIntegrationAccounts, type IntegrationAccountView } from "@/lib/integrations/accounts/accounts";
import { apolloCreditsThisMonth } from "@/lib/integrations/apollo/usage";
import { CONNECTABLE_VENDORS, hasSandbox, type ConnectableVendor } from "@/lib/integrations/accounts/schemas";
import { VENDOR_LABELS, type IntegrationStatus } from "@/lib/integrations/accounts/vendors";
import { AccountActions } from "./account-actions";
import { KeyForm } from "./key-form";
import { SandboxButton } from "./sandbox-button";

export const metadata: Metadata = { title: "Integrations" };

const ABOUT: Record<ConnectableVendor, string> = {
  apollo:
    "Find people with Apollo's free search (it needs a master API key) and reveal their emails with enrichment, which spends your Apollo credits. Create a key in Apollo: Settings → Integrations → API keys.",
  instantly:
    "Sync your Instantly campaigns, sending accounts, daily analytics, leads and replies every hour. Create an API v2 key in Instantly (Settings → Integrations → API Keys) with read access to campaigns, accounts, leads and emails.",
  phantombuster:
    "Import your PhantomBuster agents' LinkedIn results as leads (Imports → Import from PhantomBuster). Copy an API key from PhantomBuster: Workspace settings → API keys.",
};

const SANDBOX_SHOWS: Record<ConnectableVendor, string> = {
  apollo: "every person, company and credit",
  instantly: "every campaign, sending account, lead, reply and number",
  phantombuster: "every agent and result",
};

const STATUS: Record<IntegrationStatus, { label: string; tone: "green" | "red" | "neutral" }> = {
  connected: { label: "Connected", tone: "green" },
  failing: { label: "Failing", tone: "red" },
  disconnected: { label: "Not connected", tone: "neutral" },
};

export default async function IntegrationsSettingsPage() {
  const session = await requirePageSession("integrations.manage");
  const workspaceId = session.current.workspaceId;
  const [accounts, apolloCredits] = await withUserTx(session.claims, (tx) =>
    Promise.all([listIntegrationAccounts(tx, { workspaceId }), apolloCreditsThisMonth(tx, { workspaceId })]),
  );
  return (
    <div className="max-w-3xl space-y-6">
      {CONNECTABLE_VENDORS.map((vendor) => (
        <VendorSection
          key={vendor}
          vendor={vendor}
          account={accounts.find((a) => a.vendor === vendor)}
          sandboxAvailable={integrationsSandboxEnabled()}
          creditsThisMonth={vendor === "apollo" ? apolloCredits : undefined}
        />
      ))}
    </div>
  );
}

function VendorSection({
  vendor,
  account,
  sandboxAvailable,
  creditsThisMonth,
}: {
  vendor: ConnectableVendor;
  account: IntegrationAccountView | undefined;
  sandboxAvailable: boolean;
  /** Apollo: credits this product spent this month, as Apollo's answers reported them. */
  creditsThisMonth?: number;
}) {
  const label = VENDOR_LABELS[vendor];
  const status = STATUS[account?.status ?? "disconnected"];
  const connected = account && account.status !== "disconnected";
  return (
    <section aria-labelledby={`${vendor}-heading`} className="rounded-lg border border-zinc-200 bg-white">
      <div className="flex items-start justify-between gap-4 border-b border-zinc-200 px-4 py-3">
        <div>
          <h2 id={`${vendor}-heading`} className="text-sm font-semibold">
            {label}
          </h2>
          <p className="mt-0.5 text-xs text-zinc-600">{ABOUT[vendor]}</p>
        </div>
        <div className="flex shrink-0 gap-1.5">
          {connected && account.sandbox ? <SampleDataBadge /> : null}
          <Badge tone={status.tone}>{status.label}</Badge>
        </div>
      </div>
      <div className="space-y-4 p-4">
        {connected ? (
          <>
            {account.sandbox ? (
              <p className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900">
                Connected to the sandbox: {SANDBOX_SHOWS[vendor]} it shows is invented sample data, served by this app. To use {label}{" "}
                itself, rotate in a real key below.
              </p>
            ) : null}
            <dl aria-label={`${label} status`} className="grid grid-cols-[10rem_1fr] gap-y-1.5 text-sm">
              <dt className="text-zinc-500">{account.sandbox ? "Sandbox key" : "API key"}</dt>
              <dd className="font-mono">••••{account.keyLast4}</dd>
              <dt className="text-zinc-500">Last successful call</dt>
              <dd>{account.lastSuccessAt ? <LocalTime value={account.lastSuccessAt} withTime /> : "Never"}</dd>
              {creditsThisMonth !== undefined ? (
                <>
                  <dt className="text-zinc-500">Credits this month</dt>
                  <dd data-testid={`${vendor}-credits-this-month`}>
                    {creditsThisMonth.toLocaleString("en-US")} spent by this app{account.sandbox ? " (sample credits)" : ""}
                    <span className="text-zinc-500"> · as {label} reported them, since the 1st (UTC)</span>
                  </dd>
                </>
              ) : null}
              {account.lastError ? (
                <>
                  <dt className="text-zinc-500">Last error</dt>
                  <dd className="text-red-700">
                    {account.lastError}
                    {account.lastErrorAt ? (
                      <span className="text-zinc-500">
                        {" "}
                        (<LocalTime value={account.lastErrorAt} withTime />)
                      </span>
                    ) : null}
                  </dd>
                </>
              ) : null}
            </dl>
            {account.missingPermission ? (
              <p role="note" className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900">
                This key cannot do everything the app asks of {label}: {account.missingPermission} Rotate in a key that can.
              </p>
            ) : null}
            {vendor === "instantly" ? (
              <p className="text-sm">
                <Link href="/campaigns/instantly" className="text-accent-700 hover:underline">
                  See the synced Instantly campaigns and their daily analytics
                </Link>
              </p>
            ) : null}
            <AccountActions accountId={account.id} label={label} syncable={vendor === "instantly"} />
            <KeyForm vendor={vendor} accountId={account.id} />
          </>
        ) : (
          <>
            <KeyForm vendor={vendor} />
            {sandboxAvailable && hasSandbox(vendor) ? <SandboxButton vendor={vendor} /> : null}
          </>
        )}
      </div>
    </section>
  );
}
