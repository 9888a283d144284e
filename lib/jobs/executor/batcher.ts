/**
 * Group commit for the executor's hot path: writes submitted while batches are in flight are
 * sent together as the next one, so under load many runs share one statement and one commit,
 * and an idle executor still writes each at once. A failing batch is retried item by item, so
 * one bad row cannot fail the others.
 */
export class Batcher<I, O> {
  private queue: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;

  constructor(
    private readonly write: (items: I[]) => Promise<O[]>,
    private readonly options: { maxBatch?: number; maxInFlight?: number } = {},
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < (this.options.maxInFlight ?? 1)) {
      const batch = this.queue.splice(0, this.options.maxBatch ?? 256);
      this.inFlight++;
      void this.send(batch).finally(() => {
        // The next batch goes a macrotask later, the slot held until then so no submit sends
        // alone meanwhile: the callers just resolved continue in microtasks, and most submit
        // their next write within them (a run's next step, or its completion). Sent at once,
        // the next batch would hold only what queued during the last one, and those callers
        // would wait for it to commit before theirs could even start: two commits per save,
        // and runs drifting into groups that take turns. This way they all share one.
        setImmediate(() => {
          this.inFlight--;
          this.pump();
        });
      });
    }
  }

  private async send(batch: typeof this.queue): Promise<void> {
    try {
      const results = await this.write(batch.map((b) => b.item));
      batch.forEach((b, i) => b.resolve(results[i] as O));
    } catch (error) {
      if (batch.length === 1) return batch[0]?.reject(error);
      for (const b of batch) await this.write([b.item]).then(([result]) => b.resolve(result as O), b.reject);
    }
  }
}
