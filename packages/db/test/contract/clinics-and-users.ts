import { DEFAULT_MIN_MINUTES_BEFORE_DISCHARGE, DEFAULT_SUPPORT_ESCALATE_AFTER_SECONDS } from '@cairn/domain';
import { describe, expect, it } from 'vitest';
import { EmailTakenError, SetupClosedError } from '../../src/store.ts';
import {
  addStaff,
  clinicRecord,
  inviteRecord,
  minutes,
  newUser,
  race,
  seedClinic,
  T0,
  type ContractContext,
} from './fixtures.ts';

export function clinicAndUserContract({ store }: ContractContext): void {
  describe('first-run setup', () => {
    it('has no clinic before setup, then the clinic and its admin', async () => {
      expect(await store().getFirstClinic()).toBeNull();
      const { clinic, admin } = await seedClinic(store());
      expect(await store().getFirstClinic()).toEqual(clinic);
      expect(await store().getClinic(clinic.id)).toEqual(clinic);
      expect(await store().getUser(admin.id)).toEqual(admin);
      expect(await store().findUserByEmail(admin.email)).toEqual(admin);
    });

    it('is closed once a clinic exists, and the refused attempt writes nothing', async () => {
      await seedClinic(store());
      const second = clinicRecord({ id: 'clinic-2' });
      await expect(
        store().createClinicWithFirstAdmin(
          second,
          newUser('admin-2', { clinicId: 'clinic-2', roles: ['admin'] }),
        ),
      ).rejects.toBeInstanceOf(SetupClosedError);
      expect(await store().getClinic('clinic-2')).toBeNull();
      expect(await store().getUser('admin-2')).toBeNull();
    });

    it('lets exactly one of 5 concurrent setups through', async () => {
      const attempts = Array.from(
        { length: 5 },
        (_, i) => () =>
          store().createClinicWithFirstAdmin(
            clinicRecord({ id: `clinic-${i}` }),
            newUser(`admin-${i}`, { clinicId: `clinic-${i}`, roles: ['admin'] }),
          ),
      );
      const { values, errors } = await race(attempts);
      expect(values).toHaveLength(1);
      expect(errors).toHaveLength(4);
      for (const error of errors) expect(error).toBeInstanceOf(SetupClosedError);
      const clinic = await store().getFirstClinic();
      expect(clinic).not.toBeNull();
      expect(await store().listUsers(clinic!.id)).toHaveLength(1);
    });

    it('returns null for an unknown clinic', async () => {
      expect(await store().getClinic('nope')).toBeNull();
    });

    it('updates clinic settings and returns the clinic', async () => {
      const { clinic } = await seedClinic(store());
      expect(await store().updateClinicSettings(clinic.id, { mfaRequired: true })).toEqual({
        ...clinic,
        mfaRequired: true,
      });
      expect(await store().updateClinicSettings(clinic.id, {})).toEqual({ ...clinic, mfaRequired: true });
      expect((await store().getClinic(clinic.id))?.mfaRequired).toBe(true);
      await expect(store().updateClinicSettings('nope', { mfaRequired: true })).rejects.toThrow();
    });

    it('gives a new clinic the default discharge minimum and changes it alone or with MFA', async () => {
      const { id, name, mfaRequired, createdAt } = clinicRecord();
      const withoutMinimum = { id, name, mfaRequired, createdAt };
      await store().createClinicWithFirstAdmin(withoutMinimum, newUser('admin', { roles: ['admin'] }));
      const clinic = await store().getClinic(withoutMinimum.id);
      expect(clinic?.minMinutesBeforeDischarge).toBe(DEFAULT_MIN_MINUTES_BEFORE_DISCHARGE);
      expect(
        await store().updateClinicSettings(withoutMinimum.id, { minMinutesBeforeDischarge: 30 }),
      ).toEqual({ ...clinic, minMinutesBeforeDischarge: 30 });
      expect(
        await store().updateClinicSettings(withoutMinimum.id, {
          mfaRequired: true,
          minMinutesBeforeDischarge: 0,
        }),
      ).toEqual({ ...clinic, mfaRequired: true, minMinutesBeforeDischarge: 0 });
      expect(await store().getClinic(withoutMinimum.id)).toEqual({
        ...clinic,
        mfaRequired: true,
        minMinutesBeforeDischarge: 0,
      });
    });

    it('gives a new clinic the default support escalation limit and changes it', async () => {
      const { id, name, mfaRequired, createdAt } = clinicRecord();
      await store().createClinicWithFirstAdmin(
        { id, name, mfaRequired, createdAt },
        newUser('admin', { roles: ['admin'] }),
      );
      const clinic = await store().getClinic(id);
      expect(clinic?.supportEscalateAfterSeconds).toBe(DEFAULT_SUPPORT_ESCALATE_AFTER_SECONDS);
      expect(await store().updateClinicSettings(id, { supportEscalateAfterSeconds: 5 })).toEqual({
        ...clinic,
        supportEscalateAfterSeconds: 5,
      });
      expect((await store().getClinic(id))?.supportEscalateAfterSeconds).toBe(5);
    });
  });

  describe('staff accounts', () => {
    it('returns null for unknown users and emails', async () => {
      await seedClinic(store());
      expect(await store().getUser('nope')).toBeNull();
      expect(await store().findUserByEmail('nobody@example.org')).toBeNull();
    });

    it("lists a clinic's users oldest first, with their roles", async () => {
      const { clinic, admin } = await seedClinic(store());
      const later = await addStaff(store(), 'later', ['medical_provider'], minutes(10));
      const earlier = await addStaff(store(), 'earlier', ['facilitator', 'co_therapist'], minutes(5));
      expect(earlier.roles).toEqual(['facilitator', 'co_therapist']);
      expect(await store().listUsers(clinic.id)).toEqual([admin, earlier, later]);
      expect(await store().listUsers('other-clinic')).toEqual([]);
    });

    it('replaces roles and counts users per role', async () => {
      const { clinic, admin } = await seedClinic(store());
      await addStaff(store(), 'ana', ['facilitator']);
      expect(await store().countUsersWithRole(clinic.id, 'admin')).toBe(1);
      expect(await store().countUsersWithRole(clinic.id, 'facilitator')).toBe(1);

      // Duplicates collapse and order is canonical (STAFF_ROLES order).
      await store().setUserRoles('ana', ['facilitator', 'admin', 'admin']);
      expect((await store().getUser('ana'))?.roles).toEqual(['admin', 'facilitator']);
      expect(await store().countUsersWithRole(clinic.id, 'admin')).toBe(2);

      expect(await store().setUserRoles(admin.id, [])).toBe('changed');
      expect((await store().getUser(admin.id))?.roles).toEqual([]);
      expect(await store().countUsersWithRole(clinic.id, 'admin')).toBe(1);
      expect(await store().countUsersWithRole('other-clinic', 'admin')).toBe(0);
    });

    it('never leaves a clinic without an admin, and changes nothing when refused', async () => {
      const { clinic, admin } = await seedClinic(store());
      expect(await store().setUserRoles(admin.id, ['facilitator'])).toBe('last_admin');
      expect((await store().getUser(admin.id))?.roles).toEqual(['admin']);
      expect(await store().setUserRoles(admin.id, ['admin', 'facilitator'])).toBe('changed');
      expect(await store().countUsersWithRole(clinic.id, 'admin')).toBe(1);
    });

    it('lets only one of two admins demoting each other at once succeed', async () => {
      const { clinic, admin } = await seedClinic(store());
      await addStaff(store(), 'ana', ['admin']);
      for (let round = 0; round < 5; round++) {
        const answers = await Promise.all([
          store().setUserRoles(admin.id, ['facilitator']),
          store().setUserRoles('ana', ['co_therapist']),
        ]);
        expect(answers.sort()).toEqual(['changed', 'last_admin']);
        expect(await store().countUsersWithRole(clinic.id, 'admin')).toBe(1);
        await store().setUserRoles(admin.id, ['admin']);
        await store().setUserRoles('ana', ['admin']);
      }
    });

    it('keeps roles consistent under concurrent replacements', async () => {
      await seedClinic(store());
      await addStaff(store(), 'ana', ['facilitator']);
      const sets = [['admin'], ['facilitator', 'co_therapist'], ['medical_provider'], []] as const;
      const { errors } = await race(sets.map((roles) => () => store().setUserRoles('ana', [...roles])));
      expect(errors).toEqual([]);
      const roles = (await store().getUser('ana'))?.roles;
      expect(sets.map((set) => JSON.stringify(set))).toContain(JSON.stringify(roles));
    });

    it('updates a password hash', async () => {
      const { admin } = await seedClinic(store());
      await store().updatePasswordHash(admin.id, 'new-hash');
      expect((await store().getUser(admin.id))?.passwordHash).toBe('new-hash');
    });

    it('refuses a second account with the same email (EmailTakenError) and keeps the invite open', async () => {
      const { admin } = await seedClinic(store());
      await store().createInvite(inviteRecord('dup', { email: admin.email }));
      await expect(
        store().acceptInvite('token-hash-dup', newUser('dup', { email: admin.email }), minutes(1)),
      ).rejects.toBeInstanceOf(EmailTakenError);
      expect(await store().getUser('dup')).toBeNull();
      expect((await store().findInviteByTokenHash('token-hash-dup'))?.acceptedAt).toBeNull();
      expect(await store().acceptInvite('token-hash-dup', newUser('dup'), minutes(1))).toBe(true);
    });

    it('keeps times exact to the millisecond', async () => {
      const createdAt = new Date(T0.getTime() + 123);
      await store().createClinicWithFirstAdmin(clinicRecord({ createdAt }), newUser('admin', { createdAt }));
      expect((await store().getFirstClinic())?.createdAt.getTime()).toBe(createdAt.getTime());
      expect((await store().getUser('admin'))?.createdAt.getTime()).toBe(createdAt.getTime());
    });
  });
}
