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
import type { ConsentType, GroupSessionKind, GroupStaffRole, Route, StaffRole } from '@cairn/domain';
import type {
  JournalAppendOutcome,
  JournalBlobsPage,
  JournalCompactOutcome,
  JournalPassphraseWrapping,
  JournalRecord,
  JournalUnlockFailureRecord,
  NewJournalBlob,
  NewJournalRecord,
} from './journal-records.ts';
import type {
  AccessCardRecord,
  ClaimOutcome,
  HomeSessionRecord,
  JoinCodeRecord,
  RedeemOutcome,
  TabletSessionRecord,
} from './tablet-records.ts';

export type Engine = 'sqlite' | 'postgres';

export interface ClinicRecord {
  id: string;
  name: string;
  mfaRequired: boolean;
  /**
   * Minutes after a participant's first dose before they can be cleared to leave: a
   * clinic-configurable default, not medical advice (@cairn/domain participant-states.ts).
   */
  minMinutesBeforeDischarge: number;
  /**
   * Seconds an "I need support" request may wait unanswered before every on-duty staff member
   * is paged: a clinic-configurable default, not medical advice (@cairn/domain support-requests.ts).
   */
  supportEscalateAfterSeconds: number;
  createdAt: Date;
}

/** A new clinic: a setting left out takes the database default (the domain's default). */
export type NewClinic = Omit<ClinicRecord, 'minMinutesBeforeDischarge' | 'supportEscalateAfterSeconds'> &
  Partial<Pick<ClinicRecord, 'minMinutesBeforeDischarge' | 'supportEscalateAfterSeconds'>>;

/** The clinic settings an admin may change; a field left out keeps its value. */
export type ClinicSettingsPatch = Partial<
  Pick<ClinicRecord, 'mfaRequired' | 'minMinutesBeforeDischarge' | 'supportEscalateAfterSeconds'>
>;

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

// ---------------------------------------------------------------------------------------------
// Realtime persistence: Yjs documents (update log + snapshots) and per-session event streams.

/** A collaboratively edited document. One document = one access boundary (PRODUCT §2). */
export interface DocumentRecord {
  /** Opaque random id; it appears in socket URLs, so it reveals nothing. */
  id: string;
  clinicId: string;
  /** e.g. `clinician_note`; core's rules decide who may read or write each kind. */
  kind: string;
  /** The author, for kinds that belong to one person. */
  ownerUserId: string | null;
  /** The stream (a session) the document belongs to, if any. */
  streamId: string | null;
  createdAt: Date;
}

export interface DocUpdateRecord {
  seq: number;
  update: Uint8Array;
}

/** Who wrote an update: kept with it so history can show authorship (BI-Y12). */
export interface DocUpdateAuthor {
  /** The user (or, later, participant) whose connection sent the update. */
  actorId: string;
  /** The device it came from, when known (tablets); null for staff browsers for now. */
  deviceId: string | null;
}

export interface NewDocUpdate extends DocUpdateAuthor {
  docId: string;
  update: Uint8Array;
}

/** An update as history sees it: what changed and who changed it. */
export interface DocUpdateHistoryRecord extends DocUpdateRecord {
  /** Null only for updates stored before authorship was recorded (migration 0004). */
  actorId: string | null;
  deviceId: string | null;
  /** When it was committed (the database's clock): history groups edits into versions by it. */
  at: Date;
}

/** What a cold load needs: the latest snapshot (if any) and every update after it, in order. */
export interface StoredDocState {
  snapshot: Uint8Array | null;
  /** The last update seq the snapshot covers; 0 when there is no snapshot. */
  snapshotSeq: number;
  updates: DocUpdateRecord[];
  /** Total bytes of `updates`, so callers can decide when to compact. */
  tailBytes: number;
}

/** An append-only stream of typed events (one per clinical session) with a gapless `seq`. */
export interface EventStreamRecord {
  id: string;
  clinicId: string;
  createdAt: Date;
}

