import { and, asc, count, eq, inArray, isNull, max } from 'drizzle-orm';
import {
  assembleRoster,
  cancellationToRow,
  groupFromRow,
  groupPatchToRow,
  groupToRow,
  participantFromRow,
  participantPatchToRow,
  participantToRow,
  schedulePatchToRow,
  SESSION_STARTED_EVENT,
  type SessionRowChange,
} from '../group-rows.ts';
import { chunked } from '../realtime.ts';
import { firstOrNull } from '../records.ts';
import {
  consents,
  enrolments,
  events,
  eventStreams,
  groupSessions,
  groupStaff,
  groups,
  participants,
} from '../schema/sqlite.ts';
import type { SessionChangeOutcome } from '../store.ts';
import type { GroupStore } from '../store-parts.ts';
import type { SqliteContext, SqliteQueryable } from './connection.ts';

async function countActive(q: SqliteQueryable, groupId: string): Promise<number> {
  const [row] = await q
    .select({ n: count() })
    .from(enrolments)
    .where(and(eq(enrolments.groupId, groupId), eq(enrolments.status, 'active')));
  return row?.n ?? 0;
}

/** Writes `change` only to a session that is neither cancelled nor started (store.ts). */
async function changeUnstarted(
  tx: SqliteQueryable,
  id: string,
  change: SessionRowChange,
): Promise<SessionChangeOutcome> {
  const [session] = await tx.select().from(groupSessions).where(eq(groupSessions.id, id));
  if (!session) return { ok: false, reason: 'no_session' };
  if (session.cancelledAt !== null) return { ok: false, reason: 'cancelled' };
  const [started] = await tx
    .select({ seq: events.seq })
    .from(events)
    .where(and(eq(events.streamId, session.streamId), eq(events.type, SESSION_STARTED_EVENT)))
    .limit(1);
  if (started) return { ok: false, reason: 'started' };
  if (Object.keys(change).length === 0) return { ok: true, session };
  const [row] = await tx.update(groupSessions).set(change).where(eq(groupSessions.id, id)).returning();
  return { ok: true, session: row ?? session };
}

