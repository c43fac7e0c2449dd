/**
 * Group commit for document updates: everything appended during one event-loop turn is
 * written in ONE transaction, and each caller's promise resolves only after that transaction
 * is durably committed. While a batch is being written, new updates gather for the next one,
 * so batches grow with load and the cost of each fsync is shared.
 */
import type { DocUpdateAuthor, NewDocUpdate, Store } from '@cairn/db';

interface PendingUpdate extends NewDocUpdate {
  resolve: (seq: number) => void;
  reject: (error: unknown) => void;
}

export class CommitQueue {
  readonly #store: Store;
  #pending: PendingUpdate[] = [];
  #running = false;
  /** Batches written and updates in them: for tests and the benchmark. */
  readonly stats = { batches: 0, updates: 0 };

  constructor(store: Store) {
    this.#store = store;
  }

  /**
   * Resolves with the update's seq once it is durable; rejects if the write failed. The update
   * is stored with its own `author`, whoever else's updates share the batch.
   */
  append(docId: string, update: Uint8Array, author: DocUpdateAuthor): Promise<number> {
    const { actorId, deviceId } = author;
    return new Promise((resolve, reject) => {
      this.#pending.push({ docId, update, actorId, deviceId, resolve, reject });
      if (!this.#running) {
        this.#running = true;
        // Wait for the rest of this turn's messages before writing.
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending;
        this.#pending = [];
        try {
          const seqs = await this.#store.appendDocUpdates(batch);
          this.stats.batches += 1;
          this.stats.updates += batch.length;
          batch.forEach((item, i) => item.resolve(seqs[i]!));
        } catch (error) {
          for (const item of batch) item.reject(error);
        }
      }
    } finally {
      this.#running = false;
    }
  }
}
