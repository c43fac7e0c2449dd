import { describe, expect, it } from 'vitest';
import { canManageStaff, isStaffRole, wouldRemoveLastAdmin, STAFF_ROLES } from './roles.ts';

describe('roles', () => {
  it.each([
    [['admin'], true],
    [['facilitator'], false],
    [['co_therapist', 'medical_provider'], false],
    [['facilitator', 'admin'], true],
    [[], false],
  ] as const)('canManageStaff(%j) is %s', (roles, expected) => {
    expect(canManageStaff(roles)).toBe(expected);
  });

  it('recognises exactly the four staff roles', () => {
    expect(STAFF_ROLES.every(isStaffRole)).toBe(true);
    for (const bad of ['participant', 'ADMIN', '__proto__', '', 1, null]) {
      expect(isStaffRole(bad)).toBe(false);
    }
  });

  it.each([
    [1, true, false, true],
    [2, true, false, false],
    [1, true, true, false],
    [1, false, false, false],
  ])('wouldRemoveLastAdmin(%i, %s, %s) is %s', (count, isAdmin, keeps, expected) => {
    expect(wouldRemoveLastAdmin(count, isAdmin, keeps)).toBe(expected);
  });
});
