/**
 * The meaning of a staff role lives here and nowhere else. Every permission check in the
 * server and every "show this button" decision in the UI asks these functions.
 *
 * A person may hold several roles at once (a facilitator who is also the clinic admin).
 */
export const STAFF_ROLES = ['admin', 'facilitator', 'co_therapist', 'medical_provider'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const STAFF_ROLE_LABELS: Record<StaffRole, string> = {
  admin: 'Clinic admin',
  facilitator: 'Facilitator',
  co_therapist: 'Co-therapist',
  medical_provider: 'Medical provider',
};

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (STAFF_ROLES as readonly string[]).includes(value);
}

/** Invites, role changes, disabling accounts. */
export function canManageStaff(roles: readonly StaffRole[]): boolean {
  return roles.includes('admin');
}

/** Clinic-wide settings such as whether staff must use MFA. */
export function canEditClinicSettings(roles: readonly StaffRole[]): boolean {
  return roles.includes('admin');
}

/** The audit log is read by admins only; nobody can change it. */
export function canReadAuditLog(roles: readonly StaffRole[]): boolean {
  return roles.includes('admin');
}

/** Removing the last admin would leave a clinic nobody can manage. */
export function wouldRemoveLastAdmin(
  adminCountNow: number,
  targetIsAdminNow: boolean,
  targetKeepsAdmin: boolean,
): boolean {
  return targetIsAdminNow && !targetKeepsAdmin && adminCountNow <= 1;
}
