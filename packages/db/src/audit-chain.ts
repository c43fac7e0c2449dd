/**
 * The audit log's hash chain, shared by both adapters so a log written by one engine verifies
 * the same way as the other. Each entry's hash covers its fields and the previous entry's
 * hash; editing or deleting a row (after dropping the append-only triggers) breaks the chain
 * at that row. Truncating the newest entries cannot be seen from inside the log itself.
 */
import { createHash } from 'node:crypto';
import type { AuditChainVerdict, AuditEntryInput, AuditRecord } from './store.ts';

/** prev_hash of the very first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every depth, so an entry hashes the same whatever order its
 * details were built in and whichever engine stored them.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`);
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The entry exactly as it will read back from either database: nulls instead of missing ids,
 * details passed through JSON (dropping `undefined`, turning NaN into null). Hashing anything
 * else would make honest rows fail verification.
 */
export function normaliseAuditEntry(entry: AuditEntryInput): AuditEntryInput {
  return {
    at: new Date(entry.at.getTime()),
    clinicId: entry.clinicId ?? null,
    actorUserId: entry.actorUserId ?? null,
    action: entry.action,
    targetId: entry.targetId ?? null,
    details: JSON.parse(canonicalJson(entry.details)) as AuditEntryInput['details'],
  };
}

/** sha256 hex over the canonical JSON of the entry's fields and the previous hash. */
export function auditEntryHash(entry: AuditEntryInput, prevHash: string): string {
  const payload = canonicalJson({
    prevHash,
    at: entry.at.toISOString(),
    clinicId: entry.clinicId,
    actorUserId: entry.actorUserId,
    action: entry.action,
    targetId: entry.targetId,
    details: entry.details,
  });
  return createHash('sha256').update(payload).digest('hex');
}

/** An audit row as stored: `details` still JSON text, so garbage there is a verdict, not a crash. */
export type StoredAuditRow = Omit<AuditRecord, 'details'> & { details: string };

export function parseAuditRow(row: StoredAuditRow): AuditRecord {
  return { ...row, details: JSON.parse(row.details) as AuditRecord['details'] };
}

/**
 * Walks the whole log in seq order, one page at a time so a long log never sits in memory,
 * and reports the first entry that does not link to its predecessor or does not hash right.
 */
export async function verifyAuditPages(
  readPageAfter: (afterSeq: number, limit: number) => Promise<StoredAuditRow[]>,
  pageSize = 500,
): Promise<AuditChainVerdict> {
  let expectedPrev = GENESIS_HASH;
  let afterSeq = 0;
  let checked = 0;
  for (;;) {
    const page = await readPageAfter(afterSeq, pageSize);
    for (const row of page) {
      if (row.prevHash !== expectedPrev) {
        return { ok: false, checked, brokenAtSeq: row.seq, reason: 'prev_hash does not link' };
      }
      if (!hashMatches(row)) {
        return { ok: false, checked, brokenAtSeq: row.seq, reason: 'hash mismatch' };
      }
      expectedPrev = row.hash;
      afterSeq = row.seq;
      checked += 1;
    }
    if (page.length < pageSize) return { ok: true, checked };
  }
}

function hashMatches(row: StoredAuditRow): boolean {
  let record: AuditRecord;
  try {
    record = parseAuditRow(row);
  } catch {
    return false; // unreadable details cannot be what was hashed
  }
  return auditEntryHash(record, row.prevHash) === row.hash;
}
