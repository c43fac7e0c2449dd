/**
 * [AC-07] Removal from a group mid-session: the removed person's session stream socket closes
 * within one revocation sweep (well under the 5 s promise), with no further event reaching it,
 * and a new open is refused like any group they are not on.
 */
import { afterEach, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';
import { groupScene } from './groups-support.ts';
import { until } from './realtime-support.ts';
import { rawStream, watchStream } from './stream-support.ts';

let h: Harness | undefined;
const opened: Array<{ close(): void }> = [];

afterEach(async () => {
  for (const item of opened.splice(0)) item.close();
  await h?.close();
  h = undefined;
});

it('[AC-07] removing a co-therapist from the group closes their stream socket and refuses a new one', async () => {
  h = await startHarness({ realtime: { revocationIntervalMs: 500 } });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const s = await groupScene(h);
  const cal = watchStream(h, s.sessionA.streamId, s.ca.cookie);
  const fay = watchStream(h, s.sessionA.streamId, s.fa.cookie);
  opened.push(cal.client, fay.client);
  await until(() => cal.client.status === 'live' && fay.client.status === 'live', 5000, 'both live');
  // Another member of staff stays: only the removed person loses the stream.
  const removed = await s.fa.request('PUT', `/api/v1/groups/${s.groupA}/staff`, {
    staff: [{ userId: s.faId, roles: ['facilitator'] }],
  });
  expect(removed.statusCode).toBe(200);
  await until(() => cal.client.status === 'refused', 5000, 'socket closed within 5 s');
  const seenByCal = cal.client.lastSeq;
  await fay.client.send({ type: 'duty.set', onDuty: true });
  await until(() => fay.events.some((e) => e.type === 'staff.duty_changed'), 5000, 'event');
  expect(cal.client.lastSeq).toBe(seenByCal);
  expect(fay.client.status).toBe('live');
  const again = rawStream(h, s.sessionA.streamId, s.ca.cookie);
  opened.push({ close: () => again.socket.terminate() });
  expect(await again.opened).toBe(404);
});
