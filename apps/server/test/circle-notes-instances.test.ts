/**
 * Circle notes on two instances of one PostgreSQL database (TEST_DATABASE_URL; Redis with
 * TEST_REDIS_URL): signing through one instance stops the writers on the other within one
 * revocation sweep, with `reopen` (4210, which the stock client follows back in, read-only);
 * a version restored through one instance reaches the editors on the other.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createClock, startHarness, type Harness } from './harness.ts';
import {
  notesRoom,
  openNotes,
  paragraph,
  plainText,
  append,
  storedNotes,
  synced,
} from './circle-notes-support.ts';
import { FreshDatabases, testDatabaseUrl, testRedisUrl } from './postgres-support.ts';
import { storedRowCount, until } from './realtime-support.ts';
import type { NoteVersionView } from '@cairn/domain';

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
    [0, 1].map(() => startHarness({ env, clock, realtime: { pollMs: 200, revocationIntervalMs: 200 } })),
  );
  instances = started;
  for (const instance of started) await instance.app.listen({ port: 0, host: '127.0.0.1' });
  return [started[0]!, started[1]!];
}

describe.skipIf(!testDatabaseUrl)(
  testDatabaseUrl
    ? 'circle notes on several instances'
    : 'circle notes on several instances (skipped: no TEST_DATABASE_URL)',
  () => {
    it('a restore through one instance reaches the other; signing there stops its writers (4210), who reopen read-only', async () => {
      const [one, two] = await twoInstances();
      const room = await notesRoom(one);
      const { notes, path, s } = room;
      // The facilitator edits through instance two, the co-therapist through instance one.
      const fay = openNotes(two, notes.docId, s.fa.cookie, opened);
      const cal = openNotes(one, notes.docId, s.ca.cookie, opened);
      await synced(fay, cal);
      append(fay, paragraph('Robin named the grief about his father.'));
      await until(() => plainText(cal.doc).includes('grief'), 5000, 'across instances');
      const { versions } = (await s.fa.get(`${path}/versions`)).json() as { versions: NoteVersionView[] };
      append(cal, paragraph('A line to undo.'));
      await until(() => plainText(fay.doc).includes('undo'), 5000, 'second edit across');

      expect((await s.fa.post(`${path}/restore`, { seq: versions[0]!.seq })).statusCode).toBe(200);
      await until(
        () =>
          plainText(fay.doc) === 'Robin named the grief about his father.' &&
          !plainText(cal.doc).includes('undo'),
        5000,
        'restore on both instances',
      );

      expect((await s.ca.post(`${path}/sign`, {})).statusCode).toBe(200);
      await until(
        () => fay.closes.includes(4210) && cal.closes.includes(4210),
        5000,
        'writers closed on both',
      );
      await synced(fay, cal);
      const rows = await storedRowCount(one, notes.docId);
      for (let n = 0; n < 25; n++) append(fay, paragraph(`After signing ${n}`));
      await until(() => fay.closes.includes(4403), 5000, 'late writer closed as read-only');
      expect(await storedRowCount(one, notes.docId)).toBe(rows);
      expect(await storedNotes(one, notes.docId)).not.toContain('After signing');
    });
  },
);
