import { eq, lt, lte, or } from 'drizzle-orm';
import { firstOrNull } from '../records.ts';
import { authSessions } from '../schema/postgres.ts';
import type { SessionStore } from '../store-parts.ts';
import type { PostgresContext } from './connection.ts';

export function postgresSessionStore({ db, transaction }: PostgresContext): SessionStore {
  return {
    createAuthSession: async (session) => {
      await db.insert(authSessions).values(session);
    },

    getAuthSession: async (id) =>
      firstOrNull(await db.select().from(authSessions).where(eq(authSessions.id, id))),

    touchAuthSession: async (id, lastSeenAt) => {
      await db.update(authSessions).set({ lastSeenAt }).where(eq(authSessions.id, id));
    },

    rotateAuthSession: (oldId, next) =>
      transaction(async (tx) => {
        await tx.delete(authSessions).where(eq(authSessions.id, oldId));
        await tx.insert(authSessions).values(next);
      }),

    deleteAuthSession: async (id) => {
      await db.delete(authSessions).where(eq(authSessions.id, id));
    },

    deleteAuthSessionsForUser: async (userId) => {
      const gone = await db
        .delete(authSessions)
        .where(eq(authSessions.userId, userId))
        .returning({ id: authSessions.id });
      return gone.length;
    },

    deleteExpiredAuthSessions: async (idleBefore, now) => {
      const gone = await db
        .delete(authSessions)
        .where(or(lte(authSessions.expiresAt, now), lt(authSessions.lastSeenAt, idleBefore)))
        .returning({ id: authSessions.id });
      return gone.length;
    },
  };
}
