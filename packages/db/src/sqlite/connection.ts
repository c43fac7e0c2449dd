/**
 * The one SQLite connection a store uses, the thread it lives on, and the queue that keeps its
 * operations apart.
 *
 * Why node:sqlite (`DatabaseSync`): libsql's client silently swaps to a fresh connection after
 * each transaction, losing per-connection PRAGMAs such as foreign_keys and busy_timeout;
 * better-sqlite3 needs a native build against the pinned Node. node:sqlite ships with Node 24,
 * installs nothing, and gives us exactly one connection whose settings we control.
 *
 * Why a worker thread: node:sqlite is synchronous, and with WAL and synchronous=FULL every
 * COMMIT waits for an fsync. On the main thread that stalled every socket of every room for
 * the length of each statement and commit. The connection therefore lives in
 * `sqlite-worker.ts` and the main thread only ever waits on a message. Work reaches it two ways:
 * - statement by statement: drizzle's sqlite-proxy driver here posts each statement and awaits
 *   its rows (the HTTP-side parts: users, sessions, audit, …);
 * - whole operations (`inWorker`): the realtime parts (documents, event streams) run in the
 *   worker on a drizzle driver of its own, so a group commit costs one message each way rather
 *   than one per statement, and their query building leaves the main thread too (store.ts).
 *
 * Why a queue: the proxy is async, so a transaction yields to the event loop between its
 * statements. On a single connection another operation could then run inside our
 * BEGIN … COMMIT. Every Store operation therefore runs through `serial`, one at a time, and
 * the worker answers requests strictly in order, so the queue alone decides what runs in a
 * transaction.
 *
 * If the worker dies, every pending and later operation rejects with an error saying so (none
 * hangs) and `ping` fails, so /readyz reports the store unusable until the process restarts.
 *
 * Open one store per data dir per process: two connections in one process would only contend
 * for the same write lock (each waiting up to busy_timeout in its own thread). Other processes
 * (an admin CLI next to the server) are fine: they wait up to busy_timeout.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { drizzle, type SqliteRemoteDatabase } from 'drizzle-orm/sqlite-proxy';
import {
  ownCopy,
  rebuildError,
  type SqliteCommand,
  type SqliteMethod,
  type SqliteRequest,
  type SqliteResponse,
  type SqliteWorkerData,
} from './sqlite-protocol.ts';

export type SqliteDb = SqliteRemoteDatabase;
export type SqliteTx = Parameters<Parameters<SqliteDb['transaction']>[0]>[0];
/** Either the database or an open transaction: helpers that run inside and outside one. */
export type SqliteQueryable = SqliteDb | SqliteTx;

export interface SqliteContext {
  db: SqliteDb;
  /** Runs `fn` alone on the connection, after every operation queued before it. */
  serial<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * `serial` inside BEGIN IMMEDIATE … COMMIT. IMMEDIATE takes the write lock up front, so a
   * second process on the same file waits (busy_timeout) instead of failing at its first write.
   */
  transaction<T>(fn: (tx: SqliteTx) => Promise<T>): Promise<T>;
}

/**
 * The connection outside drizzle: migrations, readiness, and tests that tamper with the file
 * the way its owner could. Not queued by itself: callers wrap these in `serial`.
 */