export interface NewEvent {
  type: string;
  /** Small JSON facts; validated against the event type's schema by the caller. */
  payload: Record<string, unknown>;
  /** Who caused it: a user id, a participant id, or `system`. */
  actorId: string;
  /** The device it came from, when a tablet or browser sent it. */
  deviceId: string | null;
  /**
   * A key the client made up for this command. The same (stream, actor, key) is stored once;
   * a repeat returns the first event. Scoped by actor so nobody can read another's result.
   */
  idempotencyKey: string | null;
  at: Date;
}

export interface EventRecord extends NewEvent {
  streamId: string;
  seq: number;
}

export interface AppendedEvent {
  event: EventRecord;
  /** True when the idempotency key had been used: nothing new was written. */
  duplicate: boolean;
}

export type AuditChainVerdict =
  { ok: true; checked: number } | { ok: false; checked: number; brokenAtSeq: number; reason: string };

// ---------------------------------------------------------------------------------------------
// Groups (cohorts), participants and scheduled sessions.

export interface GroupRecord {
  id: string;
  clinicId: string;
  name: string;
  plan: { preparation: number; dosing: number; integration: number };
  routeDefault: Route;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface GroupStaffRecord {
  userId: string;
  role: GroupStaffRole;
}

export interface ContactRecord {
  name: string;
  phone: string;
}

/** A clinic-scoped person in care. PHI: never in audit details or logs. */
export interface ParticipantRecord {
  id: string;
  clinicId: string;
  preferredName: string;
  pronouns: string | null;
  emergencyContact: ContactRecord;
  escortContact: ContactRecord | null;
  createdAt: Date;
}

export interface EnrolmentRecord {
  groupId: string;
  participantId: string;
  status: 'active' | 'withdrawn';
  enrolledAt: Date;
  withdrawnAt: Date | null;
  withdrawalReason: string | null;
}

export interface ConsentRecord {
  id: string;
  participantId: string;
  type: ConsentType;
  version: number;
  signedAt: Date;
  recordedBy: string;
  revokedAt: Date | null;
}

/** One row of a group's roster: the person, their place (active or withdrawn) and consents. */
export interface RosterEntry {
  participant: ParticipantRecord;
  enrolment: EnrolmentRecord;
  consents: ConsentRecord[];
}

export interface NewEnrolment {
  participant: ParticipantRecord;
  enrolledAt: Date;
  consents: ConsentRecord[];
}

export type EnrolOutcome = 'enrolled' | 'full' | 'no_group';

export interface GroupSessionRecord {
  id: string;
  groupId: string;
  kind: GroupSessionKind;
  /** Counts the group's sessions of this kind from 1, in the order they were scheduled. */
  number: number;
  scheduledStart: Date;
  plannedMinutes: number;
  room: string | null;
  streamId: string;
  createdAt: Date;
  /** Set together when the session was cancelled (only ever before it started). */
  cancelledAt: Date | null;
  cancelReason: string | null;
  cancelledBy: string | null;
}

export type NewGroupSession = Omit<
  GroupSessionRecord,
  'number' | 'cancelledAt' | 'cancelReason' | 'cancelledBy'
> & { clinicId: string };

/** What can be corrected about a participant after enrolment. */
export type ParticipantPatch = Partial<
  Pick<ParticipantRecord, 'preferredName' | 'pronouns' | 'emergencyContact' | 'escortContact'>
>;

export type SessionSchedulePatch = Partial<
  Pick<GroupSessionRecord, 'scheduledStart' | 'plannedMinutes' | 'room'>
>;

export interface SessionCancellation {
  at: Date;
  reason: string;
  by: string;
}

/** A change to a session that is only allowed before it started and while it is not cancelled. */
export type SessionChangeOutcome =
  { ok: true; session: GroupSessionRecord } | { ok: false; reason: 'no_session' | 'started' | 'cancelled' };

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

/**
 * A realtime call named a document or event stream that does not exist; nothing was written.
 * Ids come from URLs and clients, so callers usually answer this as "not found".
 */
/**
 * An append that was conditional on the stream's last seq found another event there first:
 * someone else changed the stream after the caller read it. Nothing was written; the caller
 * reads again and decides again (optimistic concurrency, the same on every instance).
 */
export class StaleStreamError extends Error {
  readonly streamId: string;
  readonly lastSeq: number;
  constructor(streamId: string, lastSeq: number) {
    super(`Event stream ${streamId} moved on to seq ${lastSeq}.`);
    this.name = 'StaleStreamError';
    this.streamId = streamId;
    this.lastSeq = lastSeq;
  }
}

export interface AppendOptions {
  /**
   * Write only if the stream's last seq is still this one (ignored when every event is a
   * duplicate: a repeat is answered whatever happened since). Otherwise StaleStreamError.
   */
  expectLastSeq?: number;
  /**
   * Write only while this group session is not cancelled, checked inside the append's
   * transaction (a cancel and an append serialise on the stream). Otherwise StaleStreamError:
   * the caller reads again and finds it cancelled.
   */
  openSessionId?: string;
}

export class NotFoundError extends Error {
  readonly entity: 'document' | 'event_stream';
  readonly id: string;
  constructor(entity: 'document' | 'event_stream', id: string) {
    super(`No ${entity.replace('_', ' ')} with id ${id}.`);
    this.name = 'NotFoundError';
    this.entity = entity;
    this.id = id;
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
  createClinicWithFirstAdmin(clinic: NewClinic, admin: NewUser): Promise<void>;
  updateClinicSettings(id: string, patch: ClinicSettingsPatch): Promise<ClinicRecord>;

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

  // Documents: append-only Yjs update log with snapshot compaction
  createDocument(document: DocumentRecord): Promise<void>;
  getDocument(id: string): Promise<DocumentRecord | null>;
  /**
   * Group commit: every update of the batch (possibly of several documents) is written in ONE
   * transaction, each with the next seq of its document. Resolves only once the transaction is
   * durably committed — "saved means saved" rests on this. Returns the seqs in input order.
   * Throws (writing nothing) if any document does not exist. Each update is stored with its
   * own author, also when one batch mixes the updates of several people.
   */
  appendDocUpdates(batch: ReadonlyArray<NewDocUpdate>): Promise<number[]>;
  loadDocState(docId: string): Promise<StoredDocState>;
  /**
   * Atomic compaction with compare-and-set (FT-02, FT-11): stores `state` as the snapshot that
   * covers every update up to `uptoSeq`, only if the current snapshot still covers
   * `expectedSnapshotSeq`. Returns false (changing nothing) when another compaction won. The
   * update rows stay as history (point-in-time restore); loads skip what the snapshot covers.
   */
  compactDoc(
    docId: string,
    expectedSnapshotSeq: number,
    uptoSeq: number,
    state: Uint8Array,
  ): Promise<boolean>;
  /**
   * Every update after `afterSeq`, oldest first, with its author (history, and catching up
   * after a gap). Compaction keeps these rows, so authorship survives it.
   */
  readDocUpdates(docId: string, afterSeq: number, limit: number): Promise<DocUpdateHistoryRecord[]>;
  /**
   * Claims Yjs client ids in a document for `userId`: ids nobody owns become theirs, ids already
   * owned keep their owner. Atomic per id (racing claims: the first wins). Returns the owner of
   * every id asked about, so the caller can refuse structs under someone else's id (BI-Y6).
   */
  claimDocClients(docId: string, userId: string, clientIds: number[]): Promise<Map<number, string>>;

  // Event streams: gapless per-stream seq, idempotent commands
  createEventStream(stream: EventStreamRecord): Promise<void>;
  getEventStream(id: string): Promise<EventStreamRecord | null>;
  /**
   * Appends in ONE transaction, each event with the next seq of its stream. An event whose
   * (stream, actor, idempotency key) was seen before is not written again: its first record is
   * returned with `duplicate: true` — also when two identical commands race.
   */
  appendEvents(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendedEvent[]>;
  /** Events with seq > `sinceSeq`, oldest first, at most `limit`: how a client resumes. */
  readEvents(streamId: string, sinceSeq: number, limit: number): Promise<EventRecord[]>;
  lastEventSeq(streamId: string): Promise<number>;

  // Groups, participants, scheduled sessions
  /** Creates the group and its first staff in one transaction. */
  createGroup(group: GroupRecord, staff: GroupStaffRecord[]): Promise<void>;
  getGroup(id: string): Promise<GroupRecord | null>;
  listGroups(clinicId: string): Promise<GroupRecord[]>;
  /** The ids of the groups `userId` has any role in. */
  listGroupIdsOfStaff(userId: string): Promise<string[]>;
  updateGroup(
    id: string,
    patch: Partial<Pick<GroupRecord, 'name' | 'plan' | 'routeDefault'>>,
    updatedAt: Date,
  ): Promise<GroupRecord | null>;
  listGroupStaff(groupId: string): Promise<GroupStaffRecord[]>;
  /** Replaces the group's staff in one transaction. */
  setGroupStaff(groupId: string, staff: GroupStaffRecord[]): Promise<void>;
  /**
   * Creates the participant, their active enrolment and consents in ONE transaction, only if
   * the group has fewer than `maxActive` active enrolments — counted inside the transaction with
   * the group locked, so concurrent enrolments can never exceed the cap. Writes nothing and
   * answers `full` (or `no_group`) otherwise.
   */
  enrolParticipant(groupId: string, enrolment: NewEnrolment, maxActive: number): Promise<EnrolOutcome>;
  /** Marks an active enrolment withdrawn (keeping the row); false if there was none. */
  withdrawEnrolment(groupId: string, participantId: string, reason: string, at: Date): Promise<boolean>;
  /** Every enrolment of the group (active and withdrawn), oldest first. */
  listRoster(groupId: string): Promise<RosterEntry[]>;
  /** Applies `patch` to the participant; null when there is no such participant. */
  updateParticipant(participantId: string, patch: ParticipantPatch): Promise<ParticipantRecord | null>;
  /**
   * Records `consent` only if the participant has no unrevoked consent of its type, checked and
   * written in ONE transaction (two facilitators giving it at once record it once).
   */
  giveConsent(consent: ConsentRecord): Promise<'given' | 'already_given'>;
  /** Sets `revokedAt` on the participant's unrevoked consent of `type`; false if there was none. */
  revokeConsent(participantId: string, type: ConsentType, at: Date): Promise<boolean>;
  countActiveEnrolments(groupId: string): Promise<number>;
  /**
   * Creates the session and its event stream in ONE transaction; `number` is the next of its
   * kind in the group.
   */
  createGroupSession(session: NewGroupSession): Promise<GroupSessionRecord>;
  getGroupSession(id: string): Promise<GroupSessionRecord | null>;
  findGroupSessionByStream(streamId: string): Promise<GroupSessionRecord | null>;
  /** The group's sessions by scheduled start, cancelled ones included. */
  listGroupSessions(groupId: string): Promise<GroupSessionRecord[]>;
  /**
   * Reschedules / cancels the session only if it is not cancelled and its stream has no
   * `session.phase_changed` event, checked in ONE transaction with the stream locked, so a
   * phase change that commits first wins and this answers `started`.
   */
  rescheduleGroupSession(id: string, patch: SessionSchedulePatch): Promise<SessionChangeOutcome>;
  cancelGroupSession(id: string, cancellation: SessionCancellation): Promise<SessionChangeOutcome>;

  // Tablets in the room: join codes and tablet sessions (core/tablets.ts)
  /** Retires the session's open codes and stores `code`, in one transaction. */
  createJoinCode(code: JoinCodeRecord): Promise<void>;
  findJoinCodeByHash(codeHash: string): Promise<JoinCodeRecord | null>;
  /**
   * Atomic single use: marks the code redeemed by `deviceKey` and creates the tablet session,
   * only if the code is still open at `now` (not redeemed, retired or expired) and the session
   * has no tablet closure. Answers `closed` (writing nothing) otherwise.
   */
  redeemJoinCode(
    codeId: string,
    deviceKey: string,
    tablet: TabletSessionRecord,
    now: Date,
  ): Promise<RedeemOutcome>;
  /**
   * Counts one wrong guess against every open code of the clinic; codes reaching `maxFailures`
   * are retired. Returns the codes this call retired.
   */
  recordJoinCodeFailure(clinicId: string, now: Date, maxFailures: number): Promise<JoinCodeRecord[]>;
  getTabletSession(id: string): Promise<TabletSessionRecord | null>;
  findTabletByDevice(deviceId: string): Promise<TabletSessionRecord | null>;
  /** The session's tablets that have not ended, oldest first. */
  listTabletSessions(sessionId: string): Promise<TabletSessionRecord[]>;
  /**
   * Atomic: a `pending` tablet picks `participantId`, only if no other live tablet of the same
   * session holds that participant (awaiting admission or admitted) — also under racing claims.
   */
  claimTabletParticipant(id: string, participantId: string, now: Date): Promise<ClaimOutcome>;
  /** Compare-and-set from `from` to `to`; the updated record, or null if it was not in `from`. */
  moveTablet(
    id: string,
    from: readonly TabletSessionRecord['state'][],
    to: TabletSessionRecord['state'],
    now: Date,
  ): Promise<TabletSessionRecord | null>;
  /** "End session": records the closure and ends every live tablet; returns those it ended. */
  endTablets(sessionId: string, now: Date): Promise<TabletSessionRecord[]>;
  tabletsEndedAt(sessionId: string): Promise<Date | null>;

  // Home access: access cards and home sessions (core/home-access.ts)
  /** Replaces the participant's card and ends their home sessions, in one transaction. */
  issueAccessCard(card: AccessCardRecord): Promise<void>;
  findAccessCardByHash(codeHash: string): Promise<AccessCardRecord | null>;
  createHomeSession(session: HomeSessionRecord): Promise<void>;
  getHomeSession(id: string): Promise<HomeSessionRecord | null>;
  touchHomeSession(id: string, lastSeenAt: Date): Promise<void>;
  deleteHomeSession(id: string): Promise<void>;

  // Participant journals, end-to-end encrypted: ciphertext only (core/journals.ts)
  /** One journal per participant: `exists` (writing nothing) when they have one, also under races. */
  createJournal(journal: NewJournalRecord): Promise<'created' | 'exists'>;
  getJournalByParticipant(participantId: string): Promise<JournalRecord | null>;
  /**
   * Stores the blob as the journal's next seq (gapless, also under racing appends) and adds its
   * bytes to the total, in ONE transaction. A blob id seen before in this journal writes nothing
   * and answers its first seq; one that would take the total past `maxTotalBytes` answers `full`.
   */
  appendJournalBlob(
    journalId: string,
    blob: NewJournalBlob,
    maxTotalBytes: number,
  ): Promise<JournalAppendOutcome>;
  /**
   * Blobs with seq > `afterSeq`, oldest first, at most `limit`: the snapshot (stored at the seq
   * it covers through) comes first when it lies after `afterSeq`, then the updates after it.
   */
  listJournalBlobs(journalId: string, afterSeq: number, limit: number): Promise<JournalBlobsPage>;
  /**
   * Atomic compaction with compare-and-set: `data` becomes the one snapshot, replacing every
   * blob with seq <= `throughSeq`; later blobs stay. `stale` (writing nothing) when a snapshot
   * already covers `throughSeq` — a racing second compaction — and `ahead` past the head.
   */
  compactJournal(
    journalId: string,
    throughSeq: number,
    data: Uint8Array,
    at: Date,
  ): Promise<JournalCompactOutcome>;
  /** Replaces the passphrase's salt, KDF, wrapped key and proof hash; false if no such journal. */
  replaceJournalPassphrase(
    journalId: string,
    wrapping: JournalPassphraseWrapping,
    at: Date,
  ): Promise<boolean>;
  recordJournalUnlockFailure(failure: JournalUnlockFailureRecord): Promise<void>;
  /** The journal's failed unlocks not yet shown to the participant, oldest first. */
  listJournalUnlockFailures(journalId: string): Promise<JournalUnlockFailureRecord[]>;
  /**
   * A successful unlock, in ONE transaction: sets `lastUnlockedAt`, and returns and clears the
   * failed attempts since the last one (two racing unlocks never both list the same attempt).
   */
  takeJournalUnlockFailures(journalId: string, at: Date): Promise<JournalUnlockFailureRecord[]>;
}
