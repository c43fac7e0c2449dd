/**
 * Several instances behind a load balancer, on one PostgreSQL database: PostgreSQL is the
 * truth, Redis the doorbell. Runs with TEST_DATABASE_URL (and TEST_REDIS_URL for the Redis
 * cases); CI sets both.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import { ADMIN, Browser, createClock, ORIGIN, setUpAdmin, startHarness, type Harness } from './harness.ts';
import { FreshDatabases, testDatabaseUrl, testRedisUrl } from './postgres-support.ts';
import {
  browserSocketClass,
  connectProvider,
  createClinicianNote,
  rawSocket,
  until,
  wsBase,
  type Client,
} from './realtime-support.ts';

const databases = new FreshDatabases();
let instances: Harness[] = [];
const clients: Client[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const instance of instances.splice(0)) await instance.close().catch(() => undefined);
  await databases.dropAll();
});

/** Two instances on one fresh database; `redis` and `pollMs` shape how they hear each other. */
async function twoInstances(options: { redis?: string; pollMs: number }): Promise<[Harness, Harness]> {
  const env = { ...(await databases.sharedEnv()), ...(options.redis ? { REDIS_URL: options.redis } : {}) };
  const clock = createClock();
  const started = await Promise.all(
    [0, 1].map(() =>
      startHarness({ env, clock, realtime: { pollMs: options.pollMs, revocationIntervalMs: 200 } }),
    ),
  );
  instances = started;
  for (const instance of started) await instance.app.listen({ port: 0, host: '127.0.0.1' });
  return [started[0]!, started[1]!];
}

function connect(h: Harness, docId: string, cookie: string | undefined): Client {
  const client = connectProvider(h, docId, cookie);
  clients.push(client);
  return client;
}

const text = (client: Client) => client.doc.getText('content').toString();

describe.skipIf(!testDatabaseUrl)(
  testDatabaseUrl ? 'several instances' : 'several instances (skipped: TEST_DATABASE_URL is not set)',
  () => {
    it.skipIf(!testRedisUrl)(
      '[FT-09] deliver edits between instances through the Redis doorbell',
      async () => {
        // Polling every minute: only the doorbell can make this fast.
        const [one, two] = await twoInstances({ redis: testRedisUrl!, pollMs: 60_000 });
        const { admin } = await setUpAdmin(one);
        const docId = await createClinicianNote(one, ADMIN.email);
        const a = connect(one, docId, admin.cookie);
        const b = connect(two, docId, admin.cookie);
        await until(() => a.provider.synced && b.provider.synced, 5000, 'sync');
        // B only listens: nothing of its own would reveal a gap, so only a ring can wake it.
        for (let i = 0; i < 20; i++) a.doc.getText('content').insert(text(a).length, `a${i};`);
        const expected = Array.from({ length: 20 }, (_, i) => `a${i};`).join('');
        await until(() => text(b) === expected, 10_000, 'delivery via Redis');
      },
    );

    it('[FT-05] keep delivering through the database while Redis is unreachable, losing nothing', async () => {
      const [one, two] = await twoInstances({ redis: 'redis://127.0.0.1:1', pollMs: 200 });
      const { admin } = await setUpAdmin(one);
      const docId = await createClinicianNote(one, ADMIN.email);
      const a = connect(one, docId, admin.cookie);
      const b = connect(two, docId, admin.cookie);
      await until(() => a.provider.synced && b.provider.synced, 5000, 'sync');
      a.doc.getText('content').insert(0, 'written on one; ');
      b.doc.getText('content').insert(0, 'written on two; ');
      await until(() => text(a) === text(b) && text(a).length === 32, 10_000, 'convergence by polling');
      const fresh = connect(two, docId, admin.cookie);
      await until(() => fresh.provider.synced && text(fresh).length === 32, 5000, 'fresh load');
    });

    it('[FT-09] a client of a stopped instance resumes on the other with its offline edits', async () => {
      const [one, two] = await twoInstances({ pollMs: 200 });
      const { admin } = await setUpAdmin(one);
      const docId = await createClinicianNote(one, ADMIN.email);
      const a = connect(one, docId, admin.cookie);
      const b = connect(two, docId, admin.cookie);
      await until(() => a.provider.synced && b.provider.synced, 5000, 'sync');
      a.doc.getText('content').insert(0, 'before; ');
      await until(() => text(b) === 'before; ', 5000, 'first edit');

      await one.app.close();
      a.doc.getText('content').insert(text(a).length, 'while the instance was gone; ');
      // The load balancer now sends A to the surviving instance.
      a.provider.destroy();
      const resumed = new WebsocketProvider(`${wsBase(two)}/ws/doc`, docId, a.doc, {
        WebSocketPolyfill: browserSocketClass(admin.cookie) as never,
        disableBc: true,
      });
      try {
        await until(
          () => text(b) === 'before; while the instance was gone; ',
          10_000,
          'resume on the survivor',
        );
        const stored = await two.core.store.loadDocState(docId);
        expect(stored.updates.length).toBeGreaterThanOrEqual(2);
      } finally {
        resumed.destroy();
      }
    });

    it('[AC-17] a sign-out on one instance closes the socket on the other, with Redis down too', async () => {
      const [one, two] = await twoInstances({ redis: 'redis://127.0.0.1:1', pollMs: 200 });
      const { admin } = await setUpAdmin(one);
      const docId = await createClinicianNote(one, ADMIN.email);
      const socket = rawSocket(`${wsBase(two)}/ws/doc/${docId}`, { origin: ORIGIN, cookie: admin.cookie! });
      expect(await socket.opened).toBe('open');
      const onOne = new Browser(one.app);
      onOne.cookie = admin.cookie;
      expect((await onOne.post('/api/v1/auth/logout-everywhere')).statusCode).toBe(204);
      expect((await socket.closed).code).toBe(4401);
    });
  },
);
