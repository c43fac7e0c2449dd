import { randomBytes } from 'node:crypto';
import { JOURNAL_KDF } from '@cairn/domain';
import { describe, expect, it } from 'vitest';
import type { NewJournalRecord } from '../../src/journal-records.ts';
import { T0, minutes, race, seedClinic, type ContractContext } from './fixtures.ts';

const MAX_TOTAL = 1000;

function journalRecord(id: string, participantId: string): NewJournalRecord {
  return {
    id,
    clinicId: 'clinic-1',
    participantId,
    kdf: { ...JOURNAL_KDF },
    passphraseSalt: 'p'.repeat(22),
    recoverySalt: 'r'.repeat(22),
    wrappedByPassphrase: 'W'.repeat(80),
    wrappedByRecovery: 'R'.repeat(80),
    passphraseProofHash: 'a'.repeat(64),
    recoveryProofHash: 'b'.repeat(64),
    createdAt: T0,
  };
}

/** Bytes no text codec would round-trip: every value 0…255, then random ones. */
function hostileBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = i % 256;
  bytes.set(randomBytes(Math.max(0, length - 256)), Math.min(256, length));
  return bytes;
}

/** A clinic, a group and participants p1, p2 (journals belong to participants). */
async function seedParticipants(ctx: ContractContext): Promise<void> {
  const store = ctx.store();
  await seedClinic(store);
  await store.createGroup(
    {
      id: 'g1',
      clinicId: 'clinic-1',
      name: 'Group g1',
      plan: { preparation: 1, dosing: 1, integration: 1 },
      routeDefault: 'intramuscular',
      createdBy: 'admin',
      createdAt: T0,
      updatedAt: T0,
    },
    [{ userId: 'admin', role: 'facilitator' }],
  );
  for (const id of ['p1', 'p2']) {
    await store.enrolParticipant(
      'g1',
      {
        participant: {
          id,
          clinicId: 'clinic-1',
          preferredName: `Person ${id}`,
          pronouns: null,
          emergencyContact: { name: 'Contact', phone: '+1 555 0100' },
          escortContact: null,
          createdAt: T0,
        },
        enrolledAt: T0,
        consents: [],
      },
      12,
    );
  }
}

