/**
 * Applies drizzle/postgres migrations with drizzle's migrator, holding a session advisory lock
 * so several instances starting together apply them once: the others wait, then find nothing
 * left to do. A dedicated single connection, because a session lock belongs to the connection
 * that took it (and is released if that connection dies).
 */
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { ADVISORY_LOCKS } from './connection.ts';

export async function migratePostgres(url: string, migrationsFolder: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    await client.unsafe(`SELECT pg_advisory_lock(${ADVISORY_LOCKS.migrate})`);
    try {
      await migrate(drizzle({ client }), { migrationsFolder });
    } finally {
      await client.unsafe(`SELECT pg_advisory_unlock(${ADVISORY_LOCKS.migrate})`);
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}
