import type { InstantlyClient } from "./client";
import { listCampaignsPage } from "./resources";

/**
 * The cheap call that tells whether a key works, before it is saved: one campaign of the list
 * (`GET /campaigns?limit=1`), the first thing a sync reads. A wrong key is a 401; a key without
 * the campaigns scope is a 403 naming it; a workspace without a paid plan is a 402.
 */
export async function checkInstantlyKey(client: InstantlyClient): Promise<void> {
  await listCampaignsPage(client, undefined, 1);
}
