/**
 * Rules both adapters share for journals, so "the next page" or "a stale compaction" cannot
 * come to mean different things on the two engines; the adapters only run the queries.
 */
import type {
  JournalBlobRecord,
  JournalBlobsPage,
  JournalCompactOutcome,
  JournalUnlockFailureRecord,
} from './journal-records.ts';

/** Rows read with `limit + 1` turned into a page: the extra row only says there is more. */
export function journalPage(rows: JournalBlobRecord[], limit: number, headSeq: number): JournalBlobsPage {
  return {
    blobs: rows.slice(0, limit).map(({ seq, kind, data }) => ({ seq, kind, data: new Uint8Array(data) })),
    headSeq,
    more: rows.length > limit,
  };
}

/**
 * Whether a compaction through `throughSeq` may go ahead, given the journal's head and how far
 * its current snapshot reaches (0 for none). A snapshot that already covers `throughSeq` means
 * another device compacted first: this one's state adds nothing it can safely replace.
 */
export function compactionRefusal(
  throughSeq: number,
  headSeq: number,
  snapshotThrough: number,
): Extract<JournalCompactOutcome, { ok: false }> | null {
  if (throughSeq > headSeq) return { ok: false, reason: 'ahead' };
  if (snapshotThrough >= throughSeq) return { ok: false, reason: 'stale' };
  return null;
}

/** Failed unlocks in the order they happened (DELETE … RETURNING promises no order). */
export function oldestFirst(failures: JournalUnlockFailureRecord[]): JournalUnlockFailureRecord[] {
  return [...failures].sort((a, b) => a.at.getTime() - b.at.getTime() || a.id.localeCompare(b.id));
}
