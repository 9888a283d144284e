"use client";
import { Button } from "@/components/ui/button";
import { useAction } from "@/components/use-action";
import type { ConnectableVendor, SandboxVendor } from "@/lib/integrations/accounts/schemas";
import { VENDOR_LABELS } from "@/lib/integrations/accounts/vendors";
import { connectSandbox } from "./actions";

/** What each sandbox invents (every vendor listed, so a new sandbox needs no change here). */
const SAMPLE: Record<ConnectableVendor, string> = {
  apollo: "invented sample people and companies",
  instantly: "invented sample campaigns, sending accounts, daily analytics, leads and replies",
  phantombuster: "invented sample agents and their LinkedIn results",
};

/** No key at hand: connect the app's own sandbox of the vendor, with invented sample data. */
export function SandboxButton({ vendor }: { vendor: SandboxVendor }) {
  const connect = useAction(connectSandbox);
  const label = VENDOR_LABELS[vendor];
  return (
    <div className="flex flex-wrap items-center gap-3 rounded-md bg-zinc-50 px-3 py-2 text-xs text-zinc-600">
      <p className="flex-1">
        No key yet? Try the sandbox: this app answers as {label} would, with {SAMPLE[vendor]}, labelled as sample data. It spends nothing.
      </p>
      <Button
        variant="secondary"
        size="sm"
        busy={connect.pending}
        onClick={() => connect.run({ vendor }, { success: `${label} sandbox connected: everything it shows is sample data.` })}
      >
        Connect the sandbox
      </Button>
    </div>
  );
}
