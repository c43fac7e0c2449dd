import { and, asc, desc, eq, gt, lt } from 'drizzle-orm';
import {
  GENESIS_HASH,
  auditEntryHash,
  canonicalJson,
  normaliseAuditEntry,
  parseAuditRow,
  verifyAuditPages,
} from '../audit-chain.ts';
import { auditLog } from '../schema/postgres.ts';
import type { AuditStore } from '../store-parts.ts';
import { ADVISORY_LOCKS, type PostgresContext } from './connection.ts';

export function postgresAuditStore({ db, transaction }: PostgresContext): AuditStore {
  return {
    // Every appender, in every instance, queues on one advisory lock held until commit, so the
    // tail we read is still the tail when we insert: the chain can never fork. The identity seq
    // is drawn inside the lock too, so seq order is chain order.
    appendAudit: (input) =>
      transaction(async (tx) => {
        const entry = normaliseAuditEntry(input);
        const [last] = await tx
          .select({ hash: auditLog.hash })
          .from(auditLog)
          .orderBy(desc(auditLog.seq))
          .limit(1);
        const prevHash = last?.hash ?? GENESIS_HASH;
        const hash = auditEntryHash(entry, prevHash);
        const [row] = await tx
          .insert(auditLog)
          .values({ ...entry, details: canonicalJson(entry.details), prevHash, hash })
          .returning({ seq: auditLog.seq });
        if (!row) throw new Error('audit insert returned no row');
        return { ...entry, seq: row.seq, prevHash, hash };
      }, ADVISORY_LOCKS.audit),

    listAudit: async (clinicId, { beforeSeq, limit }) => {
      const rows = await db
        .select()
        .from(auditLog)
        .where(
          and(
            eq(auditLog.clinicId, clinicId),
            beforeSeq === undefined ? undefined : lt(auditLog.seq, beforeSeq),
          ),
        )
        .orderBy(desc(auditLog.seq))
        .limit(limit);
      return rows.map(parseAuditRow);
    },

    verifyAuditChain: () =>
      verifyAuditPages((afterSeq, limit) =>
        db.select().from(auditLog).where(gt(auditLog.seq, afterSeq)).orderBy(asc(auditLog.seq)).limit(limit),
      ),
  };
}
