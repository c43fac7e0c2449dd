import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { checkCompaction, chunked, ownBytes, reserveSeqs, storedDocState } from '../realtime.ts';
import { firstOrNull } from '../records.ts';
import { clientOwners, docClients, docSnapshots, docUpdates, documents } from '../schema/sqlite.ts';
import type { DocumentStore } from '../store-parts.ts';
import { NotFoundError } from '../store.ts';
import type { SqliteContext, SqliteTx } from './connection.ts';

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

/** Moves the document's counter on by `count`; see reserveSeqs. */
async function bumpDocSeq(tx: SqliteTx, docId: string, count: number): Promise<number> {
  const [row] = await tx
    .update(documents)
    .set({ lastSeq: sql`${documents.lastSeq} + ${count}` })
    .where(eq(documents.id, docId))
    .returning({ lastSeq: documents.lastSeq });
  if (!row) throw new NotFoundError('document', docId);
  return row.lastSeq;
}

export function sqliteDocumentStore({ db, serial, transaction }: SqliteContext): DocumentStore {
  return {
    createDocument: (document) =>
      serial(async () => {
        const { id, clinicId, kind, ownerUserId, streamId, createdAt } = document;
        await db.insert(documents).values({ id, clinicId, kind, ownerUserId, streamId, createdAt });
      }),

    getDocument: (id) =>
      serial(async () =>
        firstOrNull(await db.select(documentColumns).from(documents).where(eq(documents.id, id))),
      ),

    // One BEGIN IMMEDIATE … COMMIT for the whole batch; with WAL and synchronous=FULL the COMMIT
    // has reached the disk when it returns, and only then does the promise resolve.
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
    loadDocState: (docId) =>
      serial(async () => {
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
      }),

    // Compare-and-set on the snapshot row: the first snapshot is an insert that loses to any
    // existing row, later ones an update that matches only the expected upto_seq.
    compactDoc: (docId, expectedSnapshotSeq, uptoSeq, state) => {
      const snapshot = { uptoSeq, state: ownBytes(state), createdAt: new Date() };
      return transaction(async (tx) => {
        const [doc] = await tx
          .select({ lastSeq: documents.lastSeq })
          .from(documents)
          .where(eq(documents.id, docId));
        if (!doc) throw new NotFoundError('document', docId);
        checkCompaction(expectedSnapshotSeq, uptoSeq, doc.lastSeq);
        const won =
          expectedSnapshotSeq === 0
            ? await tx
                .insert(docSnapshots)
                .values({ docId, ...snapshot })
                .onConflictDoNothing()
                .returning({ docId: docSnapshots.docId })
            : await tx
                .update(docSnapshots)
                .set(snapshot)
                .where(and(eq(docSnapshots.docId, docId), eq(docSnapshots.uptoSeq, expectedSnapshotSeq)))
                .returning({ docId: docSnapshots.docId });
        return won.length === 1;
      });
    },

    readDocUpdates: (docId, afterSeq, limit) =>
      serial(() =>
        db
          .select(historyColumns)
          .from(docUpdates)
          .where(and(eq(docUpdates.docId, docId), gt(docUpdates.seq, afterSeq)))
          .orderBy(asc(docUpdates.seq))
          .limit(limit),
      ),

    claimDocClients: (docId, userId, clientIds) =>
      transaction(async (tx) => {
        const ids = [...new Set(clientIds)];
        if (ids.length === 0) return new Map<number, string>();
        const createdAt = new Date();
        // Globally first (BI-Y9): an id someone else writes under anywhere stays theirs.
        await tx
          .insert(clientOwners)
          .values(ids.map((clientId) => ({ clientId, userId, createdAt })))
          .onConflictDoNothing();
        const owners = await tx
          .select({ clientId: clientOwners.clientId, userId: clientOwners.userId })
          .from(clientOwners)
          .where(inArray(clientOwners.clientId, ids));
        const mine = owners.filter((owner) => owner.userId === userId).map((owner) => owner.clientId);
        if (mine.length > 0) {
          await tx
            .insert(docClients)
            .values(mine.map((clientId) => ({ docId, clientId, userId, createdAt })))
            .onConflictDoNothing();
        }
        const rows = await tx
          .select({ clientId: docClients.clientId, userId: docClients.userId })
          .from(docClients)
          .where(and(eq(docClients.docId, docId), inArray(docClients.clientId, ids)));
        // A document's own record wins where one exists (ids claimed before ownership was global).
        const result = new Map(owners.map((owner) => [owner.clientId, owner.userId]));
        for (const row of rows) result.set(row.clientId, row.userId);
        return result;
      }),
  };
}
