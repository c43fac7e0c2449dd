/**
 * Participant journals on PostgreSQL: ciphertext in, ciphertext out. Appends and compactions
 * lock the journal's row FOR UPDATE first, so on every instance they run one after the other:
 * seqs stay gapless, a retried blob id is found rather than inserted twice, and a racing second
 * compaction sees the first one's snapshot and answers `stale`.
 */
import { and, asc, eq, gt, lte, sum } from 'drizzle-orm';
import { compactionRefusal, journalPage, oldestFirst } from '../journal-rows.ts';
import { ownBytes } from '../realtime.ts';
import { firstOrNull } from '../records.ts';
import { journalBlobs, journalUnlockFailures, journals } from '../schema/postgres.ts';
import type { JournalStore } from '../store-parts.ts';
import type { PgTx, PostgresContext } from './connection.ts';

const blobColumns = { seq: journalBlobs.seq, kind: journalBlobs.kind, data: journalBlobs.data };

async function lockJournal(tx: PgTx, journalId: string) {
  return firstOrNull(await tx.select().from(journals).where(eq(journals.id, journalId)).for('update'));
}

export function postgresJournalStore({ db, transaction }: PostgresContext): JournalStore {
  return {
    createJournal: async (journal) => {
      const created = await db
        .insert(journals)
        .values({ ...journal, headSeq: 0, totalBytes: 0, updatedAt: journal.createdAt, lastUnlockedAt: null })
        .onConflictDoNothing({ target: journals.participantId })
        .returning({ id: journals.id });
      return created.length === 1 ? 'created' : 'exists';
    },

    getJournalByParticipant: async (participantId) =>
      firstOrNull(await db.select().from(journals).where(eq(journals.participantId, participantId))),

    appendJournalBlob: (journalId, { blobId, data, at }, maxTotalBytes) => {
      const bytes = ownBytes(data);
      return transaction(async (tx) => {
        const journal = await lockJournal(tx, journalId);
        if (!journal) return { ok: false, reason: 'no_journal' };
        const [seen] = await tx
          .select({ seq: journalBlobs.seq })
          .from(journalBlobs)
          .where(and(eq(journalBlobs.journalId, journalId), eq(journalBlobs.blobId, blobId)));
        if (seen) return { ok: true, seq: seen.seq, duplicate: true };
        if (journal.totalBytes + bytes.byteLength > maxTotalBytes) return { ok: false, reason: 'full' };
        const seq = journal.headSeq + 1;
        await tx
          .update(journals)
          .set({ headSeq: seq, totalBytes: journal.totalBytes + bytes.byteLength, updatedAt: at })
          .where(eq(journals.id, journalId));
        await tx.insert(journalBlobs).values({
          journalId,
          seq,
          kind: 'update',
          blobId,
          data: bytes,
          byteLength: bytes.byteLength,
          coversThrough: null,
          createdAt: at,
        });
        return { ok: true, seq, duplicate: false };
      });
    },

    listJournalBlobs: (journalId, afterSeq, limit) =>
      // REPEATABLE READ: the head and the blobs come from one snapshot of the database.
      db.transaction(
        async (tx) => {
          const [journal] = await tx
            .select({ headSeq: journals.headSeq })
            .from(journals)
            .where(eq(journals.id, journalId));
          if (!journal) return { blobs: [], headSeq: 0, more: false };
          const rows = await tx
            .select(blobColumns)
            .from(journalBlobs)
            .where(and(eq(journalBlobs.journalId, journalId), gt(journalBlobs.seq, afterSeq)))
            .orderBy(asc(journalBlobs.seq))
            .limit(limit + 1);
          return journalPage(rows, limit, journal.headSeq);
        },
        { isolationLevel: 'repeatable read', accessMode: 'read only' },
      ),

    compactJournal: (journalId, throughSeq, data, at) => {
      const bytes = ownBytes(data);
      return transaction(async (tx) => {
        const journal = await lockJournal(tx, journalId);
        if (!journal) return { ok: false, reason: 'no_journal' };
        const [snapshot] = await tx
          .select({ coversThrough: journalBlobs.coversThrough })
          .from(journalBlobs)
          .where(and(eq(journalBlobs.journalId, journalId), eq(journalBlobs.kind, 'snapshot')));
        const refusal = compactionRefusal(throughSeq, journal.headSeq, snapshot?.coversThrough ?? 0);
        if (refusal) return refusal;
        const covered = and(eq(journalBlobs.journalId, journalId), lte(journalBlobs.seq, throughSeq));
        const [replaced] = await tx
          .select({ bytes: sum(journalBlobs.byteLength) })
          .from(journalBlobs)
          .where(covered);
        await tx.delete(journalBlobs).where(covered);
        await tx.insert(journalBlobs).values({
          journalId,
          seq: throughSeq,
          kind: 'snapshot',
          blobId: null,
          data: bytes,
          byteLength: bytes.byteLength,
          coversThrough: throughSeq,
          createdAt: at,
        });
        const totalBytes = journal.totalBytes - Number(replaced?.bytes ?? 0) + bytes.byteLength;
        await tx.update(journals).set({ totalBytes, updatedAt: at }).where(eq(journals.id, journalId));
        return { ok: true, headSeq: journal.headSeq, totalBytes };
      });
    },

    replaceJournalPassphrase: async (journalId, wrapping, at) => {
      const changed = await db
        .update(journals)
        .set({ ...wrapping, updatedAt: at })
        .where(eq(journals.id, journalId))
        .returning({ id: journals.id });
      return changed.length === 1;
    },

    recordJournalUnlockFailure: async (failure) => {
      await db.insert(journalUnlockFailures).values(failure);
    },

    listJournalUnlockFailures: (journalId) =>
      db
        .select()
        .from(journalUnlockFailures)
        .where(eq(journalUnlockFailures.journalId, journalId))
        .orderBy(asc(journalUnlockFailures.at), asc(journalUnlockFailures.id)),

    takeJournalUnlockFailures: (journalId, at) =>
      transaction(async (tx) => {
        const taken = await tx
          .delete(journalUnlockFailures)
          .where(eq(journalUnlockFailures.journalId, journalId))
          .returning();
        await tx.update(journals).set({ lastUnlockedAt: at }).where(eq(journals.id, journalId));
        return oldestFirst(taken);
      }),
  };
}
