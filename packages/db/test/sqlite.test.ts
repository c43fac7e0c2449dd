import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/index.ts';
import { migrationsFolder } from '../src/migrations-folder.ts';
import { rawSqliteConnection } from '../src/sqlite/store.ts';
import type { Store } from '../src/store.ts';
import { clinicRecord, documentRecord, newUser, seedClinic } from './contract/fixtures.ts';
import { registerStoreContract } from './store-contract.ts';

const root = mkdtempSync(join(tmpdir(), 'cairn-db-test-'));
let dirs = 0;
/** A new data dir (not yet created: openStore must create it) on a real filesystem. */
const freshDataDir = () => join(root, `store-${++dirs}`, 'data');

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('SQLite store contract', () => {
  registerStoreContract('sqlite', () => openStore({ engine: 'sqlite', dataDir: freshDataDir() }), {
    exec: (store, sql) => rawSqliteConnection(store).exec(sql),
    dropAppendOnlyTriggers: ['DROP TRIGGER audit_log_no_update', 'DROP TRIGGER audit_log_no_delete'],
  });
});

async function pragmas(store: Store) {
  const raw = rawSqliteConnection(store);
  const read = async (name: string) => Object.values((await raw.rows(`PRAGMA ${name}`))[0] ?? {})[0];
  return {
    journal_mode: await read('journal_mode'),
    synchronous: await read('synchronous'),
    foreign_keys: await read('foreign_keys'),
    busy_timeout: await read('busy_timeout'),
  };
}

describe('SQLite specifics', () => {
  const durable = { journal_mode: 'wal', synchronous: 2, foreign_keys: 1, busy_timeout: 5000 };

  it('runs WAL, synchronous=FULL, foreign keys and a busy timeout, also after transactions', async () => {
    const store = await openStore({ engine: 'sqlite', dataDir: freshDataDir() });
    try {
      expect(await pragmas(store)).toEqual(durable);
      await seedClinic(store); // a committed transaction
      await expect(store.createClinicWithFirstAdmin(clinicRecord(), newUser('x'))).rejects.toThrow(); // rolled back
      await store.appendAudit({
        at: new Date(),
        clinicId: null,
        actorUserId: null,
        action: 'a',
        targetId: null,
        details: {},
      });
      // The realtime hot path commits through the same connection and must not weaken it.
      await store.createDocument(documentRecord('doc', { ownerUserId: null, streamId: null }));
      await store.appendDocUpdates([
        { docId: 'doc', update: new Uint8Array([1, 2, 3]), actorId: 'admin', deviceId: null },
      ]);
      await expect(
        store.appendDocUpdates([
          { docId: 'ghost', update: new Uint8Array([1]), actorId: 'admin', deviceId: null },
        ]),
      ).rejects.toThrow();
      expect(await pragmas(store)).toEqual(durable);
      // foreign_keys is enforced, not just reported (drizzle wraps the driver error as `cause`).
      const now = new Date();
      await expect(
        store.createAuthSession({
          id: 's',
          userId: 'ghost',
          stage: 'full',
          createdAt: now,
          lastSeenAt: now,
          expiresAt: now,
        }),
      ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/FOREIGN KEY constraint failed/) } });
    } finally {
      await store.close();
    }
  });

  it('creates the data dir private to its owner, with the database in cairn.db', async () => {
    const dataDir = freshDataDir();
    const store = await openStore({ engine: 'sqlite', dataDir });
    await store.close();
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'cairn.db')).isFile()).toBe(true);
  });

  it('keeps data across close and reopen, without re-running migrations', async () => {
    const dataDir = freshDataDir();
    const first = await openStore({ engine: 'sqlite', dataDir });
    const { clinic, admin } = await seedClinic(first);
    await first.appendAudit({
      at: new Date(),
      clinicId: clinic.id,
      actorUserId: admin.id,
      action: 'a',
      targetId: null,
      details: {},
    });
    await first.close();

    const again = await openStore({ engine: 'sqlite', dataDir });
    try {
      expect(await again.getFirstClinic()).toEqual(clinic);
      expect(await again.getUser(admin.id)).toEqual(admin);
      expect(await again.verifyAuditChain()).toEqual({ ok: true, checked: 1 });
      const [applied] = await rawSqliteConnection(again).rows(
        'SELECT count(*) AS n FROM __drizzle_migrations',
      );
      expect(applied?.n).toBe(readMigrationFiles({ migrationsFolder: migrationsFolder('sqlite') }).length);
    } finally {
      await again.close();
    }
  });

  it('refuses work after close, and close twice is harmless', async () => {
    const store = await openStore({ engine: 'sqlite', dataDir: freshDataDir() });
    await store.close();
    await store.close();
    await expect(store.ping()).rejects.toThrow(/closed/);
  });
});
