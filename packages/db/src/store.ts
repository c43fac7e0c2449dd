/**
 * The Store is the only door to persistent data. Two adapters (SQLite embedded, PostgreSQL)
 * implement it and one contract suite (`test/store-contract.ts`) proves they behave the same.
 *
 * Rules every method follows:
 * - ids are opaque random strings made by the caller (core), never sequential;
 * - times are `Date` in, `Date` out, stored as UTC;
 * - anything that must be atomic (single-use invites, TOTP replay, recovery codes, first-run
 *   setup, session rotation, the audit chain) is atomic here, not in the caller.
 */
import type { StaffRole } from '@cairn/domain';

export type Engine = 'sqlite' | 'postgres';

export interface ClinicRecord {
  id: string;
  name: string;
  mfaRequired: boolean;
  createdAt: Date;
}

export interface UserRecord {
  id: string;
  clinicId: string;
  /** Normalised (trimmed, NFC, lower case); unique across the whole database. */
  email: string;
  displayName: string;
  passwordHash: string;
  roles: StaffRole[];
  createdAt: Date;
}

export interface NewUser {
  id: string;
  clinicId: string;
  email: string;
  displayName: string;
  passwordHash: string;
  roles: StaffRole[];
  createdAt: Date;
}

export type AuthSessionStage = 'mfa' | 'enrol' | 'full';

export interface AuthSessionRecord {
  /** SHA-256 (hex) of the token; the token itself is never stored. */
  id: string;
  userId: string;
  stage: AuthSessionStage;
  createdAt: Date;
  lastSeenAt: Date;
  /** Absolute end of life: createdAt + absolute lifetime. Idle expiry uses lastSeenAt. */
  expiresAt: Date;
}

export interface TotpRecord {
  userId: string;
  /** Base32 TOTP secret (encrypted at rest by core before it reaches the Store). */
  secret: string;
  confirmedAt: Date | null;
  /** The last 30-second time step accepted; a code for this step or earlier is a replay. */
  lastUsedStep: number | null;
}

export interface InviteRecord {
  id: string;
  clinicId: string;
  /** SHA-256 (hex) of the invite token. */
  tokenHash: string;
  email: string;
  roles: StaffRole[];
  invitedBy: string;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
}

export interface AuditEntryInput {
  at: Date;
  clinicId: string | null;
  actorUserId: string | null;
  /** e.g. `auth.login.succeeded`, `staff.roles.changed`. */
  action: string;
  /** What it was done to (a user id, an invite id), never PHI. */
  targetId: string | null;
  /** Small non-PHI facts (reason codes, role lists, ip). */
  details: Record<string, string | number | boolean | null | string[]>;
}

export interface AuditRecord extends AuditEntryInput {
  seq: number;
  prevHash: string;
  hash: string;
}

export type AuditChainVerdict =
  { ok: true; checked: number } | { ok: false; checked: number; brokenAtSeq: number; reason: string };

export class SetupClosedError extends Error {
  constructor() {
    super('Setup is closed: a clinic already exists.');
    this.name = 'SetupClosedError';
  }
}

export class EmailTakenError extends Error {
  constructor() {
    super('An account with this email already exists.');
    this.name = 'EmailTakenError';
  }
}

export interface Store {
  readonly engine: Engine;
  /** Throws if the database cannot answer a trivial query. Used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;

  // Clinic and first-run setup
  /** The clinic of a single-clinic install (the first one created), or null before setup. */
  getFirstClinic(): Promise<ClinicRecord | null>;
  getClinic(id: string): Promise<ClinicRecord | null>;
  /** Atomic: throws SetupClosedError if any clinic exists, even under concurrent calls. */
  createClinicWithFirstAdmin(clinic: ClinicRecord, admin: NewUser): Promise<void>;
  updateClinicSettings(id: string, patch: { mfaRequired?: boolean }): Promise<ClinicRecord>;

  // Staff accounts
  findUserByEmail(email: string): Promise<UserRecord | null>;
  getUser(id: string): Promise<UserRecord | null>;
  listUsers(clinicId: string): Promise<UserRecord[]>;
  countUsersWithRole(clinicId: string, role: StaffRole): Promise<number>;
  /**
   * Replaces the user's roles. Atomic with the clinic's "at least one admin" rule: when the
   * change would leave the user's clinic without an admin it changes nothing and answers
   * `last_admin` — also when two admins demote each other at the same moment.
   */
  setUserRoles(userId: string, roles: StaffRole[]): Promise<'changed' | 'last_admin'>;
  updatePasswordHash(userId: string, passwordHash: string): Promise<void>;

  // Invites
  createInvite(invite: InviteRecord): Promise<void>;
  findInviteByTokenHash(tokenHash: string): Promise<InviteRecord | null>;
  listOpenInvites(clinicId: string, now: Date): Promise<InviteRecord[]>;
  /** Returns false if the invite does not belong to the clinic or is already closed. */
  revokeInvite(clinicId: string, inviteId: string, now: Date): Promise<boolean>;
  /**
   * Atomic single use: marks the invite accepted and creates the user in one transaction,
   * only if it is still open (not accepted, not revoked, not expired at `now`).
   * Returns false when it was not open. Throws EmailTakenError if the email is in use.
   */
  acceptInvite(tokenHash: string, user: NewUser, now: Date): Promise<boolean>;

  // Sessions
  createAuthSession(session: AuthSessionRecord): Promise<void>;
  getAuthSession(id: string): Promise<AuthSessionRecord | null>;
  touchAuthSession(id: string, lastSeenAt: Date): Promise<void>;
  /** Atomic: deletes `oldId` and creates `next`. Used at every privilege change. */
  rotateAuthSession(oldId: string, next: AuthSessionRecord): Promise<void>;
  deleteAuthSession(id: string): Promise<void>;
  /** Returns how many sessions were removed. */
  deleteAuthSessionsForUser(userId: string): Promise<number>;
  deleteExpiredAuthSessions(idleBefore: Date, now: Date): Promise<number>;

  // MFA
  getTotp(userId: string): Promise<TotpRecord | null>;
  /** Upsert an unconfirmed secret; refuses (returns false) if a confirmed one exists. */
  savePendingTotp(userId: string, secret: string): Promise<boolean>;
  /** Atomic: confirms the pending secret at `step` and replaces the recovery codes. */
  confirmTotp(userId: string, step: number, recoveryCodeHashes: string[], now: Date): Promise<boolean>;
  /** Compare-and-set: records `step` only if it is later than the last used one. */
  useTotpStep(userId: string, step: number): Promise<boolean>;
  replaceRecoveryCodes(userId: string, codeHashes: string[]): Promise<void>;
  /** Atomic single use; false if unknown or already used. */
  useRecoveryCode(userId: string, codeHash: string, now: Date): Promise<boolean>;
  countUnusedRecoveryCodes(userId: string): Promise<number>;

  // Audit log: append-only, hash-chained
  appendAudit(entry: AuditEntryInput): Promise<AuditRecord>;
  listAudit(clinicId: string, options: { beforeSeq?: number; limit: number }): Promise<AuditRecord[]>;
  verifyAuditChain(): Promise<AuditChainVerdict>;
}
