/**
 * A child process for the import fault-injection test: runs an import's batches until it
 * stops, reporting each over IPC, so the parent can SIGKILL it at any moment (no cleanup, a
 * transaction cut off wherever it was). Started with `node --conditions=react-server
 * --import tsx`, with the parent's environment (DATABASE_URL …).
 *
 * With `stallBeforeCommit: n`, its n-th batch stops with every write done but not committed
 * and says so ({ stalled }), for the parent to kill it exactly there.
 *
 * Messages in: { go: { ref, batchSize, stallBeforeCommit? } }. Messages out: "ready",
 * { batch: processedRows }, { stalled: true }, { done: status }.
 */
import { runImportBatch, type ImportJobRef } from "../run-import-batch";

type Go = { ref: ImportJobRef; batchSize: number; stallBeforeCommit?: number };

process.on("message", (message: { go?: Go }) => {
  if (message.go) void run(message.go);
});
process.send?.("ready");

async function run({ ref, batchSize, stallBeforeCommit }: Go): Promise<void> {
  for (let batch = 1; ; batch++) {
    const stall =
      batch === stallBeforeCommit
        ? async () => {
            process.send?.({ stalled: true });
            await new Promise(() => {});
          }
        : undefined;
    const progress = await runImportBatch(ref, batchSize, { beforeCommit: stall });
    process.send?.({ batch: progress.processedRows });
    if (progress.status !== "running") {
      process.send?.({ done: progress.status }, () => process.exit(0));
      return;
    }
  }
}
