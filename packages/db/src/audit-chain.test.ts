import { describe, expect, it } from 'vitest';
import {
  GENESIS_HASH,
  auditEntryHash,
  canonicalJson,
  normaliseAuditEntry,
  verifyAuditPages,
  type StoredAuditRow,
} from './audit-chain.ts';
import type { AuditEntryInput } from './store.ts';

const entry = (n: number): AuditEntryInput => ({
  at: new Date(Date.UTC(2026, 0, 1, 0, n)),
  clinicId: 'c',
  actorUserId: 'u',
  action: 'x',
  targetId: null,
  details: { n },
});

function chain(count: number): StoredAuditRow[] {
  const rows: StoredAuditRow[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq += 1) {
    const e = entry(seq);
    const hash = auditEntryHash(e, prevHash);
    rows.push({ ...e, seq, prevHash, hash, details: canonicalJson(e.details) });
    prevHash = hash;
  }
  return rows;
}

const pagesOf = (rows: StoredAuditRow[]) => async (afterSeq: number, limit: number) =>
  rows.filter((row) => row.seq > afterSeq).slice(0, limit);

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"x":1,"y":2}]},"b":1}',
    );
  });
});

describe('auditEntryHash', () => {
  it('ignores key order and treats missing ids as null', () => {
    const a = { ...entry(1), details: { a: 1, b: ['x'] } };
    const b = { ...entry(1), details: { b: ['x'], a: 1 } };
    expect(auditEntryHash(a, GENESIS_HASH)).toBe(auditEntryHash(b, GENESIS_HASH));
    const loose = { ...entry(1), targetId: undefined } as unknown as AuditEntryInput;
    expect(auditEntryHash(normaliseAuditEntry(loose), GENESIS_HASH)).toBe(
      auditEntryHash(entry(1), GENESIS_HASH),
    );
  });

  it('changes with any field and with the previous hash', () => {
    const base = auditEntryHash(entry(1), GENESIS_HASH);
    expect(auditEntryHash({ ...entry(1), action: 'y' }, GENESIS_HASH)).not.toBe(base);
    expect(auditEntryHash(entry(1), 'f'.repeat(64))).not.toBe(base);
  });
});

describe('verifyAuditPages', () => {
  it('walks across page boundaries', async () => {
    expect(await verifyAuditPages(pagesOf(chain(7)), 3)).toEqual({ ok: true, checked: 7 });
    expect(await verifyAuditPages(pagesOf(chain(6)), 3)).toEqual({ ok: true, checked: 6 });
  });

  it('reports the first broken entry and why', async () => {
    const edited = chain(7);
    edited[4] = { ...edited[4]!, details: '{"n":42}' };
    expect(await verifyAuditPages(pagesOf(edited), 3)).toEqual({
      ok: false,
      checked: 4,
      brokenAtSeq: 5,
      reason: 'hash mismatch',
    });

    const gap = chain(7).filter((row) => row.seq !== 3);
    expect(await verifyAuditPages(pagesOf(gap), 3)).toMatchObject({
      brokenAtSeq: 4,
      reason: 'prev_hash does not link',
    });

    const garbage = chain(2);
    garbage[1] = { ...garbage[1]!, details: 'not json' };
    expect(await verifyAuditPages(pagesOf(garbage))).toMatchObject({
      brokenAtSeq: 2,
      reason: 'hash mismatch',
    });
  });
});
