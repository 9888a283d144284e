import { startEmbeddedPostgres } from "@/lib/local/embedded-postgres";
import { openPostgres } from "@/db/postgres-target";
const c = await startEmbeddedPostgres({ dataDir: "/tmp/sockcheck-pg", port: 5977, ephemeral: true });
console.log(c.url);
const sql = openPostgres(c.url, { max: 1 });
console.log(await sql`select client_addr, current_setting('unix_socket_directories') d from pg_stat_activity where pid = pg_backend_pid()`);
await sql.end(); await c.stop();
