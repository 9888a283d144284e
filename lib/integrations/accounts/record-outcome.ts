import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { serviceDb } from "@/db";
import { integrationAccounts, integrationInvalidAnswers } from "@/db/schema";
import { VendorError, type VendorErrorKind } from "@/lib/integrations/http/vendor-error";
import { VENDOR_LABELS, type IntegrationVendor } from "./vendors";

/**
 * Failures that say something about the account (its key, its plan's limits, the vendor being
 * down or answering in a shape we do not know), not about one request: a refused parameter or
 * an unknown record changes nothing.
 */
const ACCOUNT_FAILURES: ReadonlySet<VendorErrorKind> = new Set([
  "unauthorized",
  "forbidden",
  "unavailable",
  "rate_limited",
  "invalid_response",
]);

export type IntegrationUse = { workspaceId: string; accountId: string; vendor: IntegrationVendor };

/**
 * Writes how a use of an account's key went, whoever used it (a page's call, a job's step), on
 * the account that Settings → Integrations shows: its last successful call, or "failing" with
 * the vendor's reason. A malformed answer is also kept as received, with the field that
 * failed (integration_invalid_answers). On the service connection, scoped by workspace and
 * account: a sales rep's search reports on an account only admins may change. Never throws:
 * the call's own outcome is what its caller must see.
 */
export async function recordIntegrationOutcome(use: IntegrationUse, endpoint: string, error?: unknown): Promise<void> {
  if (error !== undefined && !(error instanceof VendorError && ACCOUNT_FAILURES.has(error.kind))) return;
  try {
    const db = serviceDb();
    const scope = and(
      eq(integrationAccounts.id, use.accountId),
      eq(integrationAccounts.workspaceId, use.workspaceId),
      eq(integrationAccounts.vendor, use.vendor),
      sql`${integrationAccounts.status} <> 'disconnected'`,
    );
    if (!error) {
      await db
        .update(integrationAccounts)
        .set({ status: "connected", lastSuccessAt: sql`now()` as unknown as Date, lastError: null, lastErrorAt: null })
        .where(scope);
      return;
    }
    const failure = error as VendorError;
    await db
      .update(integrationAccounts)
      .set({
        status: "failing",
        lastError: `${VENDOR_LABELS[use.vendor]}: ${failure.message}`.slice(0, 1000),
        lastErrorAt: sql`now()` as unknown as Date,
      })
      .where(scope);
    await keepInvalidAnswer(use, endpoint, failure);
  } catch (recording) {
    console.error(`[integrations] could not record the outcome of a ${use.vendor} call`, recording);
  }
}

/**
 * A vendor's answer that did not have the documented shape, kept as received with the field
 * that failed and where it came from (integration_invalid_answers, admins read it): nothing
 * was written from it, and this is what to look at. Anything else is not kept. Never throws.
 */
export async function keepInvalidAnswer(use: IntegrationUse, endpoint: string, error: unknown): Promise<void> {
  if (!(error instanceof VendorError) || error.kind !== "invalid_response") return;
  try {
    await serviceDb()
      .insert(integrationInvalidAnswers)
      .values({
        workspaceId: use.workspaceId,
        accountId: use.accountId,
        vendor: use.vendor,
        endpoint: endpoint.slice(0, 300),
        field: (error.details.field ?? "(unknown)").slice(0, 300),
        problem: error.message.slice(0, 1000),
        body: error.details.body ?? null,
      });
  } catch (keeping) {
    // The failure itself is what the caller reports; losing its copy must not hide it.
    console.error(`[integrations] could not keep a malformed ${use.vendor} answer`, keeping);
  }
}
