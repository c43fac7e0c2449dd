import { asc, eq } from 'drizzle-orm';
import { clinics } from '../schema/sqlite.ts';
import { firstOrNull, settingsChanges } from '../records.ts';
import type { ClinicStore } from '../store-parts.ts';
import { SetupClosedError } from '../store.ts';
import type { SqliteContext } from './connection.ts';
import { insertUser } from './users.ts';

export function sqliteClinicStore({ db, serial, transaction }: SqliteContext): ClinicStore {
  return {
    getFirstClinic: () =>
      serial(async () =>
        firstOrNull(
          await db.select().from(clinics).orderBy(asc(clinics.createdAt), asc(clinics.id)).limit(1),
        ),
      ),

    getClinic: (id) =>
      serial(async () => firstOrNull(await db.select().from(clinics).where(eq(clinics.id, id)))),

    // The queue plus BEGIN IMMEDIATE make check-then-insert atomic, also against other processes.
    createClinicWithFirstAdmin: (clinic, admin) =>
      transaction(async (tx) => {
        const existing = await tx.select({ id: clinics.id }).from(clinics).limit(1);
        if (existing.length > 0) throw new SetupClosedError();
        await tx.insert(clinics).values(clinic);
        await insertUser(tx, admin);
      }),

    updateClinicSettings: (id, patch) =>
      serial(async () => {
        const changes = settingsChanges(patch);
        const [clinic] =
          changes === null
            ? await db.select().from(clinics).where(eq(clinics.id, id))
            : await db.update(clinics).set(changes).where(eq(clinics.id, id)).returning();
        if (!clinic) throw new Error(`No clinic with id ${id}.`);
        return clinic;
      }),
  };
}
