import { eq, lt, lte, or } from 'drizzle-orm';
import { firstOrNull } from '../records.ts';
import { authSessions } from '../schema/sqlite.ts';
import type { SessionStore } from '../store-parts.ts';
import type { SqliteContext } from './connection.ts';

export function sqliteSessionStore({ db, serial, transaction }: SqliteContext): SessionStore {
  return {
    createAuthSession: (session) =>
      serial(async () => {
        await db.insert(authSessions).values(session);
      }),

    getAuthSession: (id) =>
      serial(async () => firstOrNull(await db.select().from(authSessions).where(eq(authSessions.id, id)))),

    touchAuthSession: (id, lastSeenAt) =>
      serial(async () => {
        await db.update(authSessions).set({ lastSeenAt }).where(eq(authSessions.id, id));
      }),

    rotateAuthSession: (oldId, next) =>
      transaction(async (tx) => {
        await tx.delete(authSessions).where(eq(authSessions.id, oldId));
        await tx.insert(authSessions).values(next);
      }),

    deleteAuthSession: (id) =>
      serial(async () => {
        await db.delete(authSessions).where(eq(authSessions.id, id));
      }),

    deleteAuthSessionsForUser: (userId) =>
      serial(async () => {
        const gone = await db
          .delete(authSessions)
          .where(eq(authSessions.userId, userId))
          .returning({ id: authSessions.id });
        return gone.length;
      }),

    deleteExpiredAuthSessions: (idleBefore, now) =>
      serial(async () => {
        const gone = await db
          .delete(authSessions)
          .where(or(lte(authSessions.expiresAt, now), lt(authSessions.lastSeenAt, idleBefore)))
          .returning({ id: authSessions.id });
        return gone.length;
      }),
  };
}
