/**
 * Shapes the JSON API returns (docs/api.md). Shared so the pages and the server agree.
 */
import type { StaffRole } from './roles.ts';

/**
 * Where a signed-in staff member stands:
 * - `mfa`: password accepted, the authenticator code is still owed;
 * - `enrol`: the clinic requires MFA and this person has not set it up yet;
 * - `full`: signed in.
 * Only `full` sessions reach clinical data.
 */
export type SessionStage = 'mfa' | 'enrol' | 'full';

export interface MeView {
  id: string;
  email: string;
  displayName: string;
  roles: StaffRole[];
  stage: SessionStage;
  mfaEnrolled: boolean;
  recoveryCodesLeft: number;
  clinic: { id: string; name: string; mfaRequired: boolean };
}

export interface StaffMemberView {
  id: string;
  email: string;
  displayName: string;
  roles: StaffRole[];
  mfaEnrolled: boolean;
  createdAt: string;
}

export interface InviteView {
  id: string;
  email: string;
  roles: StaffRole[];
  createdAt: string;
  expiresAt: string;
}

export interface ApiError {
  /** Stable machine-readable code, e.g. `invalid_credentials`. */
  error: string;
  /** A sentence a person understands: what happened and what to do next. */
  message: string;
  /** Per-field messages for form validation errors. */
  fields?: Record<string, string>;
}
