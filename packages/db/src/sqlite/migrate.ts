/**
 * Applies drizzle/sqlite migrations on the store's own connection, in the thread that owns it
 * (sqlite-worker.ts), before the store serves anything.
 *
 * Our own small runner rather than sqlite-proxy's migrator, for two reasons:
 * - that one reads the last applied migration outside its transaction, so two processes opening
 *   the same file at once could both apply it; here the check and the apply share one
 *   BEGIN IMMEDIATE;
 * - drizzle-kit rewrites a table (to change a column) as "PRAGMA foreign_keys=OFF; create new,
 *   copy, DROP old, rename", but that PRAGMA is a no-op inside a transaction, so the DROP would
 *   fire ON DELETE CASCADE and silently empty child tables. We switch foreign keys off *before*
 *   BEGIN and run `PRAGMA foreign_key_check` before COMMIT instead, as sqlite.org prescribes.
 *
 * The bookkeeping table is drizzle's own (__drizzle_migrations), so drizzle tooling agrees.
 */
import type { DatabaseSync } from 'node:sqlite';
import { readMigrationFiles } from 'drizzle-orm/migrator';

export function migrateSqlite(raw: DatabaseSync, migrationsFolder: string): void {
  const migrations = readMigrationFiles({ migrationsFolder });
  raw.exec('PRAGMA foreign_keys = OFF');
  try {
    raw.exec('BEGIN IMMEDIATE');
    try {
      applyPending(raw, migrations);
      const broken = raw.prepare('PRAGMA foreign_key_check').all();
      if (broken.length > 0) {
        throw new Error(`Migration would break foreign keys: ${JSON.stringify(broken.slice(0, 5))}`);
      }
      raw.exec('COMMIT');
    } catch (error) {
      if (raw.isTransaction) raw.exec('ROLLBACK'); // some errors already rolled back
      throw error;
    }
  } finally {
    raw.exec('PRAGMA foreign_keys = ON');
  }
}

function applyPending(raw: DatabaseSync, migrations: ReturnType<typeof readMigrationFiles>): void {
  raw.exec(
    'CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (id INTEGER PRIMARY KEY, hash text NOT NULL, created_at numeric)',
  );
  const last = raw
    .prepare('SELECT created_at FROM "__drizzle_migrations" ORDER BY created_at DESC LIMIT 1')
    .get() as { created_at: number | string } | undefined;
  const appliedUntil = last ? Number(last.created_at) : -Infinity;
  const record = raw.prepare('INSERT INTO "__drizzle_migrations" (hash, created_at) VALUES (?, ?)');
  for (const migration of migrations) {
    if (migration.folderMillis <= appliedUntil) continue;
    for (const statement of migration.sql) {
      if (statement.trim() !== '') raw.exec(statement);
    }
    record.run(migration.hash, migration.folderMillis);
  }
}
