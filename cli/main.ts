/** `npm run cli -- <command>`: prepares the environment as the launcher does, runs one command, stops. */
import { EnvError } from "@/lib/env";
import { prepareEnvironment, shutdownOnSignals } from "@/scripts/lib/prepare";
import { processIo } from "./context";
import { productJobs } from "./follow";
import { runCli } from "./program";

async function main(): Promise<number> {
  let prepared: Awaited<ReturnType<typeof prepareEnvironment>> | undefined;
  try {
    return await runCli(process.argv.slice(2), processIo, productJobs, {
      beforeCommand: async () => {
        prepared = await prepareEnvironment({ dev: process.env.NODE_ENV !== "production" });
        shutdownOnSignals(prepared.shutdown);
      },
    });
  } finally {
    await prepared?.shutdown();
  }
}

/** Exits once stdout has handed everything written to it to its reader (a pipe takes it at the reader's pace). */
function exitAfterStdout(code: number): void {
  process.stdout.write("", () => process.exit(code));
}

main().then(exitAfterStdout, (error: unknown) => {
  console.error(error instanceof EnvError ? error.message : error);
  exitAfterStdout(1);
});
