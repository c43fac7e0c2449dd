import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { checkCompaction, chunked, ownBytes, reserveSeqs, storedDocState } from '../realtime.ts';
import { firstOrNull } from '../records.ts';
import { clientOwners, docClients, docSnapshots, docUpdates, documents } from '../schema/postgres.ts';
import type { DocumentStore } from '../store-parts.ts';
import { NotFoundError } from '../store.ts';
import type { PgTx, PostgresContext } from './connection.ts';

const documentColumns = {
  id: documents.id,
  clinicId: documents.clinicId,
  kind: documents.kind,
  ownerUserId: documents.ownerUserId,
  streamId: documents.streamId,
  createdAt: documents.createdAt,
};

/** An update with its author, for history; cold loads (loadDocState) read only seq and bytes. */
const historyColumns = {
  seq: docUpdates.seq,
  update: docUpdates.update,
  actorId: docUpdates.actorId,
  deviceId: docUpdates.deviceId,
  at: docUpdates.createdAt,
};

/**
 * Moves the document's counter on by `count`; see reserveSeqs. The UPDATE's row lock, held to
 * commit, is what makes concurrent appenders of one document (in any instance) take turns.
 */
async function bumpDocSeq(tx: PgTx, docId: string, count: number): Promise<number> {
  const [row] = await tx
    .update(documents)
    .set({ lastSeq: sql`${documents.lastSeq} + ${count}` })
    .where(eq(documents.id, docId))
    .returning({ lastSeq: documents.lastSeq });
  if (!row) throw new NotFoundError('document', docId);
  return row.lastSeq;
}

export function postgresDocumentStore({ db, transaction }: PostgresContext): DocumentStore {
  return {
    createDocument: async ({ id, clinicId, kind, ownerUserId, streamId, createdAt }) => {
      await db.insert(documents).values({ id, clinicId, kind, ownerUserId, streamId, createdAt });
    },

    getDocument: async (id) =>
      firstOrNull(await db.select(documentColumns).from(documents).where(eq(documents.id, id))),

    // One transaction for the whole batch; the promise resolves after COMMIT, which with
    // PostgreSQL's default synchronous_commit=on means the WAL record is flushed to disk.
    appendDocUpdates: (batch) => {
      if (batch.length === 0) return Promise.resolve([]);
      // Fields picked one by one; `undefined` from a careless JS caller means "no device".
      const items = batch.map(({ docId, update, actorId, deviceId }) => ({
        docId,
        update: ownBytes(update),
        actorId,
        deviceId: deviceId ?? null,
      }));
      return transaction(async (tx) => {
        const seqs = await reserveSeqs(
          items.map((item) => item.docId),
          (docId, count) => bumpDocSeq(tx, docId, count),
        );
        const createdAt = new Date();
        const rows = items.map((item, i) => ({ ...item, seq: seqs[i]!, createdAt }));
        for (const chunk of chunked(rows)) await tx.insert(docUpdates).values(chunk);
        return seqs;
      });
    },

    // The snapshot, then everything after it. No transaction needed: update rows are never
    // removed, so a compaction landing between the two reads only makes the tail longer.
    loadDocState: async (docId) => {
      const [doc] = await db
        .select({ uptoSeq: docSnapshots.uptoSeq, state: docSnapshots.state })
        .from(documents)
        .leftJoin(docSnapshots, eq(docSnapshots.docId, documents.id))
        .where(eq(documents.id, docId));
      if (!doc) throw new NotFoundError('document', docId);
      const snapshotSeq = doc.uptoSeq ?? 0;
      const updates = await db
        .select({ seq: docUpdates.seq, update: docUpdates.update })
        .from(docUpdates)
        .where(and(eq(docUpdates.docId, docId), gt(docUpdates.seq, snapshotSeq)))
        .orderBy(asc(docUpdates.seq));
      return storedDocState(doc.state, snapshotSeq, updates);
    },

    // Compare-and-set in one statement, so no transaction: the first snapshot is an insert that
    // loses to any existing row (a racing insert waits, then does nothing); later ones an update
    // that a racer, once it gets the row lock, re-checks against the new upto_seq and skips.
    // last_seq only grows, so checking against a value read just before is safe.
    compactDoc: async (docId, expectedSnapshotSeq, uptoSeq, state) => {
      const snapshot = { uptoSeq, state: ownBytes(state), createdAt: new Date() };
      const [doc] = await db
        .select({ lastSeq: documents.lastSeq })
        .from(documents)
        .where(eq(documents.id, docId));
      if (!doc) throw new NotFoundError('document', docId);
      checkCompaction(expectedSnapshotSeq, uptoSeq, doc.lastSeq);
      const won =
        expectedSnapshotSeq === 0
          ? await db
              .insert(docSnapshots)
              .values({ docId, ...snapshot })
              .onConflictDoNothing()
              .returning({ docId: docSnapshots.docId })
          : await db
              .update(docSnapshots)
              .set(snapshot)
              .where(and(eq(docSnapshots.docId, docId), eq(docSnapshots.uptoSeq, expectedSnapshotSeq)))
              .returning({ docId: docSnapshots.docId });
      return won.length === 1;
    },

    readDocUpdates: (docId, afterSeq, limit) =>
      db
        .select(historyColumns)
        .from(docUpdates)
        .where(and(eq(docUpdates.docId, docId), gt(docUpdates.seq, afterSeq)))
        .orderBy(asc(docUpdates.seq))
        .limit(limit),

    // ON CONFLICT DO NOTHING makes each id's first claim win, even across instances.
    claimDocClients: async (docId, userId, clientIds) => {
      const ids = [...new Set(clientIds)];
      if (ids.length === 0) return new Map<number, string>();
      const createdAt = new Date();
      // Globally first (BI-Y9): an id someone else writes under anywhere stays theirs.
      await db
        .insert(clientOwners)
        .values(ids.map((clientId) => ({ clientId, userId, createdAt })))
        .onConflictDoNothing();
      const owners = await db
        .select({ clientId: clientOwners.clientId, userId: clientOwners.userId })
        .from(clientOwners)
        .where(inArray(clientOwners.clientId, ids));
      const mine = owners.filter((owner) => owner.userId === userId).map((owner) => owner.clientId);
      if (mine.length > 0) {
        await db
          .insert(docClients)
          .values(mine.map((clientId) => ({ docId, clientId, userId, createdAt })))
          .onConflictDoNothing();
      }
      const rows = await db
        .select({ clientId: docClients.clientId, userId: docClients.userId })
        .from(docClients)
        .where(and(eq(docClients.docId, docId), inArray(docClients.clientId, ids)));
      // A document's own record wins where one exists (ids claimed before ownership was global).
      const result = new Map(owners.map((owner) => [owner.clientId, owner.userId]));
      for (const row of rows) result.set(row.clientId, row.userId);
      return result;
    },
  };
}
