import { describe, expect, it } from 'vitest';
import { NotFoundError, StaleStreamError } from '../../src/store.ts';
import { T0, minutes, newEvent, race, seedStream, type ContractContext } from './fixtures.ts';

export function eventContract({ store }: ContractContext): void {
  describe('event streams', () => {
    it('are stored and found, and start empty', async () => {
      await seedStream(store());
      expect(await store().getEventStream('stream-1')).toEqual({
        id: 'stream-1',
        clinicId: 'clinic-1',
        createdAt: T0,
      });
      expect(await store().getEventStream('unknown')).toBeNull();
      expect(await store().lastEventSeq('stream-1')).toBe(0);
      expect(await store().readEvents('stream-1', 0, 10)).toEqual([]);
      await expect(store().lastEventSeq('unknown')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('number events gaplessly and read back exactly what they returned', async () => {
      await seedStream(store());
      await store().createEventStream({ id: 'stream-2', clinicId: 'clinic-1', createdAt: T0 });
      const first = await store().appendEvents('stream-1', [
        newEvent(1, { payload: { nested: { list: [1, 'two', null], flag: true } }, deviceId: 'tablet-3' }),
        newEvent(2, { type: 'dose.recorded', actorId: 'participant-7', idempotencyKey: 'k-1' }),
      ]);
      const second = await store().appendEvents('stream-1', [newEvent(3, { actorId: 'system' })]);
      await store().appendEvents('stream-2', [newEvent(4)]);
      const appended = [...first, ...second];
      expect(appended.map((a) => [a.event.seq, a.duplicate])).toEqual([
        [1, false],
        [2, false],
        [3, false],
      ]);
      expect(appended[0]!.event).toEqual({
        streamId: 'stream-1',
        seq: 1,
        ...newEvent(1, {
          payload: { nested: { list: [1, 'two', null], flag: true } },
          deviceId: 'tablet-3',
        }),
      });
      expect(await store().readEvents('stream-1', 0, 10)).toEqual(appended.map((a) => a.event));
      expect(await store().lastEventSeq('stream-1')).toBe(3);
      expect((await store().readEvents('stream-2', 0, 10)).map((e) => e.seq)).toEqual([1]);
    });

    it('resume from a seq, at most `limit` at a time', async () => {
      await seedStream(store());
      await store().appendEvents(
        'stream-1',
        [1, 2, 3, 4, 5].map((n) => newEvent(n)),
      );
      const seqs = async (since: number, limit: number) =>
        (await store().readEvents('stream-1', since, limit)).map((e) => e.seq);
      expect(await seqs(0, 2)).toEqual([1, 2]);
      expect(await seqs(2, 2)).toEqual([3, 4]);
      expect(await seqs(4, 10)).toEqual([5]);
      expect(await seqs(5, 10)).toEqual([]);
    });

    it('answer a repeated command with its first record and write nothing', async () => {
      await seedStream(store());
      const [original] = await store().appendEvents('stream-1', [newEvent(1, { idempotencyKey: 'cmd-1' })]);
      const repeat = await store().appendEvents('stream-1', [
        newEvent(9, { idempotencyKey: 'cmd-1', payload: { different: true } }),
      ]);
      expect(repeat).toEqual([{ event: original!.event, duplicate: true }]);
      expect(await store().lastEventSeq('stream-1')).toBe(1);
      expect(await store().readEvents('stream-1', 0, 10)).toEqual([original!.event]);
      // The next new event takes the next seq: the duplicate consumed none.
      const [next] = await store().appendEvents('stream-1', [newEvent(2)]);
      expect(next!.event.seq).toBe(2);
    });

    it('scope keys by actor, and never match events without a key', async () => {
      await seedStream(store());
      await store().appendEvents('stream-1', [newEvent(1, { actorId: 'alice', idempotencyKey: 'k' })]);
      const other = await store().appendEvents('stream-1', [
        newEvent(2, { actorId: 'bob', idempotencyKey: 'k' }),
        newEvent(3, { actorId: 'bob' }),
        newEvent(4, { actorId: 'bob' }),
      ]);
      expect(other.map((a) => [a.event.seq, a.event.actorId, a.duplicate])).toEqual([
        [2, 'bob', false],
        [3, 'bob', false],
        [4, 'bob', false],
      ]);
    });

    it('store a key once even when it appears twice in one batch', async () => {
      await seedStream(store());
      const answers = await store().appendEvents('stream-1', [
        newEvent(1, { idempotencyKey: 'a' }),
        newEvent(2),
        newEvent(3, { idempotencyKey: 'a' }),
        newEvent(4, { idempotencyKey: 'b' }),
      ]);
      expect(answers.map((a) => [a.event.seq, a.event.at, a.duplicate])).toEqual([
        [1, minutes(1), false],
        [2, minutes(2), false],
        [1, minutes(1), true],
        [3, minutes(4), false],
      ]);
      expect(await store().lastEventSeq('stream-1')).toBe(3);
      expect((await store().readEvents('stream-1', 0, 10)).map((e) => e.seq)).toEqual([1, 2, 3]);
    });

    it('write exactly one of 10 racing identical commands, and answer all with its seq', async () => {
      await seedStream(store());
      await store().appendEvents('stream-1', [newEvent(1)]);
      const { values, errors } = await race(
        Array.from(
          { length: 10 },
          () => () =>
            store().appendEvents('stream-1', [
              newEvent(2, { actorId: 'tablet-user', idempotencyKey: 'tap-1' }),
            ]),
        ),
      );
      expect(errors).toEqual([]);
      const answers = values.map((batch) => batch[0]!);
      expect(new Set(answers.map((a) => a.event.seq))).toEqual(new Set([2]));
      expect(answers.filter((a) => !a.duplicate)).toHaveLength(1);
      expect(await store().lastEventSeq('stream-1')).toBe(2);
    });

    it('stay gapless under 20 concurrent appends', async () => {
      await seedStream(store());
      const { values, errors } = await race(
        Array.from(
          { length: 20 },
          (_, i) => () =>
            store().appendEvents('stream-1', [newEvent(i, { idempotencyKey: `k${i}` }), newEvent(i)]),
        ),
      );
      expect(errors).toEqual([]);
      const seqs = values.flat().map((a) => a.event.seq);
      expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(await store().lastEventSeq('stream-1')).toBe(40);
    });

    it('write a conditional append only while the stream is where the caller saw it', async () => {
      await seedStream(store());
      await store().appendEvents('stream-1', [newEvent(1)]);
      const [written] = await store().appendEvents(
        'stream-1',
        [newEvent(2, { idempotencyKey: 'phase-1' }), newEvent(3)],
        { expectLastSeq: 1 },
      );
      expect(written!.event.seq).toBe(2);

      const stale = store().appendEvents('stream-1', [newEvent(4, { idempotencyKey: 'phase-2' })], {
        expectLastSeq: 1,
      });
      await expect(stale).rejects.toBeInstanceOf(StaleStreamError);
      await expect(stale).rejects.toMatchObject({ streamId: 'stream-1', lastSeq: 3 });
      expect(await store().lastEventSeq('stream-1')).toBe(3);
      expect((await store().readEvents('stream-1', 0, 10)).map((e) => e.idempotencyKey)).toEqual([
        null,
        'phase-1',
        null,
      ]);

      // A repeat is answered with its first record, however far the stream has moved since.
      const [repeat] = await store().appendEvents('stream-1', [newEvent(2, { idempotencyKey: 'phase-1' })], {
        expectLastSeq: 0,
      });
      expect(repeat).toMatchObject({ duplicate: true, event: { seq: 2 } });
    });

    it('let exactly one of 10 racing conditional appends through', async () => {
      await seedStream(store());
      const { values, errors } = await race(
        Array.from(
          { length: 10 },
          (_, i) => () =>
            store().appendEvents('stream-1', [newEvent(i, { idempotencyKey: `move-${i}` })], {
              expectLastSeq: 0,
            }),
        ),
      );
      expect(values).toHaveLength(1);
      expect(errors).toHaveLength(9);
      for (const error of errors) expect(error).toBeInstanceOf(StaleStreamError);
      expect(await store().lastEventSeq('stream-1')).toBe(1);
    });

    it('refuse an unknown stream, writing nothing', async () => {
      await seedStream(store());
      await expect(
        store().appendEvents('unknown', [newEvent(1), newEvent(2, { idempotencyKey: 'k' })]),
      ).rejects.toBeInstanceOf(NotFoundError);
      expect(await store().readEvents('unknown', 0, 10)).toEqual([]);
      expect(await store().appendEvents('stream-1', [])).toEqual([]);
    });
  });
}
