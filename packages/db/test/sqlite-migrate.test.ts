/**
 * The SQLite migration runner on hand-made migrations, for the traps the real ones do not hit
 * yet: drizzle-kit's table rewrite (DROP of a parent table) must not cascade into child rows.
 * And the committed migrations on a database that already holds data, as an upgrade meets it.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/index.ts';
import { migrationsFolder as committedMigrations } from '../src/migrations-folder.ts';
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

/** The committed migrations up to and including `lastTag`: a database as that release left it. */
function committedUpTo(lastTag: string): string {
  const folder = join(dir, 'committed');
  cpSync(committedMigrations('sqlite'), folder, { recursive: true });
  const journalPath = join(folder, 'meta/_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
  const last = journal.entries.findIndex((entry) => entry.tag === lastTag);
  if (last < 0) throw new Error(`no committed migration ${lastTag}`);
  journal.entries = journal.entries.slice(0, last + 1);
  writeFileSync(journalPath, JSON.stringify(journal));
  return folder;
}

describe('committed SQLite migrations on existing data', () => {
  it('0004 keeps the updates of a 0003 database, with their author not recorded (NULL)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cairn-migrate-'));
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    const raw = new DatabaseSync(join(dataDir, 'cairn.db'));
    raw.exec('PRAGMA foreign_keys = ON');
    migrateSqlite(raw, committedUpTo('0003_doc_clients'));
    raw.exec(`INSERT INTO clinics (id, name, created_at) VALUES ('c', 'Clinic', 0);
      INSERT INTO documents (id, clinic_id, kind, last_seq, created_at) VALUES ('d', 'c', 'clinician_note', 3, 0);
      INSERT INTO doc_snapshots (doc_id, upto_seq, state, created_at) VALUES ('d', 2, x'5353', 2);`);
    const insert = raw.prepare(
      'INSERT INTO doc_updates (doc_id, seq, "update", created_at) VALUES (?, ?, ?, ?)',
    );
    for (const seq of [1, 2, 3]) insert.run('d', seq, new Uint8Array([seq, 0, 255]), seq * 1000);

    migrateSqlite(raw, committedMigrations('sqlite'));
    expect(
      raw.prepare('SELECT seq, hex("update") AS bytes, actor_id, device_id FROM doc_updates').all(),
    ).toEqual([1, 2, 3].map((seq) => ({ seq, bytes: `0${seq}00FF`, actor_id: null, device_id: null })));
    // From now on the database itself refuses an update without an author.
    expect(() => insert.run('d', 4, new Uint8Array([4]), 4000)).toThrow(/actor_id is required/);
    raw.close();

    // Through the Store: the old history reads back unattributed, and new updates carry authors.
    const store = await openStore({ engine: 'sqlite', dataDir });
    try {
      expect(
        (await store.readDocUpdates('d', 0, 10)).map(({ seq, actorId, deviceId }) => ({
          seq,
          actorId,
          deviceId,
        })),
      ).toEqual([1, 2, 3].map((seq) => ({ seq, actorId: null, deviceId: null })));
      const state = await store.loadDocState('d');
      expect([state.snapshotSeq, state.updates.map(({ seq }) => seq)]).toEqual([2, [3]]);
      const next = { docId: 'd', update: new Uint8Array([4]), actorId: 'someone', deviceId: 'tablet-1' };
      expect(await store.appendDocUpdates([next])).toEqual([4]);
      expect(await store.readDocUpdates('d', 3, 10)).toMatchObject([
        { seq: 4, actorId: 'someone', deviceId: 'tablet-1' },
      ]);
    } finally {
      await store.close();
    }
  });
});
