/**
 * Rules and row shapes both adapters share, so "open invite" or "a user's roles" cannot come
 * to mean different things on the two engines.
 */
import { STAFF_ROLES, type StaffRole } from '@cairn/domain';
import { and, gt, isNull, type Column, type SQL } from 'drizzle-orm';
import type { ClinicSettingsPatch, UserRecord } from './store.ts';

/**
 * An invite can still be used or revoked only while nobody accepted or revoked it and it has
 * not expired at `now` (an invite expiring exactly at `now` is already closed).
 */
export function openInviteCondition(
  columns: { acceptedAt: Column; revokedAt: Column; expiresAt: Column },
  now: Date,
): SQL {
  return and(isNull(columns.acceptedAt), isNull(columns.revokedAt), gt(columns.expiresAt, now)) as SQL;
}

/** Distinct roles in STAFF_ROLES order, so equal sets compare equal whatever the input order. */
export function canonicalRoles(roles: readonly StaffRole[]): StaffRole[] {
  return STAFF_ROLES.filter((role) => roles.includes(role));
}

export type UserRow = Omit<UserRecord, 'roles'>;
export type RoleRow = { userId: string; role: StaffRole };

export function attachRoles(rows: UserRow[], roleRows: RoleRow[]): UserRecord[] {
  return rows.map((row) => ({
    ...row,
    roles: canonicalRoles(roleRows.filter((r) => r.userId === row.id).map((r) => r.role)),
  }));
}

export function firstOrNull<T>(rows: T[]): T | null {
  return rows[0] ?? null;
}

/** The settings a patch really changes (fields left out are dropped), or null for none. */
export function settingsChanges(patch: ClinicSettingsPatch): ClinicSettingsPatch | null {
  const changes: ClinicSettingsPatch = {};
  if (patch.mfaRequired !== undefined) changes.mfaRequired = patch.mfaRequired;
  if (patch.minMinutesBeforeDischarge !== undefined)
    changes.minMinutesBeforeDischarge = patch.minMinutesBeforeDischarge;
  if (patch.supportEscalateAfterSeconds !== undefined)
    changes.supportEscalateAfterSeconds = patch.supportEscalateAfterSeconds;
  return Object.keys(changes).length === 0 ? null : changes;
}
