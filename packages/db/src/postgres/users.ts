import type { StaffRole } from '@cairn/domain';
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { isEmailTaken } from '../db-errors.ts';
import { attachRoles, canonicalRoles, type UserRow } from '../records.ts';
import { clinics, staffRoles, users } from '../schema/postgres.ts';
import type { UserStore } from '../store-parts.ts';
import { EmailTakenError, type NewUser, type UserRecord } from '../store.ts';
import type { PgQueryable, PgTx, PostgresContext } from './connection.ts';

/** Inserts the user and their roles; the caller's transaction makes the pair atomic. */
export async function insertUser(tx: PgTx, user: NewUser): Promise<void> {
  const { roles, ...row } = user;
  try {
    await tx.insert(users).values(row);
  } catch (error) {
    if (isEmailTaken(error)) throw new EmailTakenError();
    throw error;
  }
  await insertRoles(tx, user.id, roles);
}

/**
 * Row lock on the user, taken before replacing one of their child sets (roles, recovery
 * codes): two concurrent delete-then-insert transactions would otherwise both insert and the
 * second would fail on the primary key instead of simply winning.
 */
export async function lockUser(tx: PgTx, userId: string): Promise<void> {
  await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
}

/** Thrown inside a transaction to roll it back when it would leave a clinic without an admin. */
class LastAdminRollback extends Error {}

/**
 * Role changes in one clinic take turns (a row lock on the clinic): under READ COMMITTED two
 * admins demoting each other would each still count the other as an admin.
 */
async function lockClinicOf(tx: PgTx, userId: string): Promise<void> {
  const [owner] = await tx.select({ clinicId: users.clinicId }).from(users).where(eq(users.id, userId));
  if (owner)
    await tx.select({ id: clinics.id }).from(clinics).where(eq(clinics.id, owner.clinicId)).for('update');
}

async function adminsLeftInClinicOf(tx: PgTx, userId: string): Promise<number> {
  const [owner] = await tx.select({ clinicId: users.clinicId }).from(users).where(eq(users.id, userId));
  if (!owner) return 1; // no such user: nothing changed that could remove an admin
  const [row] = await tx
    .select({ n: count() })
    .from(staffRoles)
    .innerJoin(users, eq(users.id, staffRoles.userId))
    .where(and(eq(users.clinicId, owner.clinicId), eq(staffRoles.role, 'admin')));
  return row?.n ?? 0;
}

async function insertRoles(tx: PgTx, userId: string, roles: StaffRole[]): Promise<void> {
  const distinct = canonicalRoles(roles);
  if (distinct.length > 0) await tx.insert(staffRoles).values(distinct.map((role) => ({ userId, role })));
}

async function withRoles(db: PgQueryable, rows: UserRow[]): Promise<UserRecord[]> {
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

export function postgresUserStore({ db, transaction }: PostgresContext): UserStore {
  const oneUser = async (rows: UserRow[]) => (await withRoles(db, rows))[0] ?? null;
  return {
    findUserByEmail: async (email) => oneUser(await db.select().from(users).where(eq(users.email, email))),

    getUser: async (id) => oneUser(await db.select().from(users).where(eq(users.id, id))),

    listUsers: async (clinicId) =>
      withRoles(
        db,
        await db
          .select()
          .from(users)
          .where(eq(users.clinicId, clinicId))
          .orderBy(asc(users.createdAt), asc(users.id)),
      ),

    countUsersWithRole: async (clinicId, role) => {
      const [row] = await db
        .select({ n: count() })
        .from(staffRoles)
        .innerJoin(users, eq(users.id, staffRoles.userId))
        .where(and(eq(users.clinicId, clinicId), eq(staffRoles.role, role)));
      return row?.n ?? 0;
    },

    setUserRoles: async (userId, roles) => {
      try {
        return await transaction(async (tx) => {
          await lockClinicOf(tx, userId);
          await lockUser(tx, userId);
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

    updatePasswordHash: async (userId, passwordHash) => {
      await db.update(users).set({ passwordHash }).where(eq(users.id, userId));
    },
  };
}