export function sqliteGroupStore({ db, serial, transaction }: SqliteContext): GroupStore {
  return {
    createGroup: (group, staff) =>
      transaction(async (tx) => {
        await tx.insert(groups).values(groupToRow(group));
        if (staff.length > 0)
          await tx.insert(groupStaff).values(staff.map((s) => ({ ...s, groupId: group.id })));
      }),

    getGroup: (id) =>
      serial(async () => {
        const row = firstOrNull(await db.select().from(groups).where(eq(groups.id, id)));
        return row ? groupFromRow(row) : null;
      }),

    listGroups: (clinicId) =>
      serial(async () =>
        (
          await db
            .select()
            .from(groups)
            .where(eq(groups.clinicId, clinicId))
            .orderBy(asc(groups.createdAt), asc(groups.id))
        ).map(groupFromRow),
      ),

    listGroupIdsOfStaff: (userId) =>
      serial(async () => {
        const rows = await db
          .selectDistinct({ groupId: groupStaff.groupId })
          .from(groupStaff)
          .where(eq(groupStaff.userId, userId));
        return rows.map((r) => r.groupId);
      }),

    updateGroup: (id, patch, updatedAt) =>
      serial(async () => {
        const [row] = await db
          .update(groups)
          .set(groupPatchToRow(patch, updatedAt))
          .where(eq(groups.id, id))
          .returning();
        return row ? groupFromRow(row) : null;
      }),

    listGroupStaff: (groupId) =>
      serial(() =>
        db
          .select({ userId: groupStaff.userId, role: groupStaff.role })
          .from(groupStaff)
          .where(eq(groupStaff.groupId, groupId))
          .orderBy(asc(groupStaff.userId), asc(groupStaff.role)),
      ),

    setGroupStaff: (groupId, staff) =>
      transaction(async (tx) => {
        await tx.delete(groupStaff).where(eq(groupStaff.groupId, groupId));
        if (staff.length > 0) await tx.insert(groupStaff).values(staff.map((s) => ({ ...s, groupId })));
      }),

    // BEGIN IMMEDIATE holds the write lock from the count to COMMIT: no other enrolment (in this
    // process or another) can slip in between.
    enrolParticipant: (groupId, enrolment, maxActive) =>
      transaction(async (tx) => {
        const [group] = await tx.select({ id: groups.id }).from(groups).where(eq(groups.id, groupId));
        if (!group) return 'no_group';
        if ((await countActive(tx, groupId)) >= maxActive) return 'full';
        await tx.insert(participants).values(participantToRow(enrolment.participant));
        await tx.insert(enrolments).values({
          groupId,
          participantId: enrolment.participant.id,
          status: 'active',
          enrolledAt: enrolment.enrolledAt,
          withdrawnAt: null,
          withdrawalReason: null,
        });
        if (enrolment.consents.length > 0) await tx.insert(consents).values(enrolment.consents);
        return 'enrolled';
      }),

    withdrawEnrolment: (groupId, participantId, reason, at) =>
      serial(async () => {
        const changed = await db
          .update(enrolments)
          .set({ status: 'withdrawn', withdrawnAt: at, withdrawalReason: reason })
          .where(
            and(
              eq(enrolments.groupId, groupId),
              eq(enrolments.participantId, participantId),
              eq(enrolments.status, 'active'),
            ),
          )
          .returning({ id: enrolments.participantId });
        return changed.length === 1;
      }),

    listRoster: (groupId) =>
      serial(async () => {
        const rows = await db
          .select({ enrolment: enrolments, participant: participants })
          .from(enrolments)
          .innerJoin(participants, eq(participants.id, enrolments.participantId))
          .where(eq(enrolments.groupId, groupId))
          .orderBy(asc(enrolments.enrolledAt), asc(enrolments.participantId));
        const found = [];
        for (const ids of chunked(rows.map((r) => r.participant.id))) {
          found.push(
            ...(await db
              .select()
              .from(consents)
              .where(inArray(consents.participantId, ids))
              .orderBy(asc(consents.signedAt), asc(consents.id))),
          );
        }
        return assembleRoster(rows, found);
      }),

    updateParticipant: (participantId, patch) =>
      serial(async () => {
        const change = participantPatchToRow(patch);
        const [row] =
          Object.keys(change).length === 0
            ? await db.select().from(participants).where(eq(participants.id, participantId))
            : await db.update(participants).set(change).where(eq(participants.id, participantId)).returning();
        return row ? participantFromRow(row) : null;
      }),

    // BEGIN IMMEDIATE: no other writer between the check and the insert.
    giveConsent: (consent) =>
      transaction(async (tx) => {
        const [current] = await tx
          .select({ id: consents.id })
          .from(consents)
          .where(
            and(
              eq(consents.participantId, consent.participantId),
              eq(consents.type, consent.type),
              isNull(consents.revokedAt),
            ),
          )
          .limit(1);
        if (current) return 'already_given';
        await tx.insert(consents).values(consent);
        return 'given';
      }),

    revokeConsent: (participantId, type, at) =>
      serial(async () => {
        const changed = await db
          .update(consents)
          .set({ revokedAt: at })
          .where(
            and(
              eq(consents.participantId, participantId),
              eq(consents.type, type),
              isNull(consents.revokedAt),
            ),
          )
          .returning({ id: consents.id });
        return changed.length > 0;
      }),

    countActiveEnrolments: (groupId) => serial(() => countActive(db, groupId)),

    createGroupSession: ({ clinicId, ...session }) =>
      // BEGIN IMMEDIATE: numbering cannot race.
      transaction(async (tx) => {
        const [last] = await tx
          .select({ n: max(groupSessions.number) })
          .from(groupSessions)
          .where(and(eq(groupSessions.groupId, session.groupId), eq(groupSessions.kind, session.kind)));
        const record = {
          ...session,
          number: (last?.n ?? 0) + 1,
          cancelledAt: null,
          cancelReason: null,
          cancelledBy: null,
        };
        await tx
          .insert(eventStreams)
          .values({ id: session.streamId, clinicId, createdAt: session.createdAt });
        await tx.insert(groupSessions).values(record);
        return record;
      }),

    getGroupSession: (id) =>
      serial(async () => firstOrNull(await db.select().from(groupSessions).where(eq(groupSessions.id, id)))),

    findGroupSessionByStream: (streamId) =>
      serial(async () =>
        firstOrNull(await db.select().from(groupSessions).where(eq(groupSessions.streamId, streamId))),
      ),

    listGroupSessions: (groupId) =>
      serial(() =>
        db
          .select()
          .from(groupSessions)
          .where(eq(groupSessions.groupId, groupId))
          .orderBy(asc(groupSessions.scheduledStart), asc(groupSessions.id)),
      ),

    rescheduleGroupSession: (id, patch) =>
      transaction((tx) => changeUnstarted(tx, id, schedulePatchToRow(patch))),

    cancelGroupSession: (id, cancellation) =>
      transaction((tx) => changeUnstarted(tx, id, cancellationToRow(cancellation))),
  };
}
