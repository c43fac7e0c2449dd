import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { isPgUniqueViolation } from '../db-errors.ts';
import { assertExpectedSeq, chunked, keyedLookup, numberEvents, planEvents } from '../realtime.ts';
import { firstOrNull } from '../records.ts';
import { eventStreams, events, groupSessions } from '../schema/postgres.ts';
import type { EventStore } from '../store-parts.ts';
import {
  NotFoundError,
  StaleStreamError,
  type AppendOptions,
  type AppendedEvent,
  type EventRecord,
  type NewEvent,
} from '../store.ts';
import type { PgTx, PostgresContext } from './connection.ts';

/** Inside an append, after the stream's lock: refuse if the group session was cancelled. */
async function assertSessionOpen(
  tx: PgTx,
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
async function findKeyed(tx: PgTx, streamId: string, batch: NewEvent[]): Promise<EventRecord[]> {
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

/**
 * One attempt at appending. The key lookup runs before the stream's row lock, so a racing twin
 * can commit the same key in between; our insert then fails on the unique index and the caller
 * retries with `lockFirst`, which takes the stream lock before the lookup. Every insert into a
 * stream happens under that lock, so the retry sees every key and cannot fail that way again.
 */
async function appendOnce(
  tx: PgTx,
  streamId: string,
  batch: NewEvent[],
  lockFirst: boolean,
  options: AppendOptions | undefined,
): Promise<AppendedEvent[]> {
  if (lockFirst) {
    await tx
      .select({ id: eventStreams.id })
      .from(eventStreams)
      .where(eq(eventStreams.id, streamId))
      .for('no key update');
  }
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
}

export function postgresEventStore({ db, transaction }: PostgresContext): EventStore {
  return {
    createEventStream: async ({ id, clinicId, createdAt }) => {
      await db.insert(eventStreams).values({ id, clinicId, createdAt });
    },

    getEventStream: async (id) =>
      firstOrNull(
        await db
          .select({ id: eventStreams.id, clinicId: eventStreams.clinicId, createdAt: eventStreams.createdAt })
          .from(eventStreams)
          .where(eq(eventStreams.id, id)),
      ),

    // The rolled-back first attempt consumed no seq (the counter bump rolled back with it), so
    // the stream stays gapless.
    appendEvents: async (streamId, batch, options) => {
      if (batch.length === 0) return [];
      try {
        return await transaction((tx) => appendOnce(tx, streamId, batch, false, options));
      } catch (error) {
        if (!isPgUniqueViolation(error, 'events_idempotency_unique')) throw error;
        return transaction((tx) => appendOnce(tx, streamId, batch, true, options));
      }
    },

    readEvents: (streamId, sinceSeq, limit) =>
      db
        .select()
        .from(events)
        .where(and(eq(events.streamId, streamId), gt(events.seq, sinceSeq)))
        .orderBy(asc(events.seq))
        .limit(limit),

    lastEventSeq: async (streamId) => {
      const [stream] = await db
        .select({ lastSeq: eventStreams.lastSeq })
        .from(eventStreams)
        .where(eq(eventStreams.id, streamId));
      if (!stream) throw new NotFoundError('event_stream', streamId);
      return stream.lastSeq;
    },
  };
}
