/**
 * The SQLite migration runner on hand-made migrations, for the traps the real ones do not hit
 * yet: drizzle-kit's table rewrite (DROP of a parent table) must not cascade into child rows.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateSqlite } from '../src/sqlite/migrate.ts';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function migrationsFolder(migrations: string[]): string {
  const folder = join(dir, 'migrations');
  mkdirSync(join(folder, 'meta'), { recursive: true });
  const entries = migrations.map((sql, idx) => {
    const tag = `000${idx}_m`;
    writeFileSync(join(folder, `${tag}.sql`), sql);
    return { idx, version: '6', when: 1_700_000_000_000 + idx, tag, breakpoints: true };
  });
  writeFileSync(
    join(folder, 'meta/_journal.json'),
    JSON.stringify({ version: '7', dialect: 'sqlite', entries }),
  );
  return folder;
}

const createTables = `CREATE TABLE parent (id text PRIMARY KEY NOT NULL, name text);
--> statement-breakpoint
CREATE TABLE child (id text PRIMARY KEY NOT NULL, parent_id text NOT NULL REFERENCES parent(id) ON DELETE cascade);
--> statement-breakpoint
INSERT INTO parent VALUES ('p', 'x');
--> statement-breakpoint
INSERT INTO child VALUES ('c', 'p');`;

// What drizzle-kit writes when a column changes: rebuild the table under foreign_keys=OFF.
const rewriteParent = `PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE __new_parent (id text PRIMARY KEY NOT NULL, name text NOT NULL DEFAULT '');
--> statement-breakpoint
INSERT INTO __new_parent (id, name) SELECT id, coalesce(name, '') FROM parent;--> statement-breakpoint
DROP TABLE parent;--> statement-breakpoint
ALTER TABLE __new_parent RENAME TO parent;--> statement-breakpoint
PRAGMA foreign_keys=ON;`;

describe('SQLite migration runner', () => {
  it('rewrites a parent table without cascading into its children, and applies each migration once', () => {
    dir = mkdtempSync(join(tmpdir(), 'cairn-migrate-'));
    const raw = new DatabaseSync(join(dir, 'test.db'));
    raw.exec('PRAGMA foreign_keys = ON');
    const folder = migrationsFolder([createTables, rewriteParent]);
    migrateSqlite(raw, folder);
    migrateSqlite(raw, folder);
    expect(raw.prepare('SELECT count(*) AS n FROM child').get()).toEqual({ n: 1 });
    expect(raw.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get()).toEqual({ n: 2 });
    expect(raw.prepare('PRAGMA foreign_keys').get()).toEqual({ foreign_keys: 1 });
    raw.close();
  });

  it('rolls back a migration that leaves broken foreign keys, keeping foreign keys on', () => {
    dir = mkdtempSync(join(tmpdir(), 'cairn-migrate-'));
    const raw = new DatabaseSync(join(dir, 'test.db'));
    raw.exec('PRAGMA foreign_keys = ON');
    const folder = migrationsFolder([createTables, `DELETE FROM parent;`]);
    expect(() => migrateSqlite(raw, folder)).toThrow(/foreign keys/);
    expect(raw.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'parent'").get()).toEqual({
      n: 0,
    });
    expect(raw.prepare('PRAGMA foreign_keys').get()).toEqual({ foreign_keys: 1 });
    expect(raw.isTransaction).toBe(false);
    raw.close();
  });
});
