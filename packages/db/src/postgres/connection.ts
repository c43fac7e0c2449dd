/**
 * The PostgreSQL pool behind a store. Atomicity comes from real transactions; where a rule
 * spans rows that may not exist yet (first-run setup, the audit chain's tail) a transaction
 * also takes an advisory lock, so every instance of the server queues behind the same key.
 */
import { sql } from 'drizzle-orm';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres, { type Sql } from 'postgres';

export type PgDb = PostgresJsDatabase;
export type PgTx = Parameters<Parameters<PgDb['transaction']>[0]>[0];
/** Either the pool or an open transaction: helpers that run inside and outside one. */
export type PgQueryable = PgDb | PgTx;

/**
 * Advisory lock keys: arbitrary constants that only need to be distinct from each other and
 * from anything else sharing the database ("cairn" in ASCII, then a number).
 */
export const ADVISORY_LOCKS = {
  migrate: 0x636169726e01,
  setup: 0x636169726e02,
  audit: 0x636169726e03,
} as const;
export type AdvisoryLock = (typeof ADVISORY_LOCKS)[keyof typeof ADVISORY_LOCKS];

export interface PostgresContext {
  db: PgDb;
  /** Runs `fn` in a transaction that first waits for `lock`, held until commit or rollback. */
  transaction<T>(fn: (tx: PgTx) => Promise<T>, lock?: AdvisoryLock): Promise<T>;
}

export interface PostgresConnection extends PostgresContext {
  client: Sql;
  close(): Promise<void>;
}

export function openPostgresConnection(url: string): PostgresConnection {
  const client = postgres(url, { max: 10, onnotice: () => undefined });
  const db = drizzle({ client });
  return {
    db,
    client,
    transaction: (fn, lock) =>
      db.transaction(async (tx) => {
        if (lock !== undefined) await tx.execute(sql`SELECT pg_advisory_xact_lock(${sql.raw(String(lock))})`);
        return fn(tx);
      }),
    close: () => client.end({ timeout: 5 }),
  };
}
