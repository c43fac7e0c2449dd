/** The PostgreSQL Store, for installs that scale out to several server instances. */
import type { Sql } from 'postgres';
import { migrationsFolder } from '../migrations-folder.ts';
import type { Store } from '../store.ts';
import { postgresAuditStore } from './audit.ts';
import { postgresClinicStore } from './clinics.ts';
import { postgresDocumentStore } from './documents.ts';
import { postgresEventStore } from './events.ts';
import { postgresGroupStore } from './groups.ts';
import { postgresHomeStore, postgresTabletStore } from './tablets.ts';
import { postgresJournalStore } from './journals.ts';
import { openPostgresConnection } from './connection.ts';
import { postgresInviteStore } from './invites.ts';
import { postgresMfaStore } from './mfa.ts';
import { migratePostgres } from './migrate.ts';
import { postgresSessionStore } from './sessions.ts';
import { postgresUserStore } from './users.ts';

const rawClients = new WeakMap<Store, Sql>();

export interface OpenedPostgresStore {
  store: Store;
  migrate(): Promise<void>;
}

export function createPostgresStore(url: string): OpenedPostgresStore {
  const connection = openPostgresConnection(url);
  const store: Store = {
    engine: 'postgres',
    ping: async () => {
      await connection.client`SELECT 1`;
    },
    close: () => connection.close(),
    ...postgresClinicStore(connection),
    ...postgresUserStore(connection),
    ...postgresInviteStore(connection),
    ...postgresSessionStore(connection),
    ...postgresMfaStore(connection),
    ...postgresAuditStore(connection),
    ...postgresDocumentStore(connection),
    ...postgresEventStore(connection),
    ...postgresGroupStore(connection),
    ...postgresTabletStore(connection),
    ...postgresHomeStore(connection),
    ...postgresJournalStore(connection),
  };
  rawClients.set(store, connection.client);
  return { store, migrate: () => migratePostgres(url, migrationsFolder('postgres')) };
}

/**
 * Tests only: the store's own pool, to tamper with rows the way someone with database access
 * would. Deliberately not exported from index.ts.
 */
export function rawPostgresClient(store: Store): Sql {
  const client = rawClients.get(store);
  if (!client) throw new Error('Not a PostgreSQL store.');
  return client;
}
