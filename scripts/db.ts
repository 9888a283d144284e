/** `npm run db:migrate | db:seed | db:reset` */
import { rm } from "node:fs/promises";
import path from "node:path";
import { EnvError } from "@/lib/env";
import { afterShutdown } from "@/lib/local/cluster-state";
import { DEMO_PASSWORD } from "@/lib/seed/demo-data";
import { dataDirectory, prepareEnvironment, shutdownOnSignals } from "./lib/prepare";
import { seed } from "./lib/seed";

const command = process.argv[2];

async function main() {
  if (command === "reset") {
    if (process.env.DATABASE_URL) {
      throw new EnvError("db:reset only deletes the embedded database in .data/. Unset DATABASE_URL, or reset that database yourself.");
    }
    const clusterDir = path.join(dataDirectory(), "postgres");
    if ((await afterShutdown(clusterDir, 60_000)).state === "running") {
      throw new EnvError("The embedded database is running. Stop `npm run dev` / `npm start` first, then run db:reset again.");
    }
    await rm(dataDirectory(), { recursive: true, force: true });
    console.log("Deleted .data/. Migrating and seeding a fresh database…");
  }
  const prepared = await prepareEnvironment({ dev: true });
  shutdownOnSignals(prepared.shutdown);
  try {
    if (command === "migrate") console.log("Migrations applied.");
    else {
      // The explicit way to seed: again even if this database was seeded before, re-creating
      // demo users and memberships that were deleted (starts of `npm run dev` never do).
      await seed({ force: true });
      console.log(
        `Demo data seeded: demo workspaces and logins (password ${DEMO_PASSWORD}) exist again, including any that had been deleted.\n` +
          "`npm run dev` seeds a database only once; run `npm run db:seed` whenever you want them back.",
      );
    }
  } finally {
    await prepared.shutdown();
  }
}

if (!["migrate", "seed", "reset"].includes(command ?? "")) {
  console.error("usage: tsx scripts/db.ts migrate|seed|reset");
  process.exit(2);
}
main().catch((error) => {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
