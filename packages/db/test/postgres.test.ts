/**
 * The contract suite on PostgreSQL, each test in a database of its own (CREATE DATABASE is
 * ~0.1 s here, and migrations reference the "public" schema, so schemas cannot isolate).
 * Runs only with TEST_DATABASE_URL; `pnpm test:pg` refuses to start without it.
 */
import { randomBytes } from 'node:crypto';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import postgres, { type Sql } from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/index.ts';
import { migrationsFolder } from '../src/migrations-folder.ts';
import { rawPostgresClient } from '../src/postgres/store.ts';
import { SetupClosedError } from '../src/store.ts';
import {
  bytesOf,
  clinicRecord,
  documentRecord,
  minutes,
  newEvent,
  newUser,
  race,
  seedStream,
  textOf,
} from './contract/fixtures.ts';
import { registerStoreContract } from './store-contract.ts';

const serverUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!serverUrl)(
  serverUrl ? 'PostgreSQL store' : 'PostgreSQL store (skipped: TEST_DATABASE_URL is not set)',
  () => {
    // Made on first use: vitest still runs this callback to collect tests when skipping.
    let adminClient: Sql | undefined;
    const admin = () => (adminClient ??= postgres(serverUrl!, { max: 1, onnotice: () => undefined }));
    const created: string[] = [];

    /** A new empty database on the test server; dropped (with any open connections) afterwards. */
    async function freshDatabaseUrl(): Promise<string> {
      const name = `cairn_test_${randomBytes(6).toString('hex')}`;
      await admin().unsafe(`CREATE DATABASE ${name}`);
      created.push(name);
      const url = new URL(serverUrl!);
      url.pathname = `/${name}`;
      return url.toString();
    }

    /**
     * Housekeeping, not a test: ~0.15 s per DROP DATABASE when the server is idle, but minutes
     * when other suites keep it busy (a CI run once spent its whole 120 s hook here). Drops run
     * four at a time and within a budget; a database left behind costs only disk on a test
     * server, and never fails the suite.
     */
    afterAll(async () => {
      const drops = postgres(serverUrl!, { max: 4, onnotice: () => undefined });
      const dropAll = Promise.all(
        created.map((name) =>
          drops.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined),
        ),
      );
      const budget = new Promise((resolve) => setTimeout(resolve, 90_000).unref());
      await Promise.race([dropAll, budget]);
      await Promise.all([drops.end({ timeout: 1 }), adminClient?.end({ timeout: 1 })]);
    }, 120_000);

    describe('contract', () => {
      registerStoreContract(
        'postgres',
        async () => openStore({ engine: 'postgres', url: await freshDatabaseUrl() }),
        {
          exec: async (store, sql) => {
            await rawPostgresClient(store).unsafe(sql);
          },
          dropAppendOnlyTriggers: [
            'DROP TRIGGER audit_log_no_update_delete ON audit_log',
            'DROP TRIGGER audit_log_no_truncate ON audit_log',
          ],
        },
      );
    });

    describe('several instances on one database', () => {
      it('migrate once when started together, and keep data across reopen', async () => {
        const url = await freshDatabaseUrl();
        const instances = await Promise.all([1, 2, 3].map(() => openStore({ engine: 'postgres', url })));
        try {
          const applied = await rawPostgresClient(instances[0]!).unsafe(
            'SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations',
          );
          expect(applied[0]?.n).toBe(
            readMigrationFiles({ migrationsFolder: migrationsFolder('postgres') }).length,
          );
          await instances[0]!.createClinicWithFirstAdmin(
            clinicRecord(),
            newUser('admin', { roles: ['admin'] }),
          );
        } finally {
          await Promise.all(instances.map((store) => store.close()));
        }
        const again = await openStore({ engine: 'postgres', url });
        try {
          expect((await again.getUser('admin'))?.roles).toEqual(['admin']);
        } finally {
          await again.close();
        }
      });

      it('let exactly one setup through and never fork the audit chain', async () => {
        const url = await freshDatabaseUrl();
        const instances = await Promise.all([1, 2, 3].map(() => openStore({ engine: 'postgres', url })));
        try {
          const setups = await race(
            instances.map(
              (store, i) => () =>
                store.createClinicWithFirstAdmin(
                  clinicRecord({ id: `clinic-${i}` }),
                  newUser(`admin-${i}`, { clinicId: `clinic-${i}`, roles: ['admin'] }),
                ),
            ),
          );
          expect(setups.values).toHaveLength(1);
          for (const error of setups.errors) expect(error).toBeInstanceOf(SetupClosedError);

          await Promise.all(
            Array.from({ length: 30 }, (_, n) =>
              instances[n % 3]!.appendAudit({
                at: minutes(n),
                clinicId: null,
                actorUserId: null,
                action: 'test.append',
                targetId: null,
                details: { n },
              }),
            ),
          );
          expect(await instances[1]!.verifyAuditChain()).toEqual({ ok: true, checked: 30 });
        } finally {
          await Promise.all(instances.map((store) => store.close()));
        }
      });

      it('keep document and event seqs gapless and commands unique across instances', async () => {
        const url = await freshDatabaseUrl();
        const instances = await Promise.all([1, 2].map(() => openStore({ engine: 'postgres', url })));
        try {
          await seedStream(instances[0]!);
          await instances[0]!.createDocument(documentRecord('doc'));
          const calls = instances.flatMap((store, s): (() => Promise<unknown>)[] =>
            Array.from({ length: 50 }, (_, i) => [
              () =>
                store.appendDocUpdates([
                  { docId: 'doc', update: bytesOf(`${s}:${i}`), actorId: `writer-${s}`, deviceId: null },
                ]),
              () => store.appendEvents('stream-1', [newEvent(i, { idempotencyKey: `${s}:${i}` })]),
              // The same command sent to both instances: stored once.
              () => store.appendEvents('stream-1', [newEvent(i, { idempotencyKey: `both:${i % 5}` })]),
            ]).flat(),
          );
          const { errors } = await race(calls);
          expect(errors).toEqual([]);

          const updates = await instances[1]!.readDocUpdates('doc', 0, 1000);
          expect(updates.map((u) => u.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
          expect(new Set(updates.map((u) => textOf(u.update))).size).toBe(100);

          const events = await instances[1]!.readEvents('stream-1', 0, 1000);
          expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 105 }, (_, i) => i + 1));
          expect(new Set(events.map((e) => e.idempotencyKey)).size).toBe(105);
          expect(await instances[0]!.lastEventSeq('stream-1')).toBe(105);
        } finally {
          await Promise.all(instances.map((store) => store.close()));
        }
      });
    });
  },
);
