/**
 * Rules both adapters share for realtime persistence (document update logs, event streams):
 * how a batch turns into seqs, which events an idempotency key turns into answers instead of
 * writes, and what a cold load returns. Kept here so the two engines cannot drift apart; the
 * adapters only run the queries.
 */
import {
  StaleStreamError,
  type AppendOptions,
  type AppendedEvent,
  type DocUpdateRecord,
  type EventRecord,
  type NewEvent,
  type StoredDocState,
} from './store.ts';

/**
 * Rows per multi-row INSERT. Far below both engines' bound-parameter limits (SQLite 32766,
 * PostgreSQL 65535) even for the 8 columns of an event, and big enough that a group-committed
 * batch is almost always one statement.
 */
const INSERT_CHUNK = 500;

export function chunked<T>(rows: readonly T[], size: number = INSERT_CHUNK): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < rows.length; start += size) chunks.push(rows.slice(start, start + size));
  return chunks;
}

/**
 * A private copy of caller bytes, taken when the call is made: the write may wait in a queue
 * (SQLite's operation queue, PostgreSQL's pool) and a caller that reuses its buffer must not
 * change what gets saved. Also the Buffer that drizzle's SQLite blob column is typed with.
 */
export function ownBytes(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes);
}

/**
 * Gives every item of a batch the next seq of its document (or stream), in input order.
 * `reserve(id, count)` bumps that counter by `count` inside the caller's transaction and returns
 * its new value, so the block (value - count, value] is ours. Counters are bumped in id order:
 * on PostgreSQL each bump takes a row lock until commit, and one global order means two
 * batches touching the same documents queue instead of deadlocking.
 */
export async function reserveSeqs(
  ids: readonly string[],
  reserve: (id: string, count: number) => Promise<number>,
): Promise<number[]> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  const next = new Map<string, number>();
  for (const id of [...counts.keys()].sort()) {
    const count = counts.get(id)!;
    next.set(id, (await reserve(id, count)) - count + 1);
  }
  return ids.map((id) => {
    const seq = next.get(id)!;
    next.set(id, seq + 1);
    return seq;
  });
}

export function storedDocState(
  snapshot: Uint8Array | null,
  snapshotSeq: number,
  updates: DocUpdateRecord[],
): StoredDocState {
  const tailBytes = updates.reduce((sum, { update }) => sum + update.byteLength, 0);
  return { snapshot, snapshotSeq, updates, tailBytes };
}

/**
 * A snapshot must cover more than the one it replaces (otherwise two compactions with the same
 * expectation could both "win"), and no update that does not exist yet: loads skip everything
 * up to the snapshot's seq, so a snapshot ahead of the log would silently hide future updates.
 */
export function checkCompaction(expectedSnapshotSeq: number, uptoSeq: number, lastSeq: number): void {
  if (!(uptoSeq > expectedSnapshotSeq && uptoSeq <= lastSeq)) {
    throw new RangeError(
      `A snapshot must cover updates after seq ${expectedSnapshotSeq} up to at most ${lastSeq}; got ${uptoSeq}.`,
    );
  }
}

/** The distinct idempotency keys and actors of a batch, to look up what was stored before. */
export function keyedLookup(events: readonly NewEvent[]): { keys: string[]; actors: string[] } | null {
  const keyed = events.filter((event) => event.idempotencyKey != null);
  if (keyed.length === 0) return null;
  return {
    keys: [...new Set(keyed.map((event) => event.idempotencyKey!))],
    actors: [...new Set(keyed.map((event) => event.actorId))],
  };
}

export interface EventPlan {
  /** The events to write, in input order: each has no stored or earlier twin in the batch. */
  fresh: NewEvent[];
  /** The answers in input order, once `fresh` has been written as `written`. */
  answers(written: EventRecord[]): AppendedEvent[];
}

const scope = (actorId: string, key: string) => JSON.stringify([actorId, key]);
/** `undefined` from a careless JS caller means "no key", not a key. */
const scopeOf = (event: NewEvent) =>
  event.idempotencyKey == null ? null : scope(event.actorId, event.idempotencyKey);

/**
 * Splits a batch by idempotency: an event whose (actor, key) is already `stored`, or appeared
 * earlier in the same batch, is answered with that first record and `duplicate: true`. `stored`
 * may hold extra rows (the lookup matches keys and actors separately); only exact pairs count.
 */
export function planEvents(events: readonly NewEvent[], stored: readonly EventRecord[]): EventPlan {
  const first = new Map<string, EventRecord | number>();
  for (const record of stored) {
    if (record.idempotencyKey !== null) first.set(scope(record.actorId, record.idempotencyKey), record);
  }
  const fresh: NewEvent[] = [];
  // Per input: the index of its record among `fresh`, or the stored record it repeats.
  const slots = events.map((event): { of: EventRecord | number; duplicate: boolean } => {
    const key = scopeOf(event);
    const earlier = key === null ? undefined : first.get(key);
    if (earlier !== undefined) return { of: earlier, duplicate: true };
    if (key !== null) first.set(key, fresh.length);
    fresh.push(event);
    return { of: fresh.length - 1, duplicate: false };
  });
  return {
    fresh,
    answers: (written) =>
      slots.map(({ of, duplicate }) => ({ event: typeof of === 'number' ? written[of]! : of, duplicate })),
  };
}

/**
 * Inside an append's transaction, once the counter moved: refuse (rolling everything back) if
 * the stream was not where the caller last saw it.
 */
export function assertExpectedSeq(
  streamId: string,
  seqBefore: number,
  options: AppendOptions | undefined,
): void {
  if (options?.expectLastSeq !== undefined && seqBefore !== options.expectLastSeq) {
    throw new StaleStreamError(streamId, seqBefore);
  }
}

/**
 * The records of freshly written events, numbered after the stream counter moved to `lastSeq`.
 * Fields are picked one by one (nothing extra a caller put on the object reaches the row) and
 * the payload goes through JSON, so the record equals what a later read returns.
 */
export function numberEvents(streamId: string, fresh: readonly NewEvent[], lastSeq: number): EventRecord[] {
  const firstSeq = lastSeq - fresh.length + 1;
  return fresh.map((event, i) => ({
    streamId,
    seq: firstSeq + i,
    type: event.type,
    payload: JSON.parse(JSON.stringify(event.payload)) as Record<string, unknown>,
    actorId: event.actorId,
    deviceId: event.deviceId ?? null,
    idempotencyKey: event.idempotencyKey ?? null,
    at: event.at,
  }));
}
