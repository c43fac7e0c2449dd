/**
 * Session event streams across several instances on one PostgreSQL database: every instance
 * delivers the same gapless sequence, through the Redis doorbell when it rings and through the
 * database when it cannot; a client of a stopped instance resumes on another without gaps or
 * duplicates, and its unacknowledged command is applied exactly once. Runs with
 * TEST_DATABASE_URL (and TEST_REDIS_URL); CI sets both.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { StreamClient, type StreamCommand, type StreamEvent, type StreamSocket } from '@cairn/sync';
import { Browser, createClock, setUpAdmin, startHarness, type Harness } from './harness.ts';
import { groupScene, person } from './groups-support.ts';
import { FreshDatabases, testDatabaseUrl, testRedisUrl } from './postgres-support.ts';
import { addStaff, browserSocketClass, until } from './realtime-support.ts';
import { createStream, rawStream, streamUrl, watchStream, type WatchedStream } from './stream-support.ts';

const databases = new FreshDatabases();
let instances: Harness[] = [];
const opened: Array<{ close(): void }> = [];

afterEach(async () => {
  for (const item of opened.splice(0)) item.close();
  for (const instance of instances.splice(0)) await instance.close().catch(() => undefined);
  await databases.dropAll();
});

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

function watch(h: Harness, streamId: string, cookie: string | undefined): WatchedStream {
  const watched = watchStream(h, streamId, cookie);
  opened.push(watched.client);
  return watched;
}

async function setting(one: Harness) {
  const { admin } = await setUpAdmin(one);
  const streamId = await createStream(one);
  const fia = await addStaff(one, admin, 'fia@juniper.test', ['facilitator']);
  return { admin, streamId, fia };
}

const seqsOf = (events: StreamEvent[]) => events.map((e) => e.seq);
const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe.skipIf(!testDatabaseUrl)(
  testDatabaseUrl
    ? 'session streams on several instances'
    : 'session streams on several instances (skipped: TEST_DATABASE_URL is not set)',
  () => {
    it.skipIf(!testRedisUrl)(
      '[FT-09] events committed on one instance reach the other through the Redis doorbell',
      async () => {
        // Polling every minute: only the doorbell can make this fast.
        const [one, two] = await twoInstances({ redis: testRedisUrl!, pollMs: 60_000 });
        const { admin, streamId, fia } = await setting(one);
        const writer = watch(one, streamId, fia.browser.cookie);
        const listener = watch(two, streamId, admin.cookie);
        await until(() => writer.client.status === 'live' && listener.client.status === 'live', 5000, 'live');
        for (let i = 0; i < 20; i++) await writer.client.send({ type: 'duty.set', onDuty: i % 2 === 0 });
        const last = writer.client.lastSeq;
        await until(() => listener.client.lastSeq >= 22, 10_000, 'delivery via Redis');
        expect(seqsOf(listener.events)).toEqual(oneToN(listener.client.lastSeq));
        expect(last).toBeGreaterThan(0);
      },
    );

    it('[FT-05] with Redis unreachable, events still arrive through the database, gapless', async () => {
      const [one, two] = await twoInstances({ redis: 'redis://127.0.0.1:1', pollMs: 200 });
      const { admin, streamId, fia } = await setting(one);
      const gus = await addStaff(one, admin, 'gus@juniper.test', ['co_therapist'], '10.0.0.10');
      const a = watch(one, streamId, fia.browser.cookie);
      const b = watch(two, streamId, gus.browser.cookie);
      await until(() => a.client.status === 'live' && b.client.status === 'live', 5000, 'live');
      // Both instances write at once: seqs interleave, and each side must see all of them.
      await Promise.all([
        (async () => {
          for (let i = 0; i < 15; i++) await a.client.send({ type: 'duty.set', onDuty: true });
        })(),
        (async () => {
          for (let i = 0; i < 15; i++) await b.client.send({ type: 'duty.set', onDuty: false });
        })(),
      ]);
      await until(() => a.client.lastSeq === 32 && b.client.lastSeq === 32, 10_000, 'delivery by polling');
      expect(seqsOf(a.events)).toEqual(oneToN(32));
      expect(a.events).toEqual(b.events);
    });

    it('[FT-09] a client of a stopped instance resumes on the other: no gap, no duplicate, its command once', async () => {
      const [one, two] = await twoInstances({ pollMs: 200 });
      const { streamId, fia } = await setting(one);
      let target = one;
      const Socket = browserSocketClass(fia.browser.cookie);
      const events: StreamEvent[] = [];
      const client = new StreamClient({
        url: streamUrl(one, streamId),
        // The load balancer: whichever instance is up.
        connect: () => new Socket(streamUrl(target, streamId)) as unknown as StreamSocket,
        onEvent: (event) => events.push(event),
        minBackoffMs: 20,
        maxBackoffMs: 200,
      });
      opened.push(client);
      await until(() => client.status === 'live', 5000, 'live');
      await client.send({ type: 'duty.set', onDuty: true });
      const other = watch(two, streamId, fia.browser.cookie);
      await until(() => other.client.status === 'live', 5000, 'other live');

      target = two;
      await one.app.close();
      const pending = client.send({ type: 'duty.set', onDuty: false }, 'sent-while-failing-over');
      for (let i = 0; i < 5; i++) await other.client.send({ type: 'duty.set', onDuty: true });
      const ack = await pending;
      await until(() => client.lastSeq === other.client.lastSeq && client.lastSeq >= 8, 10_000, 'resume');
      expect(seqsOf(events)).toEqual(oneToN(client.lastSeq));
      const stored = await two.core.store.readEvents(streamId, 0, 100);
      expect(stored.filter((e) => e.idempotencyKey === 'cmd:sent-while-failing-over')).toHaveLength(1);
      expect(stored.find((e) => e.seq === ack.seq)?.payload).toEqual({ onDuty: false });
    });

    it('two facilitators on two instances pressing at once move the phase once, every time', async () => {
      const [one, two] = await twoInstances({ redis: testRedisUrl ?? 'redis://127.0.0.1:1', pollMs: 200 });
      const s = await groupScene(one);
      const fern = await addStaff(one, s.admin, 'fern@juniper.test', ['facilitator'], '10.0.0.11');
      const staffed = await s.fa.request('PUT', `/api/v1/groups/${s.groupA}/staff`, {
        staff: [
          { userId: s.faId, roles: ['facilitator'] },
          { userId: fern.userId, roles: ['facilitator'] },
        ],
      });
      expect(staffed.statusCode).toBe(200);
      for (let n = 1; n <= 4; n++) {
        expect((await s.fa.post(`/api/v1/groups/${s.groupA}/participants`, person(n))).statusCode).toBe(201);
      }
      const fay = watch(one, s.sessionA.streamId, s.fa.cookie);
      const fernOnTwo = watch(two, s.sessionA.streamId, fern.browser.cookie);
      await until(() => fay.client.status === 'live' && fernOnTwo.client.status === 'live', 5000, 'live');

      const race = (command: StreamCommand) =>
        Promise.allSettled([fay.client.send(command), fernOnTwo.client.send(command)]);
      const outcomes = [await race({ type: 'phase.advance', to: 'arrival' })];
      for (let round = 0; round < 5; round++) {
        outcomes.push(await race({ type: 'phase.pause' }), await race({ type: 'phase.resume' }));
      }
      for (const pair of outcomes) expect(pair.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const stored = await two.core.store.readEvents(s.sessionA.streamId, 0, 1000);
      const phases = stored.filter((e) => e.type === 'session.phase_changed').map((e) => e.payload['action']);
      expect(phases).toEqual(['advance', ...Array.from({ length: 5 }, () => ['pause', 'resume']).flat()]);
    });

    it('[AC-17] a sign-out on one instance closes stream sockets on the other, with Redis down too', async () => {
      const [one, two] = await twoInstances({ redis: 'redis://127.0.0.1:1', pollMs: 200 });
      const { streamId, fia } = await setting(one);
      const socket = rawStream(two, streamId, fia.browser.cookie);
      opened.push({ close: () => socket.socket.terminate() });
      expect(await socket.opened).toBe('open');
      socket.send({ type: 'hello', since: 0 });
      const onOne = new Browser(one.app);
      onOne.cookie = fia.browser.cookie;
      expect((await onOne.post('/api/v1/auth/logout-everywhere')).statusCode).toBe(204);
      expect((await socket.closed).code).toBe(4401);
    });
  },
);
