import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  NotFoundError,
  type DocUpdateAuthor,
  type DocUpdateHistoryRecord,
  type NewDocUpdate,
  type Store,
} from '../../src/store.ts';
import {
  addStaff,
  bytesOf,
  documentRecord,
  minutes,
  race,
  seedStream,
  textOf,
  type ContractContext,
} from './fixtures.ts';

/** The author of updates whose author a test does not care about. */
const ADMIN: DocUpdateAuthor = { actorId: 'admin', deviceId: null };

/** An update of `docId` whose bytes are `text`, written by `author`. */
const item = (docId: string, text: string, author: DocUpdateAuthor = ADMIN): NewDocUpdate => ({
  docId,
  update: bytesOf(text),
  ...author,
});

/** Appends `count` updates to one document, one call each, named `<docId>:<n>`. */
async function appendEach(
  store: Store,
  docId: string,
  count: number,
  author: DocUpdateAuthor = ADMIN,
): Promise<void> {
  for (let n = 1; n <= count; n += 1) await store.appendDocUpdates([item(docId, `${docId}:${n}`, author)]);
}

const texts = (updates: { seq: number; update: Uint8Array }[]) =>
  updates.map(({ seq, update }) => `${seq}=${textOf(update)}`);

/** History as `seq=text by actor on device`, so each author is checked against its own bytes. */
const authored = (updates: DocUpdateHistoryRecord[]) =>
  updates.map(
    ({ seq, update, actorId, deviceId }) => `${seq}=${textOf(update)} by ${actorId} on ${deviceId}`,
  );

const BO: DocUpdateAuthor = { actorId: 'bo', deviceId: 'tablet-7' };
const CY: DocUpdateAuthor = { actorId: 'cy', deviceId: null };

