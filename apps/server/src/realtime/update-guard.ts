/**
 * The main thread's side of update decoding: one worker, one batch in flight, a watchdog.
 * Updates that arrive while a batch is decoding wait, and go together in the next message: a
 * busy server pays one round trip per batch, not per update (the 2026-11-22 profile put 40% of
 * the main thread in postMessage). An update that takes longer than `timeoutMs` or more memory
 * than `maxMemoryMb` to decode is refused as `too_costly`, and the worker is replaced (BI-Y3,
 * FT-18). When a batch fails that way, each of its updates is tried again alone, so only the
 * costly one is refused: a hostile client cannot take its neighbours' edits down with it. The
 * event loop only ever waits on a message, never on a decode.
 */
import { Worker } from 'node:worker_threads';
import type { GuardRequest, GuardResponse, GuardVerdict } from '@cairn/sync';

export interface UpdateGuardOptions {
  /** Longest a single decode may run (a batch gets the same: honest updates take microseconds). */
  timeoutMs: number;
  /** Heap cap for the decoding worker. */
  maxMemoryMb: number;
  /** Largest update accepted for decoding at all. */
  maxBytes: number;
}

interface Job {
  update: Uint8Array;
  /** Describe what it writes too (`UpdateFacts.content`): its document is rich text. */
  describe: boolean;
  resolve: (verdict: GuardVerdict) => void;
  /** It was in a batch that failed: it goes on its own, so a failure is its own. */
  alone: boolean;
}

/** Most updates, and bytes, in one message to the worker. */
const BATCH_UPDATES = 64;
const BATCH_BYTES = 1024 * 1024;

const WORKER_URL = new URL('./update-guard.worker.ts', import.meta.url);
/**
 * A new worker must load Yjs before it can judge anything, and on a busy machine that alone can
 * outlast `timeoutMs`: the watchdog starts when the worker says it is ready, so an honest update
 * is never blamed for a boot. A boot that never finishes is still cut off, after this long.
 */
const BOOT_TIMEOUT_MS = 15_000;

/**
 * The update's own bytes: a view into a larger buffer (a socket frame, a pooled Buffer) would
 * otherwise carry that whole buffer across to the worker.
 */
function ownBytes(update: Uint8Array): Uint8Array {
  return update.byteOffset === 0 && update.byteLength === update.buffer.byteLength ? update : update.slice();
}

export class UpdateGuard {
  readonly #options: UpdateGuardOptions;
  readonly #queue: Job[] = [];
  #worker: Worker | null = null;
  #inFlight: { id: number; jobs: Job[]; timer: NodeJS.Timeout | null } | null = null;
  /** The current worker has loaded and answers: its time on a batch is the batch's own. */
  #workerReady = false;
  #nextId = 1;
  #closed = false;
  /** How many times a worker was killed or died: for tests and metrics. */
  restarts = 0;

  constructor(options: UpdateGuardOptions) {
    this.#options = options;
  }

  inspect(update: Uint8Array, options: { describeContent?: boolean } = {}): Promise<GuardVerdict> {
    // Cheap refusals first, without touching the worker (BI-Y2: empty updates never decode).
    if (update.byteLength === 0) return Promise.resolve({ ok: false, reason: 'empty' });
    if (update.byteLength > this.#options.maxBytes)
      return Promise.resolve({ ok: false, reason: 'too_large' });
    if (this.#closed) return Promise.resolve({ ok: false, reason: 'too_costly' });
    return new Promise((resolve) => {
      this.#queue.push({
        update: ownBytes(update),
        describe: options.describeContent === true,
        resolve,
        alone: false,
      });
      this.#pump();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.resolve({ ok: false, reason: 'too_costly' });
    this.#settle(null);
    await this.#worker?.terminate();
    this.#worker = null;
  }

  #nextBatch(): Job[] {
    if (this.#queue[0]?.alone) return this.#queue.splice(0, 1);
    let bytes = 0;
    let count = 0;
    while (count < this.#queue.length && count < BATCH_UPDATES) {
      const job = this.#queue[count]!;
      if (job.alone || (count > 0 && bytes + job.update.byteLength > BATCH_BYTES)) break;
      bytes += job.update.byteLength;
      count += 1;
    }
    return this.#queue.splice(0, count);
  }

  #pump(): void {
    if (this.#inFlight || this.#closed || this.#queue.length === 0) return;
    const jobs = this.#nextBatch();
    const id = this.#nextId++;
    this.#inFlight = { id, jobs, timer: null };
    const request: GuardRequest = {
      id,
      updates: jobs.map((job) => job.update),
      describe: jobs.map((job) => job.describe),
    };
    this.#ensureWorker().postMessage(request);
    if (this.#workerReady) this.#startWatchdog();
  }

  #startWatchdog(): void {
    const current = this.#inFlight;
    if (current && current.timer === null) {
      current.timer = setTimeout(() => this.#replaceWorker(), this.#options.timeoutMs);
    }
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(WORKER_URL, {
      resourceLimits: { maxOldGenerationSizeMb: this.#options.maxMemoryMb, maxYoungGenerationSizeMb: 16 },
    });
    this.#workerReady = false;
    const boot = setTimeout(() => {
      if (this.#worker === worker && !this.#workerReady) this.#replaceWorker();
    }, BOOT_TIMEOUT_MS);
    boot.unref();
    worker.on('message', (response: GuardResponse | 'ready') => {
      if (response === 'ready') {
        clearTimeout(boot);
        if (this.#worker !== worker) return;
        this.#workerReady = true;
        return this.#startWatchdog();
      }
      if (response.id !== this.#inFlight?.id) return;
      this.#settle(response.verdicts);
      this.#pump();
    });
    // Out of memory or any crash: that batch was too costly; the next one gets a new worker.
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
    const failed = this.#inFlight;
    if (failed && failed.jobs.length > 1 && !this.#closed) {
      // Which one was costly is unknown: each goes again on its own, in the order they came.
      if (failed.timer) clearTimeout(failed.timer);
      this.#inFlight = null;
      this.#queue.unshift(...failed.jobs.map((job) => ({ ...job, alone: true })));
    } else {
      this.#settle(null);
    }
    this.#pump();
  }

  /** Answers the batch in flight: with the worker's verdicts, or (null) as too costly. */
  #settle(verdicts: GuardVerdict[] | null): void {
    const current = this.#inFlight;
    if (!current) return;
    if (current.timer) clearTimeout(current.timer);
    this.#inFlight = null;
    current.jobs.forEach((job, i) => job.resolve(verdicts?.[i] ?? { ok: false, reason: 'too_costly' }));
  }
}
