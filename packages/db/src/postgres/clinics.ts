import { asc, eq } from 'drizzle-orm';
import { firstOrNull, settingsChanges } from '../records.ts';
import { clinics } from '../schema/postgres.ts';
import type { ClinicStore } from '../store-parts.ts';
import { SetupClosedError } from '../store.ts';
import { ADVISORY_LOCKS, type PostgresContext } from './connection.ts';
import { insertUser } from './users.ts';

export function postgresClinicStore({ db, transaction }: PostgresContext): ClinicStore {
  return {
    getFirstClinic: async () =>
      firstOrNull(await db.select().from(clinics).orderBy(asc(clinics.createdAt), asc(clinics.id)).limit(1)),

    getClinic: async (id) => firstOrNull(await db.select().from(clinics).where(eq(clinics.id, id))),

    // There is no row to lock before the first clinic exists, so concurrent setups (from any
    // instance) queue on an advisory lock; READ COMMITTED then shows each the previous winner.
    createClinicWithFirstAdmin: (clinic, admin) =>
      transaction(async (tx) => {
        const existing = await tx.select({ id: clinics.id }).from(clinics).limit(1);
        if (existing.length > 0) throw new SetupClosedError();
        await tx.insert(clinics).values(clinic);
        await insertUser(tx, admin);
      }, ADVISORY_LOCKS.setup),

    updateClinicSettings: async (id, patch) => {
      const changes = settingsChanges(patch);
      const [clinic] =
        changes === null
          ? await db.select().from(clinics).where(eq(clinics.id, id))
          : await db.update(clinics).set(changes).where(eq(clinics.id, id)).returning();
      if (!clinic) throw new Error(`No clinic with id ${id}.`);
      return clinic;
    },
  };
}
