/** Builders and shared context for the Store contract suite. */
import {
  DEFAULT_MIN_MINUTES_BEFORE_DISCHARGE,
  DEFAULT_SUPPORT_ESCALATE_AFTER_SECONDS,
  type StaffRole,
} from '@cairn/domain';
import type {
  AuthSessionRecord,
  ClinicRecord,
  DocumentRecord,
  InviteRecord,
  NewEvent,
  NewUser,
  Store,
  UserRecord,
} from '../../src/store.ts';

/** What the suite needs beyond the Store: the database itself, as an attacker would see it. */
export interface RawAccess {
  /** Runs SQL on the store's database directly, bypassing the Store. */
  exec(store: Store, sql: string): Promise<void>;
  /** Statements that remove the append-only triggers (someone with file or superuser access). */
  dropAppendOnlyTriggers: string[];
}

export interface ContractContext {
  /** The fresh, empty store of the running test. */
  store(): Store;
  raw: RawAccess;
}

export const T0 = new Date('2026-03-01T09:00:00.000Z');
export const minutes = (n: number): Date => new Date(T0.getTime() + n * 60_000);

export function clinicRecord(overrides: Partial<ClinicRecord> = {}): ClinicRecord {
  return {
    id: 'clinic-1',
    name: 'Riverside Clinic',
    mfaRequired: false,
    minMinutesBeforeDischarge: DEFAULT_MIN_MINUTES_BEFORE_DISCHARGE,
    supportEscalateAfterSeconds: DEFAULT_SUPPORT_ESCALATE_AFTER_SECONDS,
    createdAt: T0,
    ...overrides,
  };
}

export function newUser(id: string, overrides: Partial<NewUser> = {}): NewUser {
  return {
    id,
    clinicId: 'clinic-1',
    email: `${id}@example.org`,
    displayName: `User ${id}`,
    passwordHash: `hash-${id}`,
    roles: ['facilitator'],
    createdAt: T0,
    ...overrides,
  };
}

/** The usual starting point: one clinic with its admin. */
export async function seedClinic(store: Store): Promise<{ clinic: ClinicRecord; admin: NewUser }> {
  const clinic = clinicRecord();
  const admin = newUser('admin', { roles: ['admin'] });
  await store.createClinicWithFirstAdmin(clinic, admin);
  return { clinic, admin };
}

export function inviteRecord(id: string, overrides: Partial<InviteRecord> = {}): InviteRecord {
  return {
    id,
    clinicId: 'clinic-1',
    tokenHash: `token-hash-${id}`,
    email: `${id}@example.org`,
    roles: ['co_therapist'],
    invitedBy: 'admin',
    createdAt: T0,
    expiresAt: minutes(60),
    acceptedAt: null,
    revokedAt: null,
    ...overrides,
  };
}

/** Adds a staff member the only way the Store allows after setup: invite, then accept. */
export async function addStaff(
  store: Store,
  id: string,
  roles: StaffRole[],
  createdAt: Date = minutes(1),
): Promise<UserRecord> {
  await store.createInvite(inviteRecord(`invite-${id}`, { roles }));
  const accepted = await store.acceptInvite(
    `token-hash-invite-${id}`,
    newUser(id, { roles, createdAt }),
    minutes(2),
  );
  if (!accepted) throw new Error(`could not add staff ${id}`);
  const user = await store.getUser(id);
  if (!user) throw new Error(`staff ${id} missing`);
  return user;
}

export function sessionRecord(id: string, overrides: Partial<AuthSessionRecord> = {}): AuthSessionRecord {
  return {
    id,
    userId: 'admin',
    stage: 'full',
    createdAt: T0,
    lastSeenAt: T0,
    expiresAt: minutes(12 * 60),
    ...overrides,
  };
}

/** Starts all calls together and sorts their outcomes. */
export async function race<T>(calls: (() => Promise<T>)[]) {
  const results = await Promise.allSettled(calls.map((call) => call()));
  return {
    values: results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
    errors: results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : [])),
  };
}

/** A clinic with its admin and one event stream (`stream-1`), where realtime data lives. */
export async function seedStream(store: Store): Promise<void> {
  await seedClinic(store);
  await store.createEventStream({ id: 'stream-1', clinicId: 'clinic-1', createdAt: T0 });
}

export function documentRecord(id: string, overrides: Partial<DocumentRecord> = {}): DocumentRecord {
  return {
    id,
    clinicId: 'clinic-1',
    kind: 'clinician_note',
    ownerUserId: 'admin',
    streamId: 'stream-1',
    createdAt: T0,
    ...overrides,
  };
}

export function newEvent(n: number, overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    type: 'participant.checked_in',
    payload: { n, seat: `s${n}` },
    actorId: 'admin',
    deviceId: null,
    idempotencyKey: null,
    at: minutes(n),
    ...overrides,
  };
}

/** Bytes that name their origin, so a test can tell which update landed under which seq. */
export const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);
export const textOf = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
