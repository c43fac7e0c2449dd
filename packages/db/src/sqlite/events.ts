import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { assertExpectedSeq, chunked, keyedLookup, numberEvents, planEvents } from '../realtime.ts';
import { firstOrNull } from '../records.ts';
import { eventStreams, events, groupSessions } from '../schema/sqlite.ts';
import type { EventStore } from '../store-parts.ts';
import {
  NotFoundError,
  StaleStreamError,
  type AppendOptions,
  type EventRecord,
  type NewEvent,
} from '../store.ts';
import type { SqliteContext, SqliteTx } from './connection.ts';

/** Inside an append, after the stream's lock: refuse if the group session was cancelled. */
async function assertSessionOpen(
  tx: SqliteTx,
  streamId: string,
  seqBefore: number,
  options: AppendOptions | undefined,
): Promise<void> {
  if (options?.openSessionId === undefined) return;
  const [session] = await tx
    .select({ cancelledAt: groupSessions.cancelledAt })
    .from(groupSessions)
    .where(eq(groupSessions.id, options.openSessionId));
  if (!session || session.cancelledAt !== null) throw new StaleStreamError(streamId, seqBefore);
}

/** Stored events that may share an (actor, key) with the batch; planEvents keeps exact pairs. */
async function findKeyed(tx: SqliteTx, streamId: string, batch: NewEvent[]): Promise<EventRecord[]> {
  const lookup = keyedLookup(batch);
  if (!lookup) return [];
  const found: EventRecord[] = [];
  for (const keys of chunked(lookup.keys)) {
    found.push(
      ...(await tx
        .select()
        .from(events)
        .where(
          and(
            eq(events.streamId, streamId),
            inArray(events.idempotencyKey, keys),
            inArray(events.actorId, lookup.actors),
          ),
        )),
    );
  }
  return found;
}

export function sqliteEventStore({ db, serial, transaction }: SqliteContext): EventStore {
  return {
    createEventStream: ({ id, clinicId, createdAt }) =>
      serial(async () => {
        await db.insert(eventStreams).values({ id, clinicId, createdAt });
      }),

    getEventStream: (id) =>
      serial(async () =>
        firstOrNull(
          await db
            .select({
              id: eventStreams.id,
              clinicId: eventStreams.clinicId,
              createdAt: eventStreams.createdAt,
            })
            .from(eventStreams)
            .where(eq(eventStreams.id, id)),
        ),
      ),

    // BEGIN IMMEDIATE holds the write lock from the key lookup to COMMIT, so no other writer (in
    // this process or another) can store the same key in between: a duplicate is always seen.
    appendEvents: (streamId, batch, options) => {
      if (batch.length === 0) return Promise.resolve([]);
      return transaction(async (tx) => {
        const plan = planEvents(batch, await findKeyed(tx, streamId, batch));
        if (plan.fresh.length === 0) return plan.answers([]);
        const [stream] = await tx
          .update(eventStreams)
          .set({ lastSeq: sql`${eventStreams.lastSeq} + ${plan.fresh.length}` })
          .where(eq(eventStreams.id, streamId))
          .returning({ lastSeq: eventStreams.lastSeq });
        if (!stream) throw new NotFoundError('event_stream', streamId);
        assertExpectedSeq(streamId, stream.lastSeq - plan.fresh.length, options);
        await assertSessionOpen(tx, streamId, stream.lastSeq - plan.fresh.length, options);
        const written = numberEvents(streamId, plan.fresh, stream.lastSeq);
        for (const chunk of chunked(written)) await tx.insert(events).values(chunk);
        return plan.answers(written);
      });
    },

    readEvents: (streamId, sinceSeq, limit) =>
      serial(() =>
        db
          .select()
          .from(events)
          .where(and(eq(events.streamId, streamId), gt(events.seq, sinceSeq)))
          .orderBy(asc(events.seq))
          .limit(limit),
      ),

    lastEventSeq: (streamId) =>
      serial(async () => {
        const [stream] = await db
          .select({ lastSeq: eventStreams.lastSeq })
          .from(eventStreams)
          .where(eq(eventStreams.id, streamId));
        if (!stream) throw new NotFoundError('event_stream', streamId);
        return stream.lastSeq;
      }),
  };
}
