import { and, asc, eq } from 'drizzle-orm';
import { firstOrNull, openInviteCondition } from '../records.ts';
import { invites } from '../schema/postgres.ts';
import type { InviteStore } from '../store-parts.ts';
import type { PostgresContext } from './connection.ts';
import { insertUser } from './users.ts';

export function postgresInviteStore({ db, transaction }: PostgresContext): InviteStore {
  return {
    createInvite: async (invite) => {
      await db.insert(invites).values(invite);
    },

    findInviteByTokenHash: async (tokenHash) =>
      firstOrNull(await db.select().from(invites).where(eq(invites.tokenHash, tokenHash))),

    listOpenInvites: (clinicId, now) =>
      db
        .select()
        .from(invites)
        .where(and(eq(invites.clinicId, clinicId), openInviteCondition(invites, now)))
        .orderBy(asc(invites.createdAt), asc(invites.id)),

    revokeInvite: async (clinicId, inviteId, now) => {
      const revoked = await db
        .update(invites)
        .set({ revokedAt: now })
        .where(
          and(eq(invites.id, inviteId), eq(invites.clinicId, clinicId), openInviteCondition(invites, now)),
        )
        .returning({ id: invites.id });
      return revoked.length === 1;
    },

    // The conditional UPDATE locks the invite row; a concurrent accept waits, re-checks the
    // condition after we commit, finds the invite closed and updates nothing. If the email is
    // taken the whole transaction rolls back and the invite stays open.
    acceptInvite: (tokenHash, user, now) =>
      transaction(async (tx) => {
        const accepted = await tx
          .update(invites)
          .set({ acceptedAt: now })
          .where(and(eq(invites.tokenHash, tokenHash), openInviteCondition(invites, now)))
          .returning({ id: invites.id });
        if (accepted.length === 0) return false;
        await insertUser(tx, user);
        return true;
      }),
  };
}
