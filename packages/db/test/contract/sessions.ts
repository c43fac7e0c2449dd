import { describe, expect, it } from 'vitest';
import { addStaff, minutes, seedClinic, sessionRecord, type ContractContext } from './fixtures.ts';

export function sessionContract({ store }: ContractContext): void {
  describe('auth sessions', () => {
    it('stores, finds, touches and deletes a session', async () => {
      await seedClinic(store());
      const session = sessionRecord('s1', { stage: 'mfa' });
      await store().createAuthSession(session);
      expect(await store().getAuthSession('s1')).toEqual(session);
      expect(await store().getAuthSession('unknown')).toBeNull();
      await store().touchAuthSession('s1', minutes(7));
      expect(await store().getAuthSession('s1')).toEqual({ ...session, lastSeenAt: minutes(7) });
      await store().deleteAuthSession('s1');
      expect(await store().getAuthSession('s1')).toBeNull();
    });

    it('rotates: the old id is gone and the new one present', async () => {
      await seedClinic(store());
      await store().createAuthSession(sessionRecord('old', { stage: 'mfa' }));
      const next = sessionRecord('new', { stage: 'full', createdAt: minutes(1), lastSeenAt: minutes(1) });
      await store().rotateAuthSession('old', next);
      expect(await store().getAuthSession('old')).toBeNull();
      expect(await store().getAuthSession('new')).toEqual(next);
    });

    it('rotates atomically: if the new session cannot be stored, the old one survives', async () => {
      await seedClinic(store());
      await store().createAuthSession(sessionRecord('old'));
      await store().createAuthSession(sessionRecord('taken'));
      await expect(store().rotateAuthSession('old', sessionRecord('taken'))).rejects.toThrow();
      expect(await store().getAuthSession('old')).not.toBeNull();
    });

    it("deletes all of one user's sessions and says how many", async () => {
      await seedClinic(store());
      await addStaff(store(), 'ana', ['facilitator']);
      await store().createAuthSession(sessionRecord('a1'));
      await store().createAuthSession(sessionRecord('a2'));
      await store().createAuthSession(sessionRecord('b1', { userId: 'ana' }));
      expect(await store().deleteAuthSessionsForUser('admin')).toBe(2);
      expect(await store().deleteAuthSessionsForUser('admin')).toBe(0);
      expect(await store().getAuthSession('b1')).not.toBeNull();
    });

    it('deletes sessions past their absolute expiry or idle too long', async () => {
      await seedClinic(store());
      const now = minutes(120);
      const idleBefore = minutes(90);
      await store().createAuthSession(
        sessionRecord('fresh', { lastSeenAt: minutes(100), expiresAt: minutes(200) }),
      );
      await store().createAuthSession(
        sessionRecord('idle-edge', { lastSeenAt: idleBefore, expiresAt: minutes(200) }),
      );
      await store().createAuthSession(
        sessionRecord('idle', { lastSeenAt: minutes(89), expiresAt: minutes(200) }),
      );
      await store().createAuthSession(sessionRecord('expired', { lastSeenAt: minutes(119), expiresAt: now }));
      expect(await store().deleteExpiredAuthSessions(idleBefore, now)).toBe(2);
      expect(await store().getAuthSession('fresh')).not.toBeNull();
      expect(await store().getAuthSession('idle-edge')).not.toBeNull();
      expect(await store().getAuthSession('idle')).toBeNull();
      expect(await store().getAuthSession('expired')).toBeNull();
    });
  });
}
