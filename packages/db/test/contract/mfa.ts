import { describe, expect, it } from 'vitest';
import { addStaff, minutes, race, seedClinic, type ContractContext } from './fixtures.ts';

const STEP = 59_000_000;

export function mfaContract({ store }: ContractContext): void {
  describe('TOTP', () => {
    it('saves and replaces a pending secret', async () => {
      await seedClinic(store());
      expect(await store().getTotp('admin')).toBeNull();
      expect(await store().savePendingTotp('admin', 'SECRET1')).toBe(true);
      expect(await store().getTotp('admin')).toEqual({
        userId: 'admin',
        secret: 'SECRET1',
        confirmedAt: null,
        lastUsedStep: null,
      });
      expect(await store().savePendingTotp('admin', 'SECRET2')).toBe(true);
      expect((await store().getTotp('admin'))?.secret).toBe('SECRET2');
    });

    it('confirms once, stores the recovery codes, then refuses a new pending secret', async () => {
      await seedClinic(store());
      expect(await store().confirmTotp('admin', STEP, ['c1'], minutes(1))).toBe(false); // nothing pending
      await store().savePendingTotp('admin', 'SECRET1');
      expect(await store().confirmTotp('admin', STEP, ['c1', 'c2', 'c3'], minutes(1))).toBe(true);
      expect(await store().getTotp('admin')).toEqual({
        userId: 'admin',
        secret: 'SECRET1',
        confirmedAt: minutes(1),
        lastUsedStep: STEP,
      });
      expect(await store().countUnusedRecoveryCodes('admin')).toBe(3);
      expect(await store().confirmTotp('admin', STEP + 1, ['x'], minutes(2))).toBe(false);
      expect(await store().savePendingTotp('admin', 'ATTACKER')).toBe(false);
      expect((await store().getTotp('admin'))?.secret).toBe('SECRET1');
      expect(await store().countUnusedRecoveryCodes('admin')).toBe(3);
    });

    it('accepts each time step once, and never an earlier one', async () => {
      await seedClinic(store());
      await store().savePendingTotp('admin', 'SECRET1');
      await store().confirmTotp('admin', STEP, [], minutes(1));
      expect(await store().useTotpStep('admin', STEP)).toBe(false); // used to confirm
      expect(await store().useTotpStep('admin', STEP + 2)).toBe(true);
      expect(await store().useTotpStep('admin', STEP + 2)).toBe(false);
      expect(await store().useTotpStep('admin', STEP + 1)).toBe(false);
      expect((await store().getTotp('admin'))?.lastUsedStep).toBe(STEP + 2);
      expect(await store().useTotpStep('nobody', STEP + 9)).toBe(false);
    });

    it('lets exactly one of 5 concurrent uses of the same step through', async () => {
      await seedClinic(store());
      await store().savePendingTotp('admin', 'SECRET1');
      await store().confirmTotp('admin', STEP, [], minutes(1));
      const { values, errors } = await race(
        Array.from({ length: 5 }, () => () => store().useTotpStep('admin', STEP + 1)),
      );
      expect(errors).toEqual([]);
      expect(values.filter(Boolean)).toHaveLength(1);
    });
  });

  describe('recovery codes', () => {
    it('uses each code once', async () => {
      await seedClinic(store());
      await store().replaceRecoveryCodes('admin', ['c1', 'c2']);
      expect(await store().useRecoveryCode('admin', 'c1', minutes(1))).toBe(true);
      expect(await store().useRecoveryCode('admin', 'c1', minutes(2))).toBe(false);
      expect(await store().useRecoveryCode('admin', 'unknown', minutes(2))).toBe(false);
      expect(await store().countUnusedRecoveryCodes('admin')).toBe(1);
    });

    it('lets exactly one of 5 concurrent uses of the same code through', async () => {
      await seedClinic(store());
      await store().replaceRecoveryCodes('admin', ['c1']);
      const { values } = await race(
        Array.from({ length: 5 }, () => () => store().useRecoveryCode('admin', 'c1', minutes(1))),
      );
      expect(values.filter(Boolean)).toHaveLength(1);
    });

    it('replaces the whole set, and only for that user', async () => {
      await seedClinic(store());
      await addStaff(store(), 'ana', ['facilitator']);
      await store().replaceRecoveryCodes('admin', ['old1', 'old2']);
      await store().replaceRecoveryCodes('ana', ['ana1']);
      await store().useRecoveryCode('admin', 'old1', minutes(1));
      await store().replaceRecoveryCodes('admin', ['new1', 'new2', 'new3', 'new3']);
      expect(await store().countUnusedRecoveryCodes('admin')).toBe(3);
      expect(await store().useRecoveryCode('admin', 'old2', minutes(2))).toBe(false);
      expect(await store().useRecoveryCode('admin', 'new1', minutes(2))).toBe(true);
      expect(await store().countUnusedRecoveryCodes('ana')).toBe(1);
      await store().replaceRecoveryCodes('ana', []);
      expect(await store().countUnusedRecoveryCodes('ana')).toBe(0);
    });
  });
}
