import { describe, expect, it } from 'vitest';
import { inviteRecord, minutes, newUser, race, seedClinic, type ContractContext } from './fixtures.ts';

export function inviteContract({ store }: ContractContext): void {
  describe('invites', () => {
    it('stores an invite and finds it by token hash', async () => {
      await seedClinic(store());
      const invite = inviteRecord('one', { roles: ['facilitator', 'medical_provider'] });
      await store().createInvite(invite);
      expect(await store().findInviteByTokenHash(invite.tokenHash)).toEqual(invite);
      expect(await store().findInviteByTokenHash('unknown')).toBeNull();
    });

    it('lists only open invites, oldest first', async () => {
      await seedClinic(store());
      const now = minutes(30);
      await store().createInvite(inviteRecord('later', { createdAt: minutes(2) }));
      await store().createInvite(inviteRecord('open', { createdAt: minutes(1) }));
      await store().createInvite(inviteRecord('expired', { expiresAt: minutes(10) }));
      await store().createInvite(inviteRecord('expires-now', { expiresAt: now }));
      await store().createInvite(inviteRecord('revoked', { revokedAt: minutes(5) }));
      await store().createInvite(inviteRecord('accepted', { acceptedAt: minutes(5) }));
      const open = await store().listOpenInvites('clinic-1', now);
      expect(open.map((invite) => invite.id)).toEqual(['open', 'later']);
      expect(await store().listOpenInvites('other-clinic', now)).toEqual([]);
    });

    it('revokes only an open invite of the same clinic', async () => {
      await seedClinic(store());
      await store().createInvite(inviteRecord('one'));
      await store().createInvite(inviteRecord('expired', { expiresAt: minutes(1) }));
      await store().createInvite(inviteRecord('accepted', { acceptedAt: minutes(1) }));
      expect(await store().revokeInvite('other-clinic', 'one', minutes(5))).toBe(false);
      expect(await store().revokeInvite('clinic-1', 'one', minutes(5))).toBe(true);
      expect((await store().findInviteByTokenHash('token-hash-one'))?.revokedAt).toEqual(minutes(5));
      expect(await store().revokeInvite('clinic-1', 'one', minutes(6))).toBe(false);
      expect(await store().revokeInvite('clinic-1', 'expired', minutes(5))).toBe(false);
      expect(await store().revokeInvite('clinic-1', 'accepted', minutes(5))).toBe(false);
      expect(await store().revokeInvite('clinic-1', 'unknown', minutes(5))).toBe(false);
    });

    it('accepting creates the user with roles and closes the invite for good', async () => {
      await seedClinic(store());
      await store().createInvite(inviteRecord('one'));
      const user = newUser('bo', { roles: ['co_therapist'] });
      expect(await store().acceptInvite('token-hash-one', user, minutes(5))).toBe(true);
      expect(await store().getUser('bo')).toEqual(user);
      expect((await store().findInviteByTokenHash('token-hash-one'))?.acceptedAt).toEqual(minutes(5));
      expect(await store().acceptInvite('token-hash-one', newUser('cy'), minutes(6))).toBe(false);
      expect(await store().getUser('cy')).toBeNull();
    });

    it('refuses expired, revoked and unknown invites', async () => {
      await seedClinic(store());
      await store().createInvite(inviteRecord('expired', { expiresAt: minutes(10) }));
      await store().createInvite(inviteRecord('revoked'));
      await store().revokeInvite('clinic-1', 'revoked', minutes(1));
      expect(await store().acceptInvite('token-hash-expired', newUser('a'), minutes(10))).toBe(false);
      expect(await store().acceptInvite('token-hash-revoked', newUser('b'), minutes(2))).toBe(false);
      expect(await store().acceptInvite('token-hash-unknown', newUser('c'), minutes(2))).toBe(false);
      expect(await store().listUsers('clinic-1')).toHaveLength(1);
    });

    it('lets exactly one of 5 concurrent accepts of the same invite through', async () => {
      await seedClinic(store());
      await store().createInvite(inviteRecord('one'));
      const { values, errors } = await race(
        Array.from(
          { length: 5 },
          (_, i) => () => store().acceptInvite('token-hash-one', newUser(`u${i}`), minutes(5)),
        ),
      );
      expect(errors).toEqual([]);
      expect(values.filter(Boolean)).toHaveLength(1);
      expect(await store().listUsers('clinic-1')).toHaveLength(2);
    });
  });
}
