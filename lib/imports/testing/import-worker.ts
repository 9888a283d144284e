/**
 * A child process for the import fault-injection test: runs an import's batches until it
 * stops, reporting each over IPC, so the parent can SIGKILL it at any moment (no cleanup, a
 * transaction cut off wherever it was). Started with `node --conditions=react-server
 * --import tsx`, with the parent's environment (DATABASE_URL …).
 *
 * Messages in: { go: { ref, batchSize } }. Messages out: "ready", { batch: processedRows }, { done: status }.
 */
import { runImportBatch, type ImportJobRef } from "../run-import-batch";

type Go = { ref: ImportJobRef; batchSize: number };

process.on("message", (message: { go?: Go }) => {
  if (message.go) void run(message.go);
});
process.send?.("ready");

async function run({ ref, batchSize }: Go): Promise<void> {
  for (;;) {
    const progress = await runImportBatch(ref, batchSize);
    process.send?.({ batch: progress.processedRows });
    if (progress.status !== "running") {
      process.send?.({ done: progress.status }, () => process.exit(0));
      return;
    }
  }
}
