import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { serviceDb } from "@/db";
import { integrationAccounts } from "@/db/schema";
import { VendorError, type VendorErrorKind } from "@/lib/integrations/http/vendor-error";

/** Failures that say something about the account (its key, PhantomBuster itself), not about one agent. */
const ACCOUNT_FAILURES: ReadonlySet<VendorErrorKind> = new Set(["unauthorized", "forbidden", "unavailable", "rate_limited"]);

/**
 * Writes the outcome of a use of the key on the account, for Settings → Integrations: its last
 * successful call, or "failing" with PhantomBuster's reason when the key was refused or
 * PhantomBuster did not answer. An agent PhantomBuster does not know changes nothing. On the
 * service connection, scoped by workspace and account: a sales rep's import may report on an
 * account only admins may change.
 */
export async function recordPhantomBusterOutcome(target: { workspaceId: string; accountId: string }, error?: unknown): Promise<void> {
  if (error !== undefined && !(error instanceof VendorError && ACCOUNT_FAILURES.has(error.kind))) return;
  await serviceDb()
    .update(integrationAccounts)
    .set(
      error
        ? {
            status: "failing",
            lastError: `PhantomBuster: ${(error as VendorError).message}`.slice(0, 1000),
            lastErrorAt: sql`now()` as unknown as Date,
          }
        : { status: "connected", lastSuccessAt: sql`now()` as unknown as Date, lastError: null, lastErrorAt: null },
    )
    .where(
      and(
        eq(integrationAccounts.id, target.accountId),
        eq(integrationAccounts.workspaceId, target.workspaceId),
        eq(integrationAccounts.vendor, "phantombuster"),
        sql`${integrationAccounts.status} <> 'disconnected'`,
      ),
    );
}
