import { and, count, eq, isNull, lt, or } from 'drizzle-orm';
import { firstOrNull } from '../records.ts';
import { mfaTotp, recoveryCodes } from '../schema/postgres.ts';
import type { MfaStore } from '../store-parts.ts';
import type { PgTx, PostgresContext } from './connection.ts';
import { lockUser } from './users.ts';

async function replaceCodes(tx: PgTx, userId: string, codeHashes: string[]): Promise<void> {
  await lockUser(tx, userId);
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  const distinct = [...new Set(codeHashes)];
  if (distinct.length > 0)
    await tx.insert(recoveryCodes).values(distinct.map((codeHash) => ({ userId, codeHash })));
}

/** A step is new only if it is later than the last one accepted (none accepted: any step). */
const stepIsNew = (step: number) => or(isNull(mfaTotp.lastUsedStep), lt(mfaTotp.lastUsedStep, step));

// Compare-and-set updates below are single statements: PostgreSQL locks the row and re-checks
// the WHERE clause after any concurrent writer commits, so exactly one of them wins.
export function postgresMfaStore({ db, transaction }: PostgresContext): MfaStore {
  return {
    getTotp: async (userId) => firstOrNull(await db.select().from(mfaTotp).where(eq(mfaTotp.userId, userId))),

    // One upsert whose update is conditional: a confirmed secret is never overwritten.
    savePendingTotp: async (userId, secret) => {
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
    },

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

    useTotpStep: async (userId, step) => {
      const used = await db
        .update(mfaTotp)
        .set({ lastUsedStep: step })
        .where(and(eq(mfaTotp.userId, userId), stepIsNew(step)))
        .returning({ userId: mfaTotp.userId });
      return used.length === 1;
    },

    replaceRecoveryCodes: (userId, codeHashes) => transaction((tx) => replaceCodes(tx, userId, codeHashes)),

    useRecoveryCode: async (userId, codeHash, now) => {
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
    },

    countUnusedRecoveryCodes: async (userId) => {
      const [row] = await db
        .select({ n: count() })
        .from(recoveryCodes)
        .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
      return row?.n ?? 0;
    },
  };
}