export function documentContract({ store, raw }: ContractContext): void {
  describe('documents', () => {
    it('keep their clinic, kind, owner and stream', async () => {
      await seedStream(store());
      const note = documentRecord('doc-note');
      const shared = documentRecord('doc-shared', {
        kind: 'session_plan',
        ownerUserId: null,
        streamId: null,
        createdAt: minutes(3),
      });
      await store().createDocument(note);
      await store().createDocument(shared);
      expect(await store().getDocument('doc-note')).toEqual(note);
      expect(await store().getDocument('doc-shared')).toEqual(shared);
      expect(await store().getDocument('unknown')).toBeNull();
      await expect(store().createDocument(note)).rejects.toThrow();
    });

    it('number updates from 1, gapless and separately per document', async () => {
      await seedStream(store());
      await store().createDocument(documentRecord('a'));
      await store().createDocument(documentRecord('b'));
      expect(await store().appendDocUpdates([item('a', 'a:1')])).toEqual([1]);
      expect(await store().appendDocUpdates([item('a', 'a:2')])).toEqual([2]);
      expect(await store().appendDocUpdates([item('b', 'b:1')])).toEqual([1]);
      expect(await store().appendDocUpdates([item('a', 'a:3')])).toEqual([3]);
      expect(await store().appendDocUpdates([])).toEqual([]);
      expect(texts(await store().readDocUpdates('a', 0, 10))).toEqual(['1=a:1', '2=a:2', '3=a:3']);
      expect(texts(await store().readDocUpdates('b', 0, 10))).toEqual(['1=b:1']);
    });

    it('give each document of a batch its own seqs, in input order', async () => {
      await seedStream(store());
      await store().createDocument(documentRecord('a'));
      await store().createDocument(documentRecord('b'));
      await appendEach(store(), 'b', 2);
      const batch = ['a:x', 'b:x', 'a:y', 'a:z', 'b:y'].map((text) => item(text.slice(0, 1), text));
      expect(await store().appendDocUpdates(batch)).toEqual([1, 3, 2, 3, 4]);
      expect(texts(await store().readDocUpdates('a', 0, 10))).toEqual(['1=a:x', '2=a:y', '3=a:z']);
      expect(texts(await store().readDocUpdates('b', 0, 10))).toEqual(['1=b:1', '2=b:2', '3=b:x', '4=b:y']);
    });

    it('stay distinct and gapless under 20 concurrent appends', async () => {
      await seedStream(store());
      await store().createDocument(documentRecord('a'));
      await store().createDocument(documentRecord('b'));
      // Each call writes to both documents, half in the opposite order: on PostgreSQL that
      // deadlocks unless every appender takes the row locks in one common order.
      const calls = Array.from({ length: 20 }, (_, i) => {
        const pair = [item('a', `a:${i}`), item('b', `b:${i}`)];
        return () => store().appendDocUpdates(i % 2 === 0 ? pair : pair.reverse());
      });
      const { values, errors } = await race(calls);
      expect(errors).toEqual([]);
      const expected = Array.from({ length: 20 }, (_, i) => i + 1);
      for (const docId of ['a', 'b']) {
        const stored = await store().readDocUpdates(docId, 0, 100);
        expect(stored.map((u) => u.seq)).toEqual(expected);
        // Every call got back the seq its own update was stored under.
        values.forEach((seqs, i) => {
          const at = (i % 2 === 0) === (docId === 'a') ? 0 : 1;
          expect(textOf(stored[seqs[at]! - 1]!.update)).toBe(`${docId}:${i}`);
        });
      }
    });

    it('write nothing of a batch that names a missing document', async () => {
      await seedStream(store());
      await store().createDocument(documentRecord('a'));
      await store().createDocument(documentRecord('b'));
      await appendEach(store(), 'a', 1);
      const batch = [item('a', 'a:lost'), item('missing', 'x'), item('b', 'b:lost')];
      await expect(store().appendDocUpdates(batch)).rejects.toBeInstanceOf(NotFoundError);
      expect(texts(await store().readDocUpdates('a', 0, 10))).toEqual(['1=a:1']);
      expect(await store().readDocUpdates('b', 0, 10)).toEqual([]);
      // The counters did not move either.
      expect(await store().appendDocUpdates([item('b', 'b:1')])).toEqual([1]);
      expect(await store().appendDocUpdates([item('a', 'a:2')])).toEqual([2]);
    });

    it('keep who wrote each update and on which device, also in a batch that mixes authors', async () => {
      await seedStream(store());
      await store().createDocument(documentRecord('a'));
      await store().createDocument(documentRecord('b'));
      // One group commit as the server's commit queue makes it: several people, two documents.
      const careless = { docId: 'b', update: bytesOf('b:cy'), actorId: 'cy' } as NewDocUpdate; // no deviceId
      const batch = [
        item('a', 'a:admin'),
        item('b', 'b:bo', BO),
        item('a', 'a:bo', BO),
        item('a', 'a:cy', CY),
      ];
      expect(await store().appendDocUpdates([...batch, careless])).toEqual([1, 1, 2, 3, 2]);
      expect(authored(await store().readDocUpdates('a', 0, 10))).toEqual([
        '1=a:admin by admin on null',
        '2=a:bo by bo on tablet-7',
        '3=a:cy by cy on null',
      ]);
      expect(authored(await store().readDocUpdates('b', 0, 10))).toEqual([
        '1=b:bo by bo on tablet-7',
        '2=b:cy by cy on null',
      ]);
    });

    it('keep when each update was committed, for history to group edits by (BI-Y12)', async () => {
      await seedStream(store());
      await store().createDocument(documentRecord('a'));
      const before = Date.now();
      await store().appendDocUpdates([item('a', 'a:1')]);
      await store().appendDocUpdates([item('a', 'a:2', BO)]);
      const rows = await store().readDocUpdates('a', 0, 10);
      for (const row of rows) {
        expect(row.at).toBeInstanceOf(Date);
        expect(row.at.getTime()).toBeGreaterThanOrEqual(before - 1000);
      }
      expect(rows[1]!.at.getTime()).toBeGreaterThanOrEqual(rows[0]!.at.getTime());
    });

    it('keep the authors of the history a snapshot covers', async () => {
      await seedStream(store());
      await store().createDocument(documentRecord('a'));
      await store().appendDocUpdates([item('a', 'a:1'), item('a', 'a:2', BO)]);
      expect(await store().compactDoc('a', 0, 2, bytesOf('state-upto-2'))).toBe(true);
      await store().appendDocUpdates([item('a', 'a:3', CY)]);
      expect(texts((await store().loadDocState('a')).updates)).toEqual(['3=a:3']);
      expect(authored(await store().readDocUpdates('a', 0, 10))).toEqual([
        '1=a:1 by admin on null',
        '2=a:2 by bo on tablet-7',
        '3=a:3 by cy on null',
      ]);
    });

    it('refuse an update without an author, in the Store and in the database itself', async () => {
      await seedStream(store());
      await store().createDocument(documentRecord('a'));
      await appendEach(store(), 'a', 1);
      const anonymous = item('a', 'a:anon', { actorId: '', deviceId: null });
      await expect(store().appendDocUpdates([item('a', 'a:x'), anonymous])).rejects.toThrow();
      const careless = { docId: 'a', update: bytesOf('a:anon') } as NewDocUpdate; // a JS caller
      await expect(store().appendDocUpdates([careless])).rejects.toThrow();
      // Someone with database access who goes around the Store meets the same rule.
      const copyWithoutAuthor =
        'INSERT INTO doc_updates (doc_id, seq, "update", created_at) ' +
        `SELECT doc_id, seq + 100, "update", created_at FROM doc_updates WHERE doc_id = 'a'`;
      await expect(raw.exec(store(), copyWithoutAuthor)).rejects.toThrow(/actor/);
      expect(authored(await store().readDocUpdates('a', 0, 200))).toEqual(['1=a:1 by admin on null']);
      expect(await store().appendDocUpdates([item('a', 'a:2')])).toEqual([2]);
    });

    it('round-trip bytes exactly: every byte value, a view into a larger buffer, 1 MiB', async () => {
      await seedStream(store());
      await store().createDocument(documentRecord('a'));
      const everyByte = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
      const backing = randomBytes(64);
      const view = new Uint8Array(backing.buffer, backing.byteOffset + 8, 16); // not a Buffer, offset
      const large = randomBytes(1024 * 1024);
      large[0] = 0;
      large[large.length - 1] = 0;
      const sent = [everyByte, new Uint8Array([0]), view, large];
      const expected = sent.map((bytes) => Uint8Array.from(bytes));
      const appended = store().appendDocUpdates(sent.map((update) => ({ docId: 'a', update, ...ADMIN })));
      backing.fill(0xff); // a caller reusing its buffer while the write is queued changes nothing
      await appended;
      const read = await store().readDocUpdates('a', 0, 10);
      expect(read.map(({ update }) => update.byteLength)).toEqual(expected.map((b) => b.byteLength));
      read.forEach(({ update }, i) => {
        expect(update).toBeInstanceOf(Uint8Array);
        expect(Buffer.compare(Buffer.from(update), Buffer.from(expected[i]!))).toBe(0);
      });
    });

    it('load everything when there is no snapshot', async () => {
      await seedStream(store());
      await store().createDocument(documentRecord('a'));
      expect(await store().loadDocState('a')).toEqual({
        snapshot: null,
        snapshotSeq: 0,
        updates: [],
        tailBytes: 0,
      });
      await appendEach(store(), 'a', 3);
      const state = await store().loadDocState('a');
      expect(state).toMatchObject({ snapshot: null, snapshotSeq: 0, tailBytes: 9 });
      expect(texts(state.updates)).toEqual(['1=a:1', '2=a:2', '3=a:3']);
      await expect(store().loadDocState('missing')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('load the snapshot and only the updates after it, and keep the rest as history', async () => {
      await seedStream(store());
      await store().createDocument(documentRecord('a'));
      await appendEach(store(), 'a', 5);
      expect(await store().compactDoc('a', 0, 3, bytesOf('state-upto-3'))).toBe(true);
      await store().appendDocUpdates([item('a', 'a:6')]);
      const state = await store().loadDocState('a');
      expect(textOf(state.snapshot!)).toBe('state-upto-3');
      expect(state.snapshotSeq).toBe(3);
      expect(texts(state.updates)).toEqual(['4=a:4', '5=a:5', '6=a:6']);
      expect(state.tailBytes).toBe(9);
      const history = await store().readDocUpdates('a', 0, 100);
      expect(history.map((u) => u.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it('compact only over the expected snapshot (compare-and-set)', async () => {
      await seedStream(store());
      await store().createDocument(documentRecord('a'));
      await appendEach(store(), 'a', 6);
      expect(await store().compactDoc('a', 0, 2, bytesOf('s2'))).toBe(true);
      expect(await store().compactDoc('a', 0, 4, bytesOf('stale'))).toBe(false);
      expect(await store().compactDoc('a', 1, 4, bytesOf('stale'))).toBe(false);
      let state = await store().loadDocState('a');
      expect([textOf(state.snapshot!), state.snapshotSeq]).toEqual(['s2', 2]);
      expect(await store().compactDoc('a', 2, 5, bytesOf('s5'))).toBe(true);
      expect(await store().compactDoc('a', 2, 6, bytesOf('stale'))).toBe(false);
      state = await store().loadDocState('a');
      expect([textOf(state.snapshot!), state.snapshotSeq, texts(state.updates)]).toEqual([
        's5',
        5,
        ['6=a:6'],
      ]);
    });

    it('let exactly one of several racing compactions win', async () => {
      await seedStream(store());
      await store().createDocument(documentRecord('a'));
      await appendEach(store(), 'a', 10);
      // First without a snapshot (racing inserts), then over the winner's (racing updates).
      let expected = 0;
      for (const uptos of [
        [1, 2, 3, 4, 5],
        [6, 7, 8, 9, 10],
      ]) {
        const outcome = await race(
          uptos.map((upto) => () => store().compactDoc('a', expected, upto, bytesOf(`s${upto}`))),
        );
        expect(outcome.errors).toEqual([]);
        expect(outcome.values.filter(Boolean)).toHaveLength(1);
        const winner = uptos[outcome.values.indexOf(true)]!;
        const state = await store().loadDocState('a');
        expect([textOf(state.snapshot!), state.snapshotSeq]).toEqual([`s${winner}`, winner]);
        expected = winner;
      }
    });

    it('refuse a snapshot that covers nothing new, or updates that do not exist yet', async () => {
      await seedStream(store());
      await store().createDocument(documentRecord('a'));
      await appendEach(store(), 'a', 3);
      await expect(store().compactDoc('a', 0, 0, bytesOf('s'))).rejects.toBeInstanceOf(RangeError);
      await expect(store().compactDoc('a', 0, 4, bytesOf('s'))).rejects.toBeInstanceOf(RangeError);
      expect(await store().compactDoc('a', 0, 3, bytesOf('s3'))).toBe(true);
      await expect(store().compactDoc('a', 3, 3, bytesOf('s'))).rejects.toBeInstanceOf(RangeError);
      await expect(store().compactDoc('missing', 0, 1, bytesOf('s'))).rejects.toBeInstanceOf(NotFoundError);
      expect((await store().loadDocState('a')).snapshotSeq).toBe(3);
    });

    it('page through the update log', async () => {
      await seedStream(store());
      await store().createDocument(documentRecord('a'));
      await store().createDocument(documentRecord('b'));
      await appendEach(store(), 'a', 7);
      await appendEach(store(), 'b', 2);
      const pages: string[][] = [];
      for (let after = 0; ;) {
        const page = await store().readDocUpdates('a', after, 3);
        if (page.length === 0) break;
        pages.push(texts(page));
        after = page.at(-1)!.seq;
      }
      expect(pages).toEqual([['1=a:1', '2=a:2', '3=a:3'], ['4=a:4', '5=a:5', '6=a:6'], ['7=a:7']]);
      expect(await store().readDocUpdates('missing', 0, 3)).toEqual([]);
    });

    it('give each Yjs client id to its first writer, and keep it theirs', async () => {
      await seedStream(store());
      await addStaff(store(), 'bo', ['facilitator']);
      await store().createDocument(documentRecord('a'));
      await store().createDocument(documentRecord('b'));
      const big = 4_294_967_295; // client ids are unsigned 32-bit
      expect(await store().claimDocClients('a', 'admin', [7, big, 7])).toEqual(
        new Map([
          [7, 'admin'],
          [big, 'admin'],
        ]),
      );
      // Bo cannot take admin's ids in that document; a new id becomes Bo's.
      expect(await store().claimDocClients('a', 'bo', [7, 8])).toEqual(
        new Map([
          [7, 'admin'],
          [8, 'bo'],
        ]),
      );
      // An id belongs to its writer in every document: Bo cannot replay admin's id into b (BI-Y9).
      expect(await store().claimDocClients('b', 'bo', [7, 9])).toEqual(
        new Map([
          [7, 'admin'],
          [9, 'bo'],
        ]),
      );
      // Its owner may use it anywhere.
      expect(await store().claimDocClients('b', 'admin', [7])).toEqual(new Map([[7, 'admin']]));
      expect(await store().claimDocClients('a', 'admin', [])).toEqual(new Map());
    });

    it('let exactly one of several racing claims of one client id in different documents win', async () => {
      await seedStream(store());
      await addStaff(store(), 'bo', ['facilitator']);
      await store().createDocument(documentRecord('a'));
      await store().createDocument(documentRecord('b'));
      const { values, errors } = await race(
        [
          ['a', 'admin'],
          ['b', 'bo'],
          ['b', 'admin'],
          ['a', 'bo'],
        ].map(
          ([doc, user]) =>
            () =>
              store().claimDocClients(doc!, user!, [4242]),
        ),
      );
      expect(errors).toEqual([]);
      expect(new Set(values.map((owners) => owners.get(4242))).size).toBe(1);
    });

    it('let exactly one of several racing claims of one client id win', async () => {
      await seedStream(store());
      await addStaff(store(), 'bo', ['facilitator']);
      await store().createDocument(documentRecord('a'));
      const { values, errors } = await race(
        ['admin', 'bo', 'admin', 'bo'].map((user) => () => store().claimDocClients('a', user, [42])),
      );
      expect(errors).toEqual([]);
      const owners = new Set(values.map((owners) => owners.get(42)));
      expect(owners.size).toBe(1);
    });
  });
}
