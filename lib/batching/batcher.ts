/** Rows per statement; more wait for the next batch. */
const MAX_BATCH = 256;

/**
 * Group commit for hot paths (the executor's saves, the send step's reads): items submitted in
 * one turn of the event loop, or while a batch is in flight, are sent together as the next
 * batch, so under load many runs share one statement, one round trip and one commit. A failing
 * batch is retried item by item, so one bad row cannot fail the others.
 */
export class Batcher<I, O> {
  private queue: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  /** One batch at a time: two in flight compete for the same WAL flush and measured slower. */
  private sending = false;
  private scheduled = false;

  constructor(private readonly write: (items: I[]) => Promise<O[]>) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Sends what has queued a macrotask later, never from inside `submit`. Writes come in groups
   * within one turn: the callers a batch just answered continue in microtasks and most submit
   * their next write there (a run's next step, or its completion), and the runs of one claim
   * start together. Sent at once, the first of a group would go alone and the rest would wait
   * for it to commit before theirs could even start: two commits for those saves, and runs
   * drifting into groups that take turns. This way they all share one.
   */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.sending || this.queue.length === 0) return;
    this.sending = true;
    void this.send(this.queue.splice(0, MAX_BATCH)).finally(() => {
      this.sending = false;
      this.schedule();
    });
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
