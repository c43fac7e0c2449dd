/**
 * The thread that owns a store's one SQLite connection (see connection.ts for why it exists).
 *
 * Everything node:sqlite does is synchronous: preparing, stepping and, with WAL and
 * synchronous=FULL, the fsync of every COMMIT. Here that only stalls this thread; the main
 * thread posts a request and keeps serving sockets until the answer arrives.
 *
 * Two kinds of work arrive: single statements from the main thread's drizzle driver, and whole
 * Store operations of the realtime parts (documents, event streams), which run here on a
 * drizzle driver of their own over the same connection and statement cache, so each costs one
 * message each way however many statements it takes (see store.ts).
 *
 * Requests are answered strictly in the order they arrive, one at a time (an operation's
 * statements all run before the next request is looked at), and the main thread's `serial`
 * queue sends the next one only after the answer: it alone decides what runs between a BEGIN
 * and its COMMIT.
 */
import { registerHooks } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { SqliteContext } from './connection.ts';
import { migrateSqlite } from './migrate.ts';
import {
  ownBuffers,
  serializeError,
  type SqliteMethod,
  type SqliteRequest,
  type SqliteResponse,
  type SqliteWorkerData,
} from './sqlite-protocol.ts';

/** Bounds the prepared-statement cache; Store queries are a small fixed set. */
const STATEMENT_CACHE_LIMIT = 256;

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

type StoreMethod = (...args: unknown[]) => Promise<unknown>;

/**
 * Node 24 parses a package's package.json again for every module it loads from that package,
 * and drizzle-orm's is 180 KB with some 450 export entries: loading drizzle in this thread
 * took 0.6–0.9 s of CPU and left ~100 MB of garbage. Its ES build imports only its own `.js`
 * files, relatively, and those are ES modules ("type": "module"), so they are resolved here
 * directly: ~60 ms. Only this thread's module loading is affected, and only drizzle's own
 * relative imports; without `registerHooks` (an older Node) loading is merely slower.
 */
function resolveDrizzleDirectly(): void {
  if (typeof registerHooks !== 'function') return;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const parent = context.parentURL;
      if (
        parent?.includes('/node_modules/drizzle-orm/') &&
        parent.endsWith('.js') &&
        (specifier.startsWith('./') || specifier.startsWith('../')) &&
        specifier.endsWith('.js')
      ) {
        return { url: new URL(specifier, parent).href, format: 'module', shortCircuit: true };
      }
      return nextResolve(specifier, context);
    },
  });
}

function serve(raw: DatabaseSync): void {
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

  const query = (sql: string, params: unknown[], method: SqliteMethod): unknown => {
    // After an error that SQLite already rolled back itself (disk full, I/O), drizzle's own
    // ROLLBACK would fail and hide the real error; skip it when no transaction is open.
    if (sql === 'rollback' && !raw.isTransaction) return [];
    const statement = prepare(sql);
    const values = params as SQLInputValue[];
    if (method === 'run') {
      statement.run(...values);
      return [];
    }
    if (method === 'get') return statement.get(...values);
    return statement.all(...values);
  };

  // The realtime parts, on a drizzle driver that calls the connection directly. No queue of
  // their own: one request at a time already keeps their transactions apart. Loaded on first
  // use (≈ 0.3 s): loading blocks this thread, and a store that never touches documents or
  // streams (the CLI, most tests) should not wait for it.
  let parts: Promise<Map<string, StoreMethod>> | undefined;
  const realtimeParts = () =>
    (parts ??= (async () => {
      resolveDrizzleDirectly();
      const [{ drizzle }, { sqliteDocumentStore }, { sqliteEventStore }] = await Promise.all([
        import('drizzle-orm/sqlite-proxy'),
        import('./documents.ts'),
        import('./events.ts'),
      ]);
      const db = drizzle(async (sql, params, method) => ({
        rows: query(sql, params, method as SqliteMethod) as unknown[],
      }));
      const context: SqliteContext = {
        db,
        serial: (fn) => fn(),
        transaction: (fn) => db.transaction(fn, { behavior: 'immediate' }),
      };
      const methods = { ...sqliteDocumentStore(context), ...sqliteEventStore(context) };
      return new Map(Object.entries(methods) as [string, StoreMethod][]);
    })());

  const handle = async (request: SqliteRequest): Promise<unknown> => {
    switch (request.op) {
      case 'query':
        if (request.begin !== undefined) prepare(request.begin).run();
        return query(request.sql, request.params, request.method);
      case 'store': {
        const method = (await realtimeParts()).get(request.method);
        if (!method) throw new Error(`No Store method ${request.method} in the SQLite worker.`);
        return method(...request.args);
      }
      case 'exec':
        raw.exec(request.sql);
        return null;
      case 'rows':
        return raw.prepare(request.sql).all(...(request.params as SQLInputValue[]));
      case 'migrate':
        migrateSqlite(raw, request.folder);
        statements.clear(); // the schema may have changed under cached statements
        return null;
      case 'close':
        statements.clear();
        raw.close();
        return null;
    }
  };

  const answer = async (request: SqliteRequest): Promise<void> => {
    let response: SqliteResponse;
    let transfer: ArrayBuffer[] = [];
    try {
      const result = await handle(request);
      response = { id: request.id, ok: true, result };
      transfer = ownBuffers(result);
    } catch (error) {
      response = { id: request.id, ok: false, error: serializeError(error) };
    }
    try {
      parentPort!.postMessage(response, transfer);
    } catch (error) {
      // A result that cannot cross (DataCloneError): the caller gets that, not silence.
      parentPort!.postMessage({ id: request.id, ok: false, error: serializeError(error) } as SqliteResponse);
    }
    if (request.op === 'close' && response.ok) parentPort!.close();
  };

  let queue: Promise<void> = Promise.resolve();
  parentPort!.on('message', (request: SqliteRequest) => {
    queue = queue.then(() => answer(request));
  });
}

const { file } = workerData as SqliteWorkerData;
let opened: DatabaseSync | undefined;
try {
  opened = new DatabaseSync(file);
  applyPragmas(opened);
} catch (error) {
  opened?.close();
  opened = undefined;
  const failure: SqliteResponse = { id: 0, ok: false, fatal: true, error: serializeError(error) };
  parentPort!.postMessage(failure);
  parentPort!.close();
}
if (opened) serve(opened);
