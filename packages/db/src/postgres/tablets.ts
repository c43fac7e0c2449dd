/**
 * Join codes, tablet sessions and home access on PostgreSQL. Single use and "one tablet per
 * participant" hold across instances: redeeming is one conditional UPDATE, and a claim locks
 * the group session's row FOR UPDATE so racing claims run one after the other.
 */
import { and, asc, eq, gt, inArray, isNull, ne, sql } from 'drizzle-orm';
import { firstOrNull } from '../records.ts';
import {
  accessCards,
  groupSessions,
  homeSessions,
  joinCodes,
  tabletClosures,
  tabletSessions,
} from '../schema/postgres.ts';
import type { HomeStore, TabletStore } from '../store-parts.ts';
import { LIVE_TABLET_STATES } from '../tablet-rows.ts';
import type { PostgresContext } from './connection.ts';

const direct = <T>(fn: () => Promise<T>): Promise<T> => fn();

function openCode(now: Date) {
  return and(isNull(joinCodes.redeemedAt), isNull(joinCodes.retiredAt), gt(joinCodes.expiresAt, now));
}

export function postgresTabletStore({ db, transaction }: PostgresContext): TabletStore {
  return {
    createJoinCode: (code) =>
      transaction(async (tx) => {
        await tx
          .select({ id: groupSessions.id })
          .from(groupSessions)
          .where(eq(groupSessions.id, code.sessionId))
          .for('update');
        await tx
          .update(joinCodes)
          .set({ retiredAt: code.createdAt })
          .where(
            and(
              eq(joinCodes.sessionId, code.sessionId),
              isNull(joinCodes.redeemedAt),
              isNull(joinCodes.retiredAt),
            ),
          );
        await tx.insert(joinCodes).values(code);
      }),

    findJoinCodeByHash: (codeHash) =>
      direct(async () =>
        firstOrNull(await db.select().from(joinCodes).where(eq(joinCodes.codeHash, codeHash))),
      ),

    redeemJoinCode: (codeId, deviceKey, tablet, now) =>
      transaction(async (tx) => {
        // Lock the group session so "End session" and a redeem cannot interleave.
        await tx
          .select({ id: groupSessions.id })
          .from(groupSessions)
          .where(eq(groupSessions.id, tablet.sessionId))
          .for('update');
        const closed = firstOrNull(
          await tx.select().from(tabletClosures).where(eq(tabletClosures.sessionId, tablet.sessionId)),
        );
        if (closed) return 'closed';
        const taken = await tx
          .update(joinCodes)
          .set({ redeemedAt: now, redeemedByDevice: deviceKey })
          .where(and(eq(joinCodes.id, codeId), openCode(now)))
          .returning({ id: joinCodes.id });
        if (taken.length !== 1) return 'closed';
        await tx.insert(tabletSessions).values(tablet);
        return 'redeemed';
      }),

    recordJoinCodeFailure: (clinicId, now, maxFailures) =>
      transaction(async (tx) => {
        await tx
          .update(joinCodes)
          .set({ failures: sql`${joinCodes.failures} + 1` })
          .where(and(eq(joinCodes.clinicId, clinicId), openCode(now)));
        return tx
          .update(joinCodes)
          .set({ retiredAt: now })
          .where(
            and(
              eq(joinCodes.clinicId, clinicId),
              openCode(now),
              sql`${joinCodes.failures} >= ${maxFailures}`,
            ),
          )
          .returning();
      }),

    getTabletSession: (id) =>
      direct(async () =>
        firstOrNull(await db.select().from(tabletSessions).where(eq(tabletSessions.id, id))),
      ),

    findTabletByDevice: (deviceId) =>
      direct(async () =>
        firstOrNull(await db.select().from(tabletSessions).where(eq(tabletSessions.deviceId, deviceId))),
      ),

    listTabletSessions: (sessionId) =>
      direct(() =>
        db
          .select()
          .from(tabletSessions)
          .where(and(eq(tabletSessions.sessionId, sessionId), ne(tabletSessions.state, 'ended')))
          .orderBy(asc(tabletSessions.createdAt), asc(tabletSessions.deviceId)),
      ),

    claimTabletParticipant: (id, participantId, now) =>
      transaction(async (tx) => {
        const tablet = firstOrNull(
          await tx.select().from(tabletSessions).where(eq(tabletSessions.id, id)).for('update'),
        );
        if (!tablet || tablet.state !== 'pending') return 'not_pending';
        await tx
          .select({ id: groupSessions.id })
          .from(groupSessions)
          .where(eq(groupSessions.id, tablet.sessionId))
          .for('update');
        const holder = await tx
          .select({ id: tabletSessions.id })
          .from(tabletSessions)
          .where(
            and(
              eq(tabletSessions.sessionId, tablet.sessionId),
              eq(tabletSessions.participantId, participantId),
              inArray(tabletSessions.state, [...LIVE_TABLET_STATES]),
            ),
          );
        if (holder.length > 0) return 'taken';
        await tx
          .update(tabletSessions)
          .set({ participantId, state: 'awaiting_admission', updatedAt: now })
          .where(eq(tabletSessions.id, id));
        return 'claimed';
      }),

    moveTablet: (id, from, to, now) =>
      direct(async () =>
        firstOrNull(
          await db
            .update(tabletSessions)
            .set({ state: to, updatedAt: now })
            .where(and(eq(tabletSessions.id, id), inArray(tabletSessions.state, [...from])))
            .returning(),
        ),
      ),

    endTablets: (sessionId, now) =>
      transaction(async (tx) => {
        await tx
          .select({ id: groupSessions.id })
          .from(groupSessions)
          .where(eq(groupSessions.id, sessionId))
          .for('update');
        await tx.insert(tabletClosures).values({ sessionId, endedAt: now }).onConflictDoNothing();
        await tx
          .update(joinCodes)
          .set({ retiredAt: now })
          .where(
            and(
              eq(joinCodes.sessionId, sessionId),
              isNull(joinCodes.redeemedAt),
              isNull(joinCodes.retiredAt),
            ),
          );
        return tx
          .update(tabletSessions)
          .set({ state: 'ended', updatedAt: now })
          .where(and(eq(tabletSessions.sessionId, sessionId), ne(tabletSessions.state, 'ended')))
          .returning();
      }),

    tabletsEndedAt: (sessionId) =>
      direct(async () => {
        const row = firstOrNull(
          await db.select().from(tabletClosures).where(eq(tabletClosures.sessionId, sessionId)),
        );
        return row?.endedAt ?? null;
      }),
  };
}

export function postgresHomeStore({ db, transaction }: PostgresContext): HomeStore {
  return {
    issueAccessCard: (card) =>
      transaction(async (tx) => {
        await tx.delete(accessCards).where(eq(accessCards.participantId, card.participantId));
        await tx.delete(homeSessions).where(eq(homeSessions.participantId, card.participantId));
        await tx.insert(accessCards).values(card);
      }),

    findAccessCardByHash: (codeHash) =>
      direct(async () =>
        firstOrNull(await db.select().from(accessCards).where(eq(accessCards.codeHash, codeHash))),
      ),

    createHomeSession: (session) =>
      direct(async () => {
        await db.insert(homeSessions).values(session);
      }),

    getHomeSession: (id) =>
      direct(async () => firstOrNull(await db.select().from(homeSessions).where(eq(homeSessions.id, id)))),

    touchHomeSession: (id, lastSeenAt) =>
      direct(async () => {
        await db.update(homeSessions).set({ lastSeenAt }).where(eq(homeSessions.id, id));
      }),

    deleteHomeSession: (id) =>
      direct(async () => {
        await db.delete(homeSessions).where(eq(homeSessions.id, id));
      }),
  };
}
