/**
 * The live room on two instances sharing PostgreSQL and Redis: a tablet on one instance asks
 * for support, staff on both see it, both instances' sweepers find it due and it escalates
 * once; the acknowledgement on one reaches the tablet on the other; a check-in resent to the
 * other instance with the same id applies once (BI-A3). Runs with TEST_DATABASE_URL (and
 * TEST_REDIS_URL for the doorbell).
 */
import type { StreamCommand } from '@cairn/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { createClock, startHarness, type Harness } from './harness.ts';
import { newId, ofType, setClinic, SWEEP_MS, storedEvents, tabletSocket } from './live-room-support.ts';
import { FreshDatabases, testDatabaseUrl, testRedisUrl } from './postgres-support.ts';
import { until } from './realtime-support.ts';
import { watchStream } from './stream-support.ts';
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
    [0, 1].map(() => startHarness({ env, clock, realtime: { pollMs: 500, supportSweepMs: SWEEP_MS } })),
  );
  instances = started;
  for (const instance of started) await instance.app.listen({ port: 0, host: '127.0.0.1' });
  return [started[0]!, started[1]!];
}

describe.skipIf(!testDatabaseUrl)(
  testDatabaseUrl
    ? 'the live room on several instances'
    : 'the live room on several instances (skipped: no TEST_DATABASE_URL)',
  () => {
    it('support escalates once across instances and its answer reaches the tablet on the other; a resent check-in applies once', async () => {
      const [one, two] = await twoInstances();
      const s = await tabletScene(one);
      await setClinic(s.admin, { supportEscalateAfterSeconds: 5 });
      const fay = watchStream(one, s.sessionA.streamId, s.fa.cookie);
      const cal = watchStream(two, s.sessionA.streamId, s.ca.cookie);
      opened.push(fay.client, cal.client);
      await until(() => fay.client.status === 'live' && cal.client.status === 'live', 5000, 'staff live');

      const robin = s.participantsA[0]!.id;
      const { tablet } = await admittedTablet(one, s.fa, s.sessionA.id, robin);
      const onTwo = new Device(two.app);
      for (const [name, value] of tablet.jar) onTwo.jar.set(name, value);
      const socket = await tabletSocket(two, s.sessionA.streamId, onTwo);
      opened.push({ close: () => socket.raw.socket.terminate() });

      expect(await socket.send({ type: 'support.request' })).toMatchObject({ type: 'ack' });
      for (const staff of [fay, cal])
        await until(() => ofType(staff.events, 'support.requested').length === 1, 5000, 'both saw it');
      one.clock.advance(5_000);
      for (const staff of [fay, cal])
        await until(
          () => ofType(staff.events, 'support.escalated').length === 1,
          5000,
          'both saw the escalation',
        );
      const requestId = ofType(fay.events, 'support.requested')[0]!.payload['requestId'] as string;
      await fay.client.send({ type: 'support.acknowledge', requestId } as StreamCommand);
      await until(() => socket.text().includes('support.acknowledged'), 5000, 'the tablet on two heard');

      // The same check-in, sent to two and resent to one with the same id.
      const id = newId();
      const checkIn = { type: 'checkin.submit', moment: 'arrival', answers: { self_harm_thoughts: true } };
      const first = await socket.send(checkIn, id);
      const onOne = await tabletSocket(one, s.sessionA.streamId, tablet);
      opened.push({ close: () => onOne.raw.socket.terminate() });
      const again = await onOne.send(checkIn, id);
      expect(again).toMatchObject({ type: 'ack', seq: first.seq, duplicate: true });

      const events = await storedEvents(one, s.sessionA.streamId);
      expect(ofType(events, 'support.escalated')).toHaveLength(1);
      expect(ofType(events, 'checkin.submitted')).toHaveLength(1);
      expect(ofType(events, 'alert.raised')).toHaveLength(1);
    });
  },
);
