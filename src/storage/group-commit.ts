/**
 * Group commit: items that arrive together are written in one batch, and each `add()` resolves
 * only once its own item is committed (or rejects with the batch's error). While one batch is
 * being written the next one collects, and is written as soon as the first is done.
 */
interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class GroupCommit<T> {
  private queue: Pending<T>[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly write: (batch: T[]) => Promise<void>,
    private readonly maxBatch = 500,
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.flushing === null) this.flushing = this.flushLoop();
    });
  }

  /** Resolves when everything added so far is written (or failed). */
  async settled(): Promise<void> {
    await this.flushing;
  }

  private async flushLoop(): Promise<void> {
    // Let the callers of this event-loop turn join the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        await this.write(batch.map((p) => p.item));
        for (const p of batch) p.resolve();
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    this.flushing = null;
  }
}
