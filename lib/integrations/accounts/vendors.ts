/**
 * The vendors a workspace connects with an API key (DESIGN.md §1). Browser-safe: the Settings →
 * Integrations page names them from here, db/schema/integrations.ts builds its enum from it.
 */
export const INTEGRATION_VENDORS = ["apollo", "instantly", "phantombuster"] as const;
export type IntegrationVendor = (typeof INTEGRATION_VENDORS)[number];

export const VENDOR_LABELS: Record<IntegrationVendor, string> = {
  apollo: "Apollo.io",
  instantly: "Instantly",
  phantombuster: "PhantomBuster",
};

/**
 * connected: the key worked on its last use; failing: it was refused or the vendor did not
 * answer on its last use (last_error says why); disconnected: no key is stored.
 */
export const INTEGRATION_STATUSES = ["connected", "failing", "disconnected"] as const;
export type IntegrationStatus = (typeof INTEGRATION_STATUSES)[number];
