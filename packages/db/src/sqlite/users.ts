import type { StaffRole } from '@cairn/domain';
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { isEmailTaken } from '../db-errors.ts';
import { attachRoles, canonicalRoles, type UserRow } from '../records.ts';
import { staffRoles, users } from '../schema/sqlite.ts';
import type { UserStore } from '../store-parts.ts';
import { EmailTakenError, type NewUser, type UserRecord } from '../store.ts';
import type { SqliteContext, SqliteQueryable } from './connection.ts';

/** Inserts the user and their roles; the caller's transaction makes the pair atomic. */
export async function insertUser(tx: SqliteQueryable, user: NewUser): Promise<void> {
  const { roles, ...row } = user;
  try {
    await tx.insert(users).values(row);
  } catch (error) {
    if (isEmailTaken(error)) throw new EmailTakenError();
    throw error;
  }
  await insertRoles(tx, user.id, roles);
}

async function insertRoles(tx: SqliteQueryable, userId: string, roles: StaffRole[]): Promise<void> {
  const distinct = canonicalRoles(roles);
  if (distinct.length > 0) await tx.insert(staffRoles).values(distinct.map((role) => ({ userId, role })));
}

/** Thrown inside a transaction to roll it back when it would leave a clinic without an admin. */
class LastAdminRollback extends Error {}

async function adminsLeftInClinicOf(tx: SqliteQueryable, userId: string): Promise<number> {
  const [owner] = await tx.select({ clinicId: users.clinicId }).from(users).where(eq(users.id, userId));
  if (!owner) return 1; // no such user: nothing changed that could remove an admin
  const [row] = await tx
    .select({ n: count() })
    .from(staffRoles)
    .innerJoin(users, eq(users.id, staffRoles.userId))
    .where(and(eq(users.clinicId, owner.clinicId), eq(staffRoles.role, 'admin')));
  return row?.n ?? 0;
}

async function withRoles(db: SqliteQueryable, rows: UserRow[]): Promise<UserRecord[]> {
  if (rows.length === 0) return [];
  const roleRows = await db
    .select()
    .from(staffRoles)
    .where(
      inArray(
        staffRoles.userId,
        rows.map((row) => row.id),
      ),
    );
  return attachRoles(rows, roleRows);
}

export function sqliteUserStore({ db, serial, transaction }: SqliteContext): UserStore {
  const oneUser = async (rows: UserRow[]) => (await withRoles(db, rows))[0] ?? null;
  return {
    findUserByEmail: (email) =>
      serial(async () => oneUser(await db.select().from(users).where(eq(users.email, email)))),

    getUser: (id) => serial(async () => oneUser(await db.select().from(users).where(eq(users.id, id)))),

    listUsers: (clinicId) =>
      serial(async () =>
        withRoles(
          db,
          await db
            .select()
            .from(users)
            .where(eq(users.clinicId, clinicId))
            .orderBy(asc(users.createdAt), asc(users.id)),
        ),
      ),

    countUsersWithRole: (clinicId, role) =>
      serial(async () => {
        const [row] = await db
          .select({ n: count() })
          .from(staffRoles)
          .innerJoin(users, eq(users.id, staffRoles.userId))
          .where(and(eq(users.clinicId, clinicId), eq(staffRoles.role, role)));
        return row?.n ?? 0;
      }),

    // Transactions are serialised (BEGIN IMMEDIATE behind one queue), so the count below
    // cannot miss a concurrent demotion.
    setUserRoles: async (userId, roles) => {
      try {
        return await transaction(async (tx) => {
          await tx.delete(staffRoles).where(eq(staffRoles.userId, userId));
          await insertRoles(tx, userId, roles);
          if ((await adminsLeftInClinicOf(tx, userId)) === 0) throw new LastAdminRollback();
          return 'changed' as const;
        });
      } catch (error) {
        if (error instanceof LastAdminRollback) return 'last_admin';
        throw error;
      }
    },

    updatePasswordHash: (userId, passwordHash) =>
      serial(async () => {
        await db.update(users).set({ passwordHash }).where(eq(users.id, userId));
      }),
  };
}
