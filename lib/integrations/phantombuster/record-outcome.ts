import "server-only";
import { recordIntegrationOutcome } from "@/lib/integrations/accounts/record-outcome";

/**
 * Writes the outcome of a use of the key on the account, for Settings → Integrations, through
 * the one helper every vendor's calls use (lib/integrations/accounts/record-outcome.ts): its
 * last successful call, or "failing" with PhantomBuster's reason when the key was refused,
 * PhantomBuster did not answer or answered in a shape we do not know. An agent PhantomBuster
 * does not know changes nothing.
 */
export async function recordPhantomBusterOutcome(target: { workspaceId: string; accountId: string }, error?: unknown): Promise<void> {
  await recordIntegrationOutcome({ ...target, vendor: "phantombuster" }, "PhantomBuster API", error);
}
