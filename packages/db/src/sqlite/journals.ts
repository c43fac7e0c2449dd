/**
 * Participant journals on SQLite: ciphertext in, ciphertext out. One writer at a time
 * (connection.ts), so each transaction below sees no concurrent change between its read and
 * its write: seqs stay gapless and a racing compaction finds the first one's snapshot.
 */
import { and, asc, eq, gt, lte, sql, sum } from 'drizzle-orm';
import { compactionRefusal, journalPage, oldestFirst } from '../journal-rows.ts';
import { ownBytes } from '../realtime.ts';
import { firstOrNull } from '../records.ts';
import { journalBlobs, journalUnlockFailures, journals } from '../schema/sqlite.ts';
import type { JournalStore } from '../store-parts.ts';
import type { SqliteContext } from './connection.ts';

const blobColumns = { seq: journalBlobs.seq, kind: journalBlobs.kind, data: journalBlobs.data };

export function sqliteJournalStore({ db, serial, transaction }: SqliteContext): JournalStore {
  return {
    createJournal: (journal) =>
      serial(async () => {
        const created = await db
          .insert(journals)
          .values({
            ...journal,
            headSeq: 0,
            totalBytes: 0,
            updatedAt: journal.createdAt,
            lastUnlockedAt: null,
          })
          .onConflictDoNothing({ target: journals.participantId })
          .returning({ id: journals.id });
        return created.length === 1 ? 'created' : 'exists';
      }),

    getJournalByParticipant: (participantId) =>
      serial(async () =>
        firstOrNull(await db.select().from(journals).where(eq(journals.participantId, participantId))),
      ),

    appendJournalBlob: (journalId, { blobId, data, at }, maxTotalBytes) => {
      const bytes = ownBytes(data);
      return transaction(async (tx) => {
        const [seen] = await tx
          .select({ seq: journalBlobs.seq })
          .from(journalBlobs)
          .where(and(eq(journalBlobs.journalId, journalId), eq(journalBlobs.blobId, blobId)));
        if (seen) return { ok: true, seq: seen.seq, duplicate: true };
        const [head] = await tx
          .update(journals)
          .set({
            headSeq: sql`${journals.headSeq} + 1`,
            totalBytes: sql`${journals.totalBytes} + ${bytes.byteLength}`,
            updatedAt: at,
          })
          .where(
            and(
              eq(journals.id, journalId),
              sql`${journals.totalBytes} + ${bytes.byteLength} <= ${maxTotalBytes}`,
            ),
          )
          .returning({ headSeq: journals.headSeq });
        if (!head) {
          const [exists] = await tx
            .select({ id: journals.id })
            .from(journals)
            .where(eq(journals.id, journalId));
          return { ok: false, reason: exists ? 'full' : 'no_journal' };
        }
        await tx.insert(journalBlobs).values({
          journalId,
          seq: head.headSeq,
          kind: 'update',
          blobId,
          data: bytes,
          byteLength: bytes.byteLength,
          coversThrough: null,
          createdAt: at,
        });
        return { ok: true, seq: head.headSeq, duplicate: false };
      });
    },

    // Both reads in one turn of the queue: no write of this store lands between them.
    listJournalBlobs: (journalId, afterSeq, limit) =>
      serial(async () => {
        const [journal] = await db
          .select({ headSeq: journals.headSeq })
          .from(journals)
          .where(eq(journals.id, journalId));
        if (!journal) return { blobs: [], headSeq: 0, more: false };
        const rows = await db
          .select(blobColumns)
          .from(journalBlobs)
          .where(and(eq(journalBlobs.journalId, journalId), gt(journalBlobs.seq, afterSeq)))
          .orderBy(asc(journalBlobs.seq))
          .limit(limit + 1);
        return journalPage(rows, limit, journal.headSeq);
      }),

    compactJournal: (journalId, throughSeq, data, at) => {
      const bytes = ownBytes(data);
      return transaction(async (tx) => {
        const [journal] = await tx.select().from(journals).where(eq(journals.id, journalId));
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

    replaceJournalPassphrase: (journalId, wrapping, at) =>
      serial(async () => {
        const changed = await db
          .update(journals)
          .set({ ...wrapping, updatedAt: at })
          .where(eq(journals.id, journalId))
          .returning({ id: journals.id });
        return changed.length === 1;
      }),

    recordJournalUnlockFailure: (failure) =>
      serial(async () => {
        await db.insert(journalUnlockFailures).values(failure);
      }),

    listJournalUnlockFailures: (journalId) =>
      serial(() =>
        db
          .select()
          .from(journalUnlockFailures)
          .where(eq(journalUnlockFailures.journalId, journalId))
          .orderBy(asc(journalUnlockFailures.at), asc(journalUnlockFailures.id)),
      ),

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
