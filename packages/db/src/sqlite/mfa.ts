import { and, count, eq, isNull, lt, or } from 'drizzle-orm';
import { firstOrNull } from '../records.ts';
import { mfaTotp, recoveryCodes } from '../schema/sqlite.ts';
import type { MfaStore } from '../store-parts.ts';
import type { SqliteContext, SqliteQueryable } from './connection.ts';

async function replaceCodes(tx: SqliteQueryable, userId: string, codeHashes: string[]): Promise<void> {
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  const distinct = [...new Set(codeHashes)];
  if (distinct.length > 0)
    await tx.insert(recoveryCodes).values(distinct.map((codeHash) => ({ userId, codeHash })));
}

/** A step is new only if it is later than the last one accepted (none accepted: any step). */
const stepIsNew = (step: number) => or(isNull(mfaTotp.lastUsedStep), lt(mfaTotp.lastUsedStep, step));

export function sqliteMfaStore({ db, serial, transaction }: SqliteContext): MfaStore {
  return {
    getTotp: (userId) =>
      serial(async () => firstOrNull(await db.select().from(mfaTotp).where(eq(mfaTotp.userId, userId)))),

    // One upsert whose update is conditional: a confirmed secret is never overwritten.
    savePendingTotp: (userId, secret) =>
      serial(async () => {
        const saved = await db
          .insert(mfaTotp)
          .values({ userId, secret, confirmedAt: null, lastUsedStep: null })
          .onConflictDoUpdate({
            target: mfaTotp.userId,
            set: { secret, lastUsedStep: null },
            setWhere: isNull(mfaTotp.confirmedAt),
          })
          .returning({ userId: mfaTotp.userId });
        return saved.length === 1;
      }),

    confirmTotp: (userId, step, recoveryCodeHashes, now) =>
      transaction(async (tx) => {
        const confirmed = await tx
          .update(mfaTotp)
          .set({ confirmedAt: now, lastUsedStep: step })
          .where(and(eq(mfaTotp.userId, userId), isNull(mfaTotp.confirmedAt), stepIsNew(step)))
          .returning({ userId: mfaTotp.userId });
        if (confirmed.length === 0) return false;
        await replaceCodes(tx, userId, recoveryCodeHashes);
        return true;
      }),

    useTotpStep: (userId, step) =>
      serial(async () => {
        const used = await db
          .update(mfaTotp)
          .set({ lastUsedStep: step })
          .where(and(eq(mfaTotp.userId, userId), stepIsNew(step)))
          .returning({ userId: mfaTotp.userId });
        return used.length === 1;
      }),

    replaceRecoveryCodes: (userId, codeHashes) => transaction((tx) => replaceCodes(tx, userId, codeHashes)),

    useRecoveryCode: (userId, codeHash, now) =>
      serial(async () => {
        const used = await db
          .update(recoveryCodes)
          .set({ usedAt: now })
          .where(
            and(
              eq(recoveryCodes.userId, userId),
              eq(recoveryCodes.codeHash, codeHash),
              isNull(recoveryCodes.usedAt),
            ),
          )
          .returning({ userId: recoveryCodes.userId });
        return used.length === 1;
      }),

    countUnusedRecoveryCodes: (userId) =>
      serial(async () => {
        const [row] = await db
          .select({ n: count() })
          .from(recoveryCodes)
          .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
        return row?.n ?? 0;
      }),
  };
}
