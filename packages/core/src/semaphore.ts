/**
 * Bounds concurrent expensive work (argon2 hashing: 19+ MiB each) and the queue in front of
 * it. When the queue is full the caller is refused at once rather than piling up memory
 * (BI-A14: 200 parallel logins must stay bounded).
 */
export class QueueFullError extends Error {
  constructor() {
    super('The work queue is full.');
    this.name = 'QueueFullError';
  }
}

export class Semaphore {
  readonly #limit: number;
  readonly #maxQueue: number;
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(limit: number, maxQueue: number) {
    this.#limit = limit;
    this.#maxQueue = maxQueue;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#limit) {
      if (this.#waiting.length >= this.#maxQueue) throw new QueueFullError();
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running += 1;
    }
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      // Hand the slot straight to the next waiter; only free it when nobody waits.
      if (next) next();
      else this.#running -= 1;
    }
  }

  get pending(): number {
    return this.#waiting.length;
  }
}
