/**
 * [AC-22] Tablets on several instances sharing PostgreSQL (and Redis): End session pressed on
 * one instance closes the tablet sockets held by the other within its revocation sweep, and a
 * tablet admitted on one instance opens its stream on the other. Runs with TEST_DATABASE_URL
 * (and TEST_REDIS_URL for the doorbell).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createClock, startHarness, type Harness } from './harness.ts';
import { FreshDatabases, testDatabaseUrl, testRedisUrl } from './postgres-support.ts';
import { until } from './realtime-support.ts';
import { rawEvents, rawStream, type RawStream } from './stream-support.ts';
import { admittedTablet, Device, tabletScene } from './tablets-support.ts';

const databases = new FreshDatabases();
let instances: Harness[] = [];
const opened: Array<{ close(): void }> = [];

afterEach(async () => {
  for (const item of opened.splice(0)) item.close();
  for (const instance of instances.splice(0)) await instance.close().catch(() => undefined);
  await databases.dropAll();
});

async function twoInstances(): Promise<[Harness, Harness]> {
  const env = { ...(await databases.sharedEnv()), ...(testRedisUrl ? { REDIS_URL: testRedisUrl } : {}) };
  const clock = createClock();
  const started = await Promise.all(
    [0, 1].map(() => startHarness({ env, clock, realtime: { pollMs: 500, revocationIntervalMs: 500 } })),
  );
  instances = started;
  for (const instance of started) await instance.app.listen({ port: 0, host: '127.0.0.1' });
  return [started[0]!, started[1]!];
}

describe.skipIf(!testDatabaseUrl)(
  testDatabaseUrl
    ? 'tablets on several instances'
    : 'tablets on several instances (skipped: no TEST_DATABASE_URL)',
  () => {
    it('[AC-22] End session on one instance closes the tablet sockets held by the other', async () => {
      const [one, two] = await twoInstances();
      const s = await tabletScene(one);
      const robin = await admittedTablet(one, s.fa, s.sessionA.id, s.participantsA[0]!.id);
      // The same tablet cookie, now talking to the other instance.
      const onTwo = new Device(two.app);
      for (const [name, value] of robin.tablet.jar) onTwo.jar.set(name, value);
      expect((await onTwo.get('/api/v1/tablet/me')).json()).toMatchObject({ state: 'admitted' });
      const socket: RawStream = rawStream(two, s.sessionA.streamId, onTwo.cookie);
      opened.push({ close: () => socket.socket.terminate() });
      expect(await socket.opened).toBe('open');
      socket.send({ type: 'hello', since: 0 });
      await until(() => socket.messages.some((m) => m.type === 'live'), 5000, 'live on two');
      expect(rawEvents(socket).map((e) => e.type)).toEqual(['tablet.admitted']);

      const ended = await s.fa.post(`/api/v1/sessions/${s.sessionA.id}/end-tablets`);
      expect(ended.json()).toEqual({ tabletsEnded: 1 });
      const closed = await socket.closed;
      expect(closed.code).toBeGreaterThanOrEqual(4000);
      expect(rawEvents(socket).map((e) => e.type)).toEqual(['tablet.admitted']);
      expect((await onTwo.get('/api/v1/tablet/me')).json()).toMatchObject({ state: 'ended' });
    });
  },
);
