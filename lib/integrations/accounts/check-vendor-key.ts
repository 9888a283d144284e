import "server-only";
import { createApolloClient } from "@/lib/integrations/apollo/client";
import { checkApolloKey, missingApolloPermission } from "@/lib/integrations/apollo/key-check";
import { apolloSandboxBaseUrl } from "@/lib/integrations/apollo/sandbox/base-url";
import { VendorError } from "@/lib/integrations/http/vendor-error";
import { createInstantlyClient } from "@/lib/integrations/instantly/client";
import { checkInstantlyKey } from "@/lib/integrations/instantly/key-check";
import { instantlySandboxBaseUrl } from "@/lib/integrations/instantly/sandbox/base-url";
import { createPhantomBusterClient } from "@/lib/integrations/phantombuster/client";
import { checkPhantomBusterKey } from "@/lib/integrations/phantombuster/key-check";
import { phantomBusterSandboxUrls } from "@/lib/integrations/phantombuster/sandbox/base-url";
import { AppError } from "@/lib/errors";
import type { ConnectableVendor } from "./schemas";

/** A key check waits less than a job would: a person is waiting, inside a transaction. */
const KEY_CHECK_POLICY = { retries: 1, baseDelayMs: 300, maxDelayMs: 1_000, maxRetryAfterMs: 2_000, timeoutMs: 10_000 };

/** What a working key may not do (null: nothing missing; undefined: the vendor did not say). */
export type KeyAccess = { missingPermission: string | null | undefined };

/**
 * The vendor's cheap call with this key (against the app's own sandbox for a sandbox account),
 * then what it may not do; throws the vendor's refusal of the key (a VendorError).
 */
export async function runVendorKeyCheck(vendor: ConnectableVendor, apiKey: string, { sandbox = false } = {}): Promise<KeyAccess> {
  if (vendor === "apollo") {
    const baseUrl = sandbox ? apolloSandboxBaseUrl() : undefined;
    const client = createApolloClient({ apiKey, baseUrl, policy: KEY_CHECK_POLICY });
    await checkApolloKey(client);
    return { missingPermission: await missingApolloPermission(client) };
  }
  if (vendor === "instantly") {
    const baseUrl = sandbox ? instantlySandboxBaseUrl() : undefined;
    await checkInstantlyKey(createInstantlyClient({ apiKey, baseUrl, policy: KEY_CHECK_POLICY }));
    // Instantly names a missing scope in its 403 when a call needs it (lib/integrations/instantly).
    return { missingPermission: undefined };
  }
  if (vendor === "phantombuster") {
    const urls = sandbox ? phantomBusterSandboxUrls() : {};
    await checkPhantomBusterKey(createPhantomBusterClient({ apiKey, ...urls, policy: KEY_CHECK_POLICY }));
    // PhantomBuster keys have no scopes: a key that lists the agents can import and launch them.
    return { missingPermission: null };
  }
  const unknown: never = vendor;
  throw new Error(`No key check for ${String(unknown)}`);
}

/** The same, before a key is saved: a refusal becomes a message for the admin's form. */
export async function checkVendorKey(vendor: ConnectableVendor, apiKey: string): Promise<KeyAccess> {
  try {
    return await runVendorKeyCheck(vendor, apiKey);
  } catch (error) {
    throw keyCheckRefusal(error);
  }
}

export function keyCheckRefusal(error: unknown): unknown {
  if (!(error instanceof VendorError)) return error;
  if (error.kind === "unauthorized" || error.kind === "forbidden") {
    return new AppError("invalid_input", `${error.message} Nothing was saved.`, { apiKey: [error.message] });
  }
  if (error.kind === "rate_limited") return new AppError("rate_limited", `${error.message} Nothing was saved; try again later.`);
  return new AppError(
    "unavailable",
    `${error.message.replace(/ Nothing was lost; try again later\.$/, "")} Nothing was saved; try again later.`,
  );
}
