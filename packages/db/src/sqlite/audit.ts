import { and, asc, desc, eq, gt, lt } from 'drizzle-orm';
import {
  GENESIS_HASH,
  auditEntryHash,
  canonicalJson,
  normaliseAuditEntry,
  parseAuditRow,
  verifyAuditPages,
} from '../audit-chain.ts';
import { auditLog } from '../schema/sqlite.ts';
import type { AuditStore } from '../store-parts.ts';
import type { SqliteContext } from './connection.ts';

export function sqliteAuditStore({ db, serial, transaction }: SqliteContext): AuditStore {
  return {
    // Reading the tail and inserting share one BEGIN IMMEDIATE, so even another process writing
    // the same file cannot slip an entry in between and fork the chain.
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
      }),

    listAudit: (clinicId, { beforeSeq, limit }) =>
      serial(async () => {
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
      }),

    // Each page is its own queued read, so verifying a long log never stalls other operations.
    verifyAuditChain: () =>
      verifyAuditPages((afterSeq, limit) =>
        serial(() =>
          db
            .select()
            .from(auditLog)
            .where(gt(auditLog.seq, afterSeq))
            .orderBy(asc(auditLog.seq))
            .limit(limit),
        ),
      ),
  };
}
