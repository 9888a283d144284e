import { z } from "zod";

/** Browser-safe: the Settings → Integrations forms validate with these before the server does again. */

/** Vendors with a client in lib/integrations/<vendor>/ that can check a key before it is saved. */
export const CONNECTABLE_VENDORS = ["apollo", "instantly", "phantombuster"] as const;
export type ConnectableVendor = (typeof CONNECTABLE_VENDORS)[number];

/** Vendors with a sandbox served by this app (lib/integrations/<vendor>/sandbox/). */
export const SANDBOX_VENDORS = ["apollo", "instantly", "phantombuster"] as const satisfies readonly ConnectableVendor[];
export type SandboxVendor = (typeof SANDBOX_VENDORS)[number];
export const hasSandbox = (vendor: ConnectableVendor): vendor is SandboxVendor => (SANDBOX_VENDORS as readonly string[]).includes(vendor);

export const ZApiKey = z
  .string({ message: "Paste the API key." })
  .trim()
  .min(1, "Paste the API key.")
  .max(200, "That is longer than any API key; paste the key alone.")
  .regex(/^[\x21-\x7e]+$/, "An API key has no spaces or accented letters; paste the key alone.");

const ZAccountId = z.uuid("That integration is not valid.");

export const ZConnectIntegration = z.object({
  vendor: z.enum(CONNECTABLE_VENDORS, { message: "Choose a vendor this app can connect." }),
  apiKey: ZApiKey,
});
export const ZConnectSandbox = z.object({ vendor: z.enum(SANDBOX_VENDORS, { message: "Choose a vendor this app has a sandbox for." }) });
export const ZRotateIntegrationKey = z.object({ accountId: ZAccountId, apiKey: ZApiKey });
export const ZIntegrationAccountRef = z.object({ accountId: ZAccountId });
