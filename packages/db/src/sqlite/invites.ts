import { and, asc, eq } from 'drizzle-orm';
import { firstOrNull, openInviteCondition } from '../records.ts';
import { invites } from '../schema/sqlite.ts';
import type { InviteStore } from '../store-parts.ts';
import type { SqliteContext } from './connection.ts';
import { insertUser } from './users.ts';

export function sqliteInviteStore({ db, serial, transaction }: SqliteContext): InviteStore {
  return {
    createInvite: (invite) =>
      serial(async () => {
        await db.insert(invites).values(invite);
      }),

    findInviteByTokenHash: (tokenHash) =>
      serial(async () =>
        firstOrNull(await db.select().from(invites).where(eq(invites.tokenHash, tokenHash))),
      ),

    listOpenInvites: (clinicId, now) =>
      serial(() =>
        db
          .select()
          .from(invites)
          .where(and(eq(invites.clinicId, clinicId), openInviteCondition(invites, now)))
          .orderBy(asc(invites.createdAt), asc(invites.id)),
      ),

    revokeInvite: (clinicId, inviteId, now) =>
      serial(async () => {
        const revoked = await db
          .update(invites)
          .set({ revokedAt: now })
          .where(
            and(eq(invites.id, inviteId), eq(invites.clinicId, clinicId), openInviteCondition(invites, now)),
          )
          .returning({ id: invites.id });
        return revoked.length === 1;
      }),

    // Closing the invite and creating the user share one transaction: if the email is taken the
    // invite stays open, and a second accept finds it closed.
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
