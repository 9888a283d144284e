/**
 * Stands in for the launcher in lib/local/embedded-postgres.integration.test.ts: starts a cluster
 * the way `npm run dev` does (own process group, watched), reports its URL, and waits to be killed.
 */
import { startEmbeddedPostgres } from "../embedded-postgres";

const [dataDir, port] = process.argv.slice(2);
const cluster = await startEmbeddedPostgres({ dataDir: dataDir!, port: Number(port), database: "lip_guarded", ownProcessGroup: true });
process.send?.({ url: cluster.url });
setInterval(() => {}, 60_000);
