import { listAgents } from "./agents";
import type { PhantomBusterClient } from "./client";

/**
 * The cheap call that tells whether a key works, before it is saved: the list of agents
 * (`GET /agents/fetch-all`), the first thing the PhantomBuster page reads. PhantomBuster
 * documents no dedicated check; a wrong key is a 401.
 */
export async function checkPhantomBusterKey(client: PhantomBusterClient): Promise<void> {
  await listAgents(client);
}
