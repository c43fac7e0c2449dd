/**
 * The one SQLite connection a store uses, and the queue that keeps its operations apart.
 *
 * Why node:sqlite (`DatabaseSync`): libsql's client silently swaps to a fresh connection after
 * each transaction, losing per-connection PRAGMAs such as foreign_keys and busy_timeout;
 * better-sqlite3 needs a native build against the pinned Node. node:sqlite ships with Node 24,
 * installs nothing, and gives us exactly one connection whose settings we control.
 *
 * Why a queue: drizzle's sqlite-proxy driver is async, so a transaction yields to the event
 * loop between its statements. On a single connection another operation could then run inside
 * our BEGIN … COMMIT. Every Store operation therefore runs through `serial`, one at a time.
 *
 * Open one store per data dir per process: node:sqlite waits for a busy lock synchronously, so
 * two connections in one process could block the event loop the other needs to commit. Other
 * processes (an admin CLI next to the server) are fine: they wait up to busy_timeout.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { drizzle, type SqliteRemoteDatabase } from 'drizzle-orm/sqlite-proxy';

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

export interface SqliteConnection extends SqliteContext {
  raw: DatabaseSync;
  close(): Promise<void>;
}

/** Bounds the prepared-statement cache; Store queries are a small fixed set. */
const STATEMENT_CACHE_LIMIT = 256;

export function openSqliteConnection(dataDir: string): SqliteConnection {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const raw = new DatabaseSync(join(dataDir, 'cairn.db'));
  try {
    applyPragmas(raw);
  } catch (error) {
    raw.close();
    throw error;
  }

  const statements = new Map<string, StatementSync>();
  const prepare = (sql: string): StatementSync => {
    let statement = statements.get(sql);
    if (!statement) {
      if (statements.size >= STATEMENT_CACHE_LIMIT) statements.clear();
      statement = raw.prepare(sql);
      statement.setReturnArrays(true); // sqlite-proxy maps rows by column position
      statements.set(sql, statement);
    }
    return statement;
  };

  const db = drizzle(async (sql, params, method) => {
    // After an error that SQLite already rolled back itself (disk full, I/O), drizzle's own
    // ROLLBACK would fail and hide the real error; skip it when no transaction is open.
    if (sql === 'rollback' && !raw.isTransaction) return { rows: [] };
    const statement = prepare(sql);
    const values = params as SQLInputValue[];
    if (method === 'run') {
      statement.run(...values);
      return { rows: [] };
    }
    if (method === 'get') return { rows: statement.get(...values) as unknown as unknown[] };
    return { rows: statement.all(...values) };
  });

  let closed = false;
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    if (closed) return Promise.reject(new Error('The store is closed.'));
    const result = tail.then(fn);
    tail = result.catch(() => undefined);
    return result;
  };

  return {
    db,
    raw,
    serial,
    transaction: (fn) => serial(() => db.transaction(fn, { behavior: 'immediate' })),
    close: async () => {
      if (closed) return;
      const drained = serial(async () => undefined);
      closed = true;
      await drained;
      raw.close();
    },
  };
}

function applyPragmas(raw: DatabaseSync): void {
  // busy_timeout first, so switching to WAL waits for another process instead of failing.
  raw.exec('PRAGMA busy_timeout = 5000');
  const [mode] = raw.prepare('PRAGMA journal_mode = WAL').all() as { journal_mode: string }[];
  if (mode?.journal_mode !== 'wal') {
    throw new Error(
      `SQLite refused WAL mode (got ${mode?.journal_mode}); is the data dir on a network filesystem?`,
    );
  }
  // FULL: a commit is on disk before we acknowledge it, even with WAL.
  raw.exec('PRAGMA synchronous = FULL');
  raw.exec('PRAGMA foreign_keys = ON');
}