export function journalContract(ctx: ContractContext): void {
  const { store } = ctx;
  const append = (blobId: string, data: Uint8Array, journalId = 'j1', max = MAX_TOTAL) =>
    store().appendJournalBlob(journalId, { blobId, data, at: minutes(1) }, max);

  describe('journals: ciphertext only, gapless, compacted by the device', () => {
    it('creates one journal per participant, also when two set-ups race', async () => {
      await seedParticipants(ctx);
      const { values } = await race([
        () => store().createJournal(journalRecord('j1', 'p1')),
        () => store().createJournal(journalRecord('j2', 'p1')),
      ]);
      expect(values.sort()).toEqual(['created', 'exists']);
      const journal = await store().getJournalByParticipant('p1');
      expect(journal).toMatchObject({ participantId: 'p1', headSeq: 0, totalBytes: 0, lastUnlockedAt: null });
      expect(journal?.kdf).toEqual(JOURNAL_KDF);
      expect(journal?.updatedAt).toEqual(T0);
      expect(await store().getJournalByParticipant('p2')).toBeNull();
    });

    it('round-trips ciphertext byte for byte, with gapless seqs and the head', async () => {
      await seedParticipants(ctx);
      await store().createJournal(journalRecord('j1', 'p1'));
      const first = hostileBytes(300);
      const second = new Uint8Array([0, 0, 255, 0]);
      expect(await append('blob-a', first, 'j1', 10_000)).toEqual({ ok: true, seq: 1, duplicate: false });
      expect(await append('blob-b', second, 'j1', 10_000)).toEqual({ ok: true, seq: 2, duplicate: false });
      const page = await store().listJournalBlobs('j1', 0, 10);
      expect(page.headSeq).toBe(2);
      expect(page.more).toBe(false);
      expect(page.blobs.map((b) => [b.seq, b.kind])).toEqual([
        [1, 'update'],
        [2, 'update'],
      ]);
      expect(Buffer.from(page.blobs[0]!.data).equals(Buffer.from(first))).toBe(true);
      expect(Buffer.from(page.blobs[1]!.data).equals(Buffer.from(second))).toBe(true);
      expect((await store().listJournalBlobs('j1', 1, 10)).blobs.map((b) => b.seq)).toEqual([2]);
      expect(await store().getJournalByParticipant('p1')).toMatchObject({ headSeq: 2, totalBytes: 304 });
    });

    it('keeps a private copy of the bytes: the caller reusing its buffer changes nothing stored', async () => {
      await seedParticipants(ctx);
      await store().createJournal(journalRecord('j1', 'p1'));
      const buffer = new Uint8Array([1, 2, 3]);
      const pending = append('blob-a', buffer);
      buffer.fill(9);
      await pending;
      expect([...(await store().listJournalBlobs('j1', 0, 10)).blobs[0]!.data]).toEqual([1, 2, 3]);
    });

    it('stores a retried blob id once and answers its first seq', async () => {
      await seedParticipants(ctx);
      await store().createJournal(journalRecord('j1', 'p1'));
      await append('blob-a', new Uint8Array([1]));
      await append('blob-b', new Uint8Array([2]));
      expect(await append('blob-a', new Uint8Array([1]))).toEqual({ ok: true, seq: 1, duplicate: true });
      const { values } = await race([1, 2, 3].map(() => () => append('blob-c', new Uint8Array([3]))));
      expect(values.map((v) => v.ok && v.seq)).toEqual([3, 3, 3]);
      expect(values.filter((v) => v.ok && !v.duplicate)).toHaveLength(1);
      expect(await store().getJournalByParticipant('p1')).toMatchObject({ headSeq: 3, totalBytes: 3 });
    });

    it('ten racing appends get ten gapless seqs', async () => {
      await seedParticipants(ctx);
      await store().createJournal(journalRecord('j1', 'p1'));
      const { values, errors } = await race(
        Array.from({ length: 10 }, (_, i) => () => append(`blob-${i}`, new Uint8Array([i]))),
      );
      expect(errors).toEqual([]);
      expect(values.map((v) => (v.ok ? v.seq : 0)).sort((a, b) => a - b)).toEqual([
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
      ]);
      const page = await store().listJournalBlobs('j1', 0, 100);
      expect(page.blobs.map((b) => b.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(page.headSeq).toBe(10);
    });

    it('refuses an append past the byte cap, writing nothing, also under racing appends', async () => {
      await seedParticipants(ctx);
      await store().createJournal(journalRecord('j1', 'p1'));
      expect(await append('blob-a', new Uint8Array(600))).toMatchObject({ ok: true, seq: 1 });
      expect(await append('blob-b', new Uint8Array(401))).toEqual({ ok: false, reason: 'full' });
      const { values } = await race([
        () => append('blob-c', new Uint8Array(300)),
        () => append('blob-d', new Uint8Array(300)),
      ]);
      expect(values.filter((v) => v.ok)).toHaveLength(1);
      expect(values.filter((v) => !v.ok)).toEqual([{ ok: false, reason: 'full' }]);
      expect(await store().getJournalByParticipant('p1')).toMatchObject({ headSeq: 2, totalBytes: 900 });
      expect(await append('blob-e', new Uint8Array(100))).toMatchObject({ ok: true, seq: 3 });
      expect(await append('blob-x', new Uint8Array(1), 'no-such-journal')).toEqual({
        ok: false,
        reason: 'no_journal',
      });
    });

    it('pages blobs with `more`', async () => {
      await seedParticipants(ctx);
      await store().createJournal(journalRecord('j1', 'p1'));
      for (let i = 0; i < 5; i++) await append(`blob-${i}`, new Uint8Array([i]));
      const first = await store().listJournalBlobs('j1', 0, 2);
      expect(first.blobs.map((b) => b.seq)).toEqual([1, 2]);
      expect(first.more).toBe(true);
      const last = await store().listJournalBlobs('j1', 4, 2);
      expect(last.blobs.map((b) => b.seq)).toEqual([5]);
      expect(last.more).toBe(false);
      expect(await store().listJournalBlobs('j1', 5, 2)).toEqual({ blobs: [], headSeq: 5, more: false });
    });

    it('compaction replaces every blob up to throughSeq with one snapshot; later ones stay', async () => {
      await seedParticipants(ctx);
      await store().createJournal(journalRecord('j1', 'p1'));
      for (let i = 1; i <= 5; i++) await append(`blob-${i}`, new Uint8Array(10).fill(i));
      const snapshot = hostileBytes(512);
      expect(await store().compactJournal('j1', 3, snapshot, minutes(2))).toEqual({
        ok: true,
        headSeq: 5,
        totalBytes: 512 + 20,
      });
      const page = await store().listJournalBlobs('j1', 0, 10);
      expect(page.blobs.map((b) => [b.seq, b.kind])).toEqual([
        [3, 'snapshot'],
        [4, 'update'],
        [5, 'update'],
      ]);
      expect(Buffer.from(page.blobs[0]!.data).equals(Buffer.from(snapshot))).toBe(true);
      // A device that had read up to 1 gets the snapshot (a whole state merges); one past it does not.
      expect((await store().listJournalBlobs('j1', 1, 10)).blobs.map((b) => b.seq)).toEqual([3, 4, 5]);
      expect((await store().listJournalBlobs('j1', 3, 10)).blobs.map((b) => b.seq)).toEqual([4, 5]);
      // Appends carry on after the head, gapless.
      expect(await append('blob-6', new Uint8Array([6]))).toMatchObject({ ok: true, seq: 6 });
      // A later compaction replaces the snapshot too.
      expect(await store().compactJournal('j1', 6, new Uint8Array([7, 7]), minutes(3))).toMatchObject({
        ok: true,
        totalBytes: 2,
      });
      expect((await store().listJournalBlobs('j1', 0, 10)).blobs.map((b) => [b.seq, b.kind])).toEqual([
        [6, 'snapshot'],
      ]);
    });

    it('of two racing compactions through the same seq one wins and the other is stale', async () => {
      await seedParticipants(ctx);
      await store().createJournal(journalRecord('j1', 'p1'));
      for (let i = 1; i <= 4; i++) await append(`blob-${i}`, new Uint8Array([i]));
      const { values, errors } = await race([
        () => store().compactJournal('j1', 4, new Uint8Array([0xaa]), minutes(2)),
        () => store().compactJournal('j1', 4, new Uint8Array([0xbb]), minutes(2)),
      ]);
      expect(errors).toEqual([]);
      expect(values.filter((v) => v.ok)).toHaveLength(1);
      expect(values.filter((v) => !v.ok)).toEqual([{ ok: false, reason: 'stale' }]);
      const page = await store().listJournalBlobs('j1', 0, 10);
      expect(page.blobs).toHaveLength(1);
      expect(await store().compactJournal('j1', 2, new Uint8Array([1]), minutes(3))).toEqual({
        ok: false,
        reason: 'stale',
      });
      expect(await store().compactJournal('j1', 5, new Uint8Array([1]), minutes(3))).toEqual({
        ok: false,
        reason: 'ahead',
      });
      expect(await store().compactJournal('nope', 1, new Uint8Array([1]), minutes(3))).toEqual({
        ok: false,
        reason: 'no_journal',
      });
      expect(await store().getJournalByParticipant('p1')).toMatchObject({ headSeq: 4, totalBytes: 1 });
    });

    it('replaces the passphrase wrapping and leaves the recovery wrapping', async () => {
      await seedParticipants(ctx);
      await store().createJournal(journalRecord('j1', 'p1'));
      const wrapping = {
        kdf: { ...JOURNAL_KDF, iterations: 4 },
        passphraseSalt: 'q'.repeat(22),
        wrappedByPassphrase: 'X'.repeat(80),
        passphraseProofHash: 'c'.repeat(64),
      };
      expect(await store().replaceJournalPassphrase('j1', wrapping, minutes(5))).toBe(true);
      expect(await store().getJournalByParticipant('p1')).toMatchObject({
        ...wrapping,
        recoverySalt: 'r'.repeat(22),
        wrappedByRecovery: 'R'.repeat(80),
        recoveryProofHash: 'b'.repeat(64),
        updatedAt: minutes(5),
      });
      expect(await store().replaceJournalPassphrase('nope', wrapping, minutes(5))).toBe(false);
    });

    it('keeps failed unlocks until the next successful one takes them (once, oldest first)', async () => {
      await seedParticipants(ctx);
      await store().createJournal(journalRecord('j1', 'p1'));
      await store().createJournal(journalRecord('j2', 'p2'));
      await store().recordJournalUnlockFailure({
        id: 'f2',
        journalId: 'j1',
        at: minutes(2),
        method: 'recovery',
        via: 'home',
      });
      await store().recordJournalUnlockFailure({
        id: 'f1',
        journalId: 'j1',
        at: minutes(1),
        method: 'passphrase',
        via: 'tablet',
      });
      await store().recordJournalUnlockFailure({
        id: 'f3',
        journalId: 'j2',
        at: minutes(1),
        method: 'passphrase',
        via: 'tablet',
      });
      expect((await store().listJournalUnlockFailures('j1')).map((f) => f.id)).toEqual(['f1', 'f2']);
      const { values } = await race([
        () => store().takeJournalUnlockFailures('j1', minutes(3)),
        () => store().takeJournalUnlockFailures('j1', minutes(3)),
      ]);
      expect(values.flat().map((f) => f.id)).toEqual(['f1', 'f2']);
      expect(values.flat()[0]).toEqual({
        id: 'f1',
        journalId: 'j1',
        at: minutes(1),
        method: 'passphrase',
        via: 'tablet',
      });
      expect(await store().listJournalUnlockFailures('j1')).toEqual([]);
      expect((await store().listJournalUnlockFailures('j2')).map((f) => f.id)).toEqual(['f3']);
      expect((await store().getJournalByParticipant('p1'))?.lastUnlockedAt).toEqual(minutes(3));
    });
  });
}
