/**
 * The contract suite on PostgreSQL, each test in a database of its own (CREATE DATABASE is
 * ~0.1 s here, and migrations reference the "public" schema, so schemas cannot isolate).
 * Runs only with TEST_DATABASE_URL; `pnpm test:pg` refuses to start without it.
 */
import { randomBytes } from 'node:crypto';
import postgres, { type Sql } from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/index.ts';
import { rawPostgresClient } from '../src/postgres/store.ts';
import { SetupClosedError } from '../src/store.ts';
import { clinicRecord, minutes, newUser, race } from './contract/fixtures.ts';
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

    afterAll(async () => {
      for (const name of created) await admin().unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await adminClient?.end();
    });

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
          expect(applied[0]?.n).toBe(2);
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
    });
  },
);
