/**
 * The embedded SQLite Store: one file, one connection on its own thread, operations queued one
 * at a time (see connection.ts for why).
 *
 * The realtime parts (documents, event streams) run whole in the connection's worker: their
 * group commits are the hot path, and there each costs one message each way instead of one per
 * statement, with drizzle's query building off the main thread as well. Their arguments and
 * results must therefore be plain data (structured clone), and errors come back as the same
 * classes with the same fields and causes (sqlite-protocol.ts). The other parts run their
 * statements through the worker one by one.
 */
import type { Worker } from 'node:worker_threads';
import { migrationsFolder } from '../migrations-folder.ts';
import type { Store } from '../store.ts';
import { sqliteAuditStore } from './audit.ts';
import { sqliteClinicStore } from './clinics.ts';
import { sqliteDocumentStore } from './documents.ts';
import { sqliteEventStore } from './events.ts';
import { sqliteGroupStore } from './groups.ts';
import { sqliteHomeStore, sqliteTabletStore } from './tablets.ts';
import { sqliteJournalStore } from './journals.ts';
import { openSqliteConnection, type SqliteConnection } from './connection.ts';
import { sqliteInviteStore } from './invites.ts';
import { sqliteMfaStore } from './mfa.ts';
import { sqliteSessionStore } from './sessions.ts';
import { sqliteUserStore } from './users.ts';

/** `part`'s methods, each run whole in the worker (which builds the same part over its connection). */
function inWorker<T extends object>(connection: SqliteConnection, part: T): T {
  const methods: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const name of Object.keys(part)) {
    methods[name] = (...args) => connection.inWorker(name, args);
  }
  return methods as T;
}

const rawConnections = new WeakMap<Store, SqliteConnection>();

export interface OpenedSqliteStore {
  store: Store;
  migrate(): Promise<void>;
}

export function createSqliteStore(dataDir: string): OpenedSqliteStore {
  const connection = openSqliteConnection(dataDir);
  const store: Store = {
    engine: 'sqlite',
    ping: () =>
      connection.serial(async () => {
        await connection.raw.rows('SELECT 1');
      }),
    close: () => connection.close(),
    ...sqliteClinicStore(connection),
    ...sqliteUserStore(connection),
    ...sqliteInviteStore(connection),
    ...sqliteSessionStore(connection),
    ...sqliteMfaStore(connection),
    ...sqliteAuditStore(connection),
    ...inWorker(connection, sqliteDocumentStore(connection)),
    ...inWorker(connection, sqliteEventStore(connection)),
    ...sqliteGroupStore(connection),
    ...sqliteTabletStore(connection),
    ...sqliteHomeStore(connection),
    ...sqliteJournalStore(connection),
  };
  rawConnections.set(store, connection);
  // In the worker, on the store's own connection, in one transaction (see migrate.ts).
  const migrate = () => connection.serial(() => connection.raw.migrate(migrationsFolder('sqlite')));
  return { store, migrate };
}

/** Raw SQL on a store's own connection, queued like any other store operation. */
export interface RawSqliteConnection {
  exec(sql: string): Promise<void>;
  /** One statement's rows as objects keyed by column name. */
  rows(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** The thread that owns the connection. */
  readonly worker: Worker;
}

/**
 * Tests only: the store's own connection, to check PRAGMAs and to tamper with rows the way
 * someone with the database file would. Deliberately not exported from index.ts.
 */
export function rawSqliteConnection(store: Store): RawSqliteConnection {
  const connection = rawConnections.get(store);
  if (!connection) throw new Error('Not a SQLite store.');
  const { serial, raw } = connection;
  return {
    exec: (sql) => serial(() => raw.exec(sql)),
    rows: (sql, params) => serial(() => raw.rows(sql, params)),
    worker: raw.worker,
  };
}
