/**
 * The embedded SQLite Store: one file, one connection, operations queued one at a time
 * (see connection.ts for why).
 */
import type { DatabaseSync } from 'node:sqlite';
import { migrationsFolder } from '../migrations-folder.ts';
import type { Store } from '../store.ts';
import { sqliteAuditStore } from './audit.ts';
import { sqliteClinicStore } from './clinics.ts';
import { sqliteDocumentStore } from './documents.ts';
import { sqliteEventStore } from './events.ts';
import { openSqliteConnection } from './connection.ts';
import { sqliteInviteStore } from './invites.ts';
import { sqliteMfaStore } from './mfa.ts';
import { migrateSqlite } from './migrate.ts';
import { sqliteSessionStore } from './sessions.ts';
import { sqliteUserStore } from './users.ts';

const rawConnections = new WeakMap<Store, DatabaseSync>();

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
        connection.raw.prepare('SELECT 1').get();
      }),
    close: () => connection.close(),
    ...sqliteClinicStore(connection),
    ...sqliteUserStore(connection),
    ...sqliteInviteStore(connection),
    ...sqliteSessionStore(connection),
    ...sqliteMfaStore(connection),
    ...sqliteAuditStore(connection),
    ...sqliteDocumentStore(connection),
    ...sqliteEventStore(connection),
  };
  rawConnections.set(store, connection.raw);
  const migrate = () =>
    connection.serial(async () => migrateSqlite(connection.raw, migrationsFolder('sqlite')));
  return { store, migrate };
}

/**
 * Tests only: the store's own connection, to check PRAGMAs and to tamper with rows the way
 * someone with the database file would. Deliberately not exported from index.ts.
 */
export function rawSqliteConnection(store: Store): DatabaseSync {
  const raw = rawConnections.get(store);
  if (!raw) throw new Error('Not a SQLite store.');
  return raw;
}
