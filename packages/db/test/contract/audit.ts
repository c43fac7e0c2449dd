import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, auditEntryHash } from '../../src/audit-chain.ts';
import type { AuditEntryInput, Store } from '../../src/store.ts';
import { minutes, type ContractContext } from './fixtures.ts';

function entry(n: number, overrides: Partial<AuditEntryInput> = {}): AuditEntryInput {
  return {
    at: minutes(n),
    clinicId: 'clinic-1',
    actorUserId: 'admin',
    action: 'auth.login.succeeded',
    targetId: `user-${n}`,
    details: { n, ip: '192.0.2.1', roles: ['admin'], mfa: true, note: null },
    ...overrides,
  };
}

async function appendMany(store: Store, count: number): Promise<void> {
  for (let n = 1; n <= count; n += 1) await store.appendAudit(entry(n));
}

export function auditContract({ store, raw }: ContractContext): void {
  describe('audit log', () => {
    it('chains each entry to the one before, starting from the genesis hash', async () => {
      const first = await store().appendAudit(entry(1));
      const second = await store().appendAudit(
        entry(2, { clinicId: null, actorUserId: null, targetId: null }),
      );
      expect(first.prevHash).toBe(GENESIS_HASH);
      expect(first.hash).toBe(auditEntryHash(entry(1), GENESIS_HASH));
      expect(second.prevHash).toBe(first.hash);
      expect(second.seq).toBeGreaterThan(first.seq);
      expect(await store().verifyAuditChain()).toEqual({ ok: true, checked: 2 });
    });

    it('reads back exactly what it returned, whatever the key order of details', async () => {
      const appended = await store().appendAudit(entry(1, { details: { z: 1, a: 'x', m: ['b', 'a'] } }));
      expect(appended.details).toEqual({ a: 'x', m: ['b', 'a'], z: 1 });
      expect(await store().listAudit('clinic-1', { limit: 10 })).toEqual([appended]);
    });

    it("pages one clinic's entries newest first", async () => {
      await appendMany(store(), 5);
      await store().appendAudit(entry(6, { clinicId: 'other-clinic' }));
      await store().appendAudit(entry(7, { clinicId: null }));
      const newest = await store().listAudit('clinic-1', { limit: 2 });
      expect(newest.map((e) => e.targetId)).toEqual(['user-5', 'user-4']);
      const older = await store().listAudit('clinic-1', { beforeSeq: newest[1]!.seq, limit: 10 });
      expect(older.map((e) => e.targetId)).toEqual(['user-3', 'user-2', 'user-1']);
      expect(await store().listAudit('clinic-1', { beforeSeq: older[2]!.seq, limit: 10 })).toEqual([]);
    });

    it('verifies an empty log', async () => {
      expect(await store().verifyAuditChain()).toEqual({ ok: true, checked: 0 });
    });

    it('keeps one unbroken chain under 50 appends, most of them concurrent', async () => {
      await appendMany(store(), 10);
      const appended = await Promise.all(
        Array.from({ length: 40 }, (_, i) => store().appendAudit(entry(11 + i))),
      );
      expect(new Set(appended.map((e) => e.seq)).size).toBe(40);
      expect(await store().verifyAuditChain()).toEqual({ ok: true, checked: 50 });
    });

    it('refuses UPDATE and DELETE on audit_log', async () => {
      await appendMany(store(), 2);
      await expect(raw.exec(store(), `UPDATE audit_log SET action = 'x' WHERE seq = 1`)).rejects.toThrow(
        /audit_log is append-only/,
      );
      await expect(raw.exec(store(), 'DELETE FROM audit_log WHERE seq = 1')).rejects.toThrow(
        /audit_log is append-only/,
      );
      expect(await store().verifyAuditChain()).toEqual({ ok: true, checked: 2 });
    });

    it('detects an edited entry even after the triggers are dropped', async () => {
      await appendMany(store(), 5);
      const [, , third] = [...(await store().listAudit('clinic-1', { limit: 10 }))].reverse();
      for (const statement of raw.dropAppendOnlyTriggers) await raw.exec(store(), statement);
      await raw.exec(store(), `UPDATE audit_log SET details = '{"n":999}' WHERE seq = ${third!.seq}`);
      expect(await store().verifyAuditChain()).toEqual({
        ok: false,
        checked: 2,
        brokenAtSeq: third!.seq,
        reason: 'hash mismatch',
      });
    });

    it('detects a deleted entry in the middle of the chain', async () => {
      await appendMany(store(), 5);
      const bySeq = [...(await store().listAudit('clinic-1', { limit: 10 }))].reverse();
      for (const statement of raw.dropAppendOnlyTriggers) await raw.exec(store(), statement);
      await raw.exec(store(), `DELETE FROM audit_log WHERE seq = ${bySeq[2]!.seq}`);
      expect(await store().verifyAuditChain()).toEqual({
        ok: false,
        checked: 2,
        brokenAtSeq: bySeq[3]!.seq,
        reason: 'prev_hash does not link',
      });
    });
  });
}
