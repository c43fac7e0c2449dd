/**
 * The main thread's side of update decoding: one worker, one update in flight, a watchdog.
 * An update that takes longer than `timeoutMs` or more memory than `maxMemoryMb` to decode
 * is refused as `too_costly`, and the worker is replaced (BI-Y3, FT-18). The event loop only
 * ever waits on a message, never on a decode.
 */
import { Worker } from 'node:worker_threads';
import type { GuardRequest, GuardResponse, GuardVerdict } from '@cairn/sync';

export interface UpdateGuardOptions {
  /** Longest a single decode may run. */
  timeoutMs: number;
  /** Heap cap for the decoding worker. */
  maxMemoryMb: number;
  /** Largest update accepted for decoding at all. */
  maxBytes: number;
}

interface Job {
  request: GuardRequest;
  resolve: (verdict: GuardVerdict) => void;
}

const WORKER_URL = new URL('./update-guard.worker.ts', import.meta.url);

export class UpdateGuard {
  readonly #options: UpdateGuardOptions;
  readonly #queue: Job[] = [];
  #worker: Worker | null = null;
  #inFlight: { job: Job; timer: NodeJS.Timeout } | null = null;
  #nextId = 1;
  #closed = false;
  /** How many times a worker was killed or died: for tests and metrics. */
  restarts = 0;

  constructor(options: UpdateGuardOptions) {
    this.#options = options;
  }

  inspect(update: Uint8Array): Promise<GuardVerdict> {
    // Cheap refusals first, without touching the worker (BI-Y2: empty updates never decode).
    if (update.byteLength === 0) return Promise.resolve({ ok: false, reason: 'empty' });
    if (update.byteLength > this.#options.maxBytes)
      return Promise.resolve({ ok: false, reason: 'too_large' });
    if (this.#closed) return Promise.resolve({ ok: false, reason: 'too_costly' });
    return new Promise((resolve) => {
      this.#queue.push({ request: { id: this.#nextId++, update }, resolve });
      this.#pump();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.resolve({ ok: false, reason: 'too_costly' });
    this.#finish({ ok: false, reason: 'too_costly' });
    await this.#worker?.terminate();
    this.#worker = null;
  }

  #pump(): void {
    if (this.#inFlight || this.#closed) return;
    const job = this.#queue.shift();
    if (!job) return;
    const timer = setTimeout(() => this.#replaceWorker(), this.#options.timeoutMs);
    this.#inFlight = { job, timer };
    this.#ensureWorker().postMessage(job.request);
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(WORKER_URL, {
      resourceLimits: { maxOldGenerationSizeMb: this.#options.maxMemoryMb, maxYoungGenerationSizeMb: 16 },
    });
    worker.on('message', (response: GuardResponse) => {
      if (response.id !== this.#inFlight?.job.request.id) return;
      const { id: _id, ...verdict } = response;
      this.#finish(verdict);
      this.#pump();
    });
    // Out of memory or any crash: that update was too costly; the next job gets a new worker.
    worker.on('error', () => this.#replaceWorker());
    worker.on('exit', () => {
      if (this.#worker === worker) this.#replaceWorker();
    });
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  #replaceWorker(): void {
    const dead = this.#worker;
    this.#worker = null;
    if (dead) {
      this.restarts += 1;
      void dead.terminate();
    }
    this.#finish({ ok: false, reason: 'too_costly' });
    this.#pump();
  }

  #finish(verdict: GuardVerdict): void {
    const current = this.#inFlight;
    if (!current) return;
    clearTimeout(current.timer);
    this.#inFlight = null;
    current.job.resolve(verdict);
  }
}