export interface SqliteRaw {
  /** Runs SQL text (one statement or several). */
  exec(sql: string): Promise<void>;
  /** Runs one statement and returns its rows as objects keyed by column name. */
  rows(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Applies pending migrations in the worker, in one transaction (see migrate.ts). */
  migrate(migrationsFolder: string): Promise<void>;
  /** The thread that owns the connection (tests use it to simulate a crash). */
  readonly worker: Worker;
}

export interface SqliteConnection extends SqliteContext {
  raw: SqliteRaw;
  /**
   * Runs a Store operation of the parts that live in the worker (see store.ts), queued like any
   * other. Its arguments are copied now: the caller may reuse its buffers while it waits.
   */
  inWorker(method: string, args: unknown[]): Promise<unknown>;
  close(): Promise<void>;
}

const WORKER_URL = new URL('./sqlite-worker.ts', import.meta.url);

interface Pending {
  resolve: (rows: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * A BLOB parameter that is a view of a larger buffer (Node's 8 KiB Buffer pool, a network
 * frame) is copied on its own: posting the view would clone its whole buffer every time.
 */
function portableParams(params: unknown[]): unknown[] {
  let copied: unknown[] | undefined;
  for (let i = 0; i < params.length; i += 1) {
    const value = params[i];
    if (value instanceof Uint8Array && value.byteLength !== value.buffer.byteLength) {
      copied ??= params.slice();
      copied[i] = new Uint8Array(value);
    }
  }
  return copied ?? params;
}

/** Requests to the worker, answered in order; rejects them all if the worker goes away. */
class SqliteWorkerClient {
  readonly worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  /** Set once the worker cannot answer any more: makes the error every request gets. */
  #gone: (() => Error) | null = null;

  constructor(file: string) {
    const workerData: SqliteWorkerData = { file };
    this.worker = new Worker(WORKER_URL, { workerData });
    // Idle, the worker must not keep the process alive; a request in flight refs it again.
    this.worker.unref();
    this.worker.on('message', (response: SqliteResponse) => this.#answer(response));
    this.worker.on('error', (error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      this.#fail(() => new Error(`The SQLite worker crashed: ${reason}`, { cause: error }));
    });
    this.worker.on('exit', (code) => {
      this.#fail(() => new Error(`The SQLite worker stopped unexpectedly (exit code ${code}).`));
    });
  }

  get alive(): boolean {
    return this.#gone === null;
  }

  call(command: SqliteCommand, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.#gone) return Promise.reject(this.#gone());
    const request = { ...command, id: this.#nextId++ } as SqliteRequest;
    if ('params' in request) request.params = portableParams(request.params);
    return new Promise((resolve, reject) => {
      try {
        this.worker.postMessage(request, transfer); // throws for values that cannot cross
      } catch (error) {
        reject(error as Error);
        return;
      }
      if (this.#pending.size === 0) this.worker.ref();
      this.#pending.set(request.id, { resolve, reject });
    });
  }

  /** Closes the connection (if the worker still runs) and ends the thread. */
  async close(): Promise<void> {
    try {
      if (this.#gone === null) await this.call({ op: 'close' });
    } finally {
      this.#fail(() => new Error('The store is closed.'));
      await this.worker.terminate();
    }
  }

  #answer(response: SqliteResponse): void {
    if ('fatal' in response) {
      const error = response.error;
      this.#fail(() => rebuildError(error));
      return;
    }
    const pending = this.#pending.get(response.id);
    if (!pending) return;
    this.#pending.delete(response.id);
    if (this.#pending.size === 0) this.worker.unref();
    if (response.ok) pending.resolve(response.result);
    else pending.reject(rebuildError(response.error));
  }

  #fail(makeError: () => Error): void {
    if (this.#gone) return;
    this.#gone = makeError;
    for (const pending of this.#pending.values()) pending.reject(makeError());
    this.#pending.clear();
    this.worker.unref();
  }
}

export function openSqliteConnection(dataDir: string): SqliteConnection {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const client = new SqliteWorkerClient(join(dataDir, 'cairn.db'));

  // drizzle opens a transaction with its own statement ("begin immediate"). Rather than a round
  // trip of its own, it travels with the transaction's first statement, which the worker runs
  // right after it; if BEGIN fails (SQLITE_BUSY after busy_timeout), that statement fails with
  // BEGIN's error and runs not at all. `serial` keeps anything else from coming in between.
  let heldBegin: string | undefined;
  const db = drizzle(async (sql, params, method) => {
    if (sql === 'begin' || sql.startsWith('begin ')) {
      heldBegin = sql;
      return { rows: [] };
    }
    const begin = heldBegin;
    heldBegin = undefined;
    // A ROLLBACK with nothing begun yet, or once the worker is gone (the transaction went with
    // it): let drizzle rethrow the error that made it roll back, not one from the ROLLBACK.
    // (The worker itself skips a ROLLBACK when SQLite already rolled back, after disk-full or
    // I/O errors.)
    if (sql === 'rollback' && (begin !== undefined || !client.alive)) return { rows: [] };
    const rows = await client.call({ op: 'query', sql, params, method: method as SqliteMethod, begin });
    return { rows: rows as unknown[] };
  });

  let closed = false;
  let closing: Promise<void> | undefined;
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    if (closed) return Promise.reject(new Error('The store is closed.'));
    const result = tail.then(fn);
    tail = result.catch(() => undefined);
    return result;
  };

  const raw: SqliteRaw = {
    worker: client.worker,
    exec: async (sql) => {
      await client.call({ op: 'exec', sql });
    },
    rows: async (sql, params = []) =>
      (await client.call({ op: 'rows', sql, params })) as Record<string, unknown>[],
    migrate: async (folder) => {
      await client.call({ op: 'migrate', folder });
    },
  };

  return {
    db,
    raw,
    serial,
    inWorker: (method, args) => {
      const transfer: ArrayBuffer[] = [];
      const own = ownCopy(args, transfer) as unknown[];
      return serial(() => client.call({ op: 'store', method, args: own }, transfer));
    },
    transaction: (fn) => serial(() => db.transaction(fn, { behavior: 'immediate' })),
    close: () => {
      if (!closing) {
        const drained = serial(async () => undefined);
        closed = true;
        closing = drained.then(() => client.close());
      }
      return closing;
    },
  };
}
