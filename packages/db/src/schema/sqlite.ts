/**
 * SQLite tables. Keep in step with `postgres.ts`: the contract suite runs the same behaviour
 * over both, and `pnpm db:check` fails when either schema drifts from its committed migrations.
 *
 * Times are integer milliseconds since the epoch (UTC); drizzle maps them to `Date`.
 */
import {
  DEFAULT_MIN_MINUTES_BEFORE_DISCHARGE,
  DEFAULT_SUPPORT_ESCALATE_AFTER_SECONDS,
  type ConsentType,
  type GroupSessionKind,
  type GroupStaffRole,
  type JournalKdf,
  type JournalUnlockMethod,
  type Route,
  type StaffRole,
  type TabletState,
} from '@cairn/domain';
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const millis = (name: string) => integer(name, { mode: 'timestamp_ms' });

export const clinics = sqliteTable('clinics', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  mfaRequired: integer('mfa_required', { mode: 'boolean' }).notNull().default(false),
  /** A clinic-configurable default, not medical advice (@cairn/domain participant-states.ts). */
  minMinutesBeforeDischarge: integer('min_minutes_before_discharge')
    .notNull()
    .default(DEFAULT_MIN_MINUTES_BEFORE_DISCHARGE),
  /** Seconds before an unanswered support request is escalated: a clinic-configurable default. */
  supportEscalateAfterSeconds: integer('support_escalate_after_seconds')
    .notNull()
    .default(DEFAULT_SUPPORT_ESCALATE_AFTER_SECONDS),
  createdAt: millis('created_at').notNull(),
});

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id')
    .notNull()
    .references(() => clinics.id),
  email: text('email').notNull().unique(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  createdAt: millis('created_at').notNull(),
});

export const staffRoles = sqliteTable(
  'staff_roles',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').$type<StaffRole>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.role] })],
);

export const authSessions = sqliteTable(
  'auth_sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    stage: text('stage').$type<'mfa' | 'enrol' | 'full'>().notNull(),
    createdAt: millis('created_at').notNull(),
    lastSeenAt: millis('last_seen_at').notNull(),
    expiresAt: millis('expires_at').notNull(),
  },
  (t) => [index('auth_sessions_user_id_idx').on(t.userId)],
);

export const mfaTotp = sqliteTable('mfa_totp', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  secret: text('secret').notNull(),
  confirmedAt: millis('confirmed_at'),
  lastUsedStep: integer('last_used_step'),
});

export const recoveryCodes = sqliteTable(
  'recovery_codes',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: millis('used_at'),
  },
  (t) => [primaryKey({ columns: [t.userId, t.codeHash] })],
);

export const invites = sqliteTable('invites', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id')
    .notNull()
    .references(() => clinics.id),
  tokenHash: text('token_hash').notNull().unique(),
  email: text('email').notNull(),
  roles: text('roles', { mode: 'json' }).$type<StaffRole[]>().notNull(),
  invitedBy: text('invited_by')
    .notNull()
    .references(() => users.id),
  createdAt: millis('created_at').notNull(),
  expiresAt: millis('expires_at').notNull(),
  acceptedAt: millis('accepted_at'),
  revokedAt: millis('revoked_at'),
});

/**
 * Append-only (triggers in a custom migration refuse UPDATE and DELETE) and hash-chained.
 * No foreign keys on purpose: the audit trail must outlive the users and clinics it names.
 * `details` stays JSON text so the hash is computed over exactly what we stored.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    at: millis('at').notNull(),
    clinicId: text('clinic_id'),
    actorUserId: text('actor_user_id'),
    action: text('action').notNull(),
    targetId: text('target_id'),
    details: text('details').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  // listAudit pages one clinic's entries newest first.
  (t) => [index('audit_log_clinic_seq_idx').on(t.clinicId, t.seq)],
);

// Realtime persistence. Keep in step with the same section of `postgres.ts`.

/**
 * One row per event stream (a clinical session). `last_seq` is the stream's seq counter: an
 * appender bumps it with UPDATE … RETURNING inside its transaction, which is what keeps seqs
 * gapless and unique under concurrency.
 */
export const eventStreams = sqliteTable('event_streams', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id')
    .notNull()
    .references(() => clinics.id),
  lastSeq: integer('last_seq').notNull().default(0),
  createdAt: millis('created_at').notNull(),
});

/** A collaboratively edited document; `last_seq` is its update counter, as for event streams. */
export const documents = sqliteTable(
  'documents',
  {
    id: text('id').primaryKey(),
    clinicId: text('clinic_id')
      .notNull()
      .references(() => clinics.id),
    kind: text('kind').notNull(),
    ownerUserId: text('owner_user_id').references(() => users.id),
    streamId: text('stream_id').references(() => eventStreams.id),
    lastSeq: integer('last_seq').notNull().default(0),
    createdAt: millis('created_at').notNull(),
  },
  // "The documents of a session" is the natural next query.
  (t) => [index('documents_stream_id_idx').on(t.streamId)],
);

/**
 * The append-only Yjs update log. Rows a snapshot covers stay, as history.
 *
 * `actor_id` is who sent the update (a user id; later also participants) and `device_id` the
 * device, when known (null for staff browsers), so history can show authorship and a "select
 * all + delete" can be traced to its actor (BI-Y12). `actor_id` is nullable only because the
 * updates stored before migration 0004 were never attributed: NULL there means "not recorded";
 * we do not invent an author for them. Every newer row has one: the Store requires it, and the
 * trigger `doc_updates_actor_required` (custom SQL in 0004) refuses an insert without one. A
 * drizzle-kit rebuild of this table would drop that trigger: recreate it in that migration.
 */
export const docUpdates = sqliteTable(
  'doc_updates',
  {
    docId: text('doc_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    update: blob('update', { mode: 'buffer' }).notNull(),
    createdAt: millis('created_at').notNull(),
    actorId: text('actor_id'),
    deviceId: text('device_id'),
  },
  (t) => [primaryKey({ columns: [t.docId, t.seq] })],
);

/** The latest compacted state of a document, covering its updates up to `upto_seq`. */
export const docSnapshots = sqliteTable('doc_snapshots', {
  docId: text('doc_id')
    .primaryKey()
    .references(() => documents.id, { onDelete: 'cascade' }),
  uptoSeq: integer('upto_seq').notNull(),
  state: blob('state', { mode: 'buffer' }).notNull(),
  createdAt: millis('created_at').notNull(),
});

/**
 * Which user writes under each Yjs client id in a document. The first writer owns it; nobody
 * else may put structs under it (BI-Y6), across unloads, restarts and instances.
 */
export const docClients = sqliteTable(
  'doc_clients',
  {
    docId: text('doc_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    clientId: integer('client_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: millis('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.docId, t.clientId] })],
);

/**
 * Which user writes under each Yjs client id, across ALL documents. A client id is random per
 * device and document, so one belonging to someone else is a replay of their captured update
 * into another document (BI-Y9): refused even where that document has never seen it.
 */
export const clientOwners = sqliteTable('client_owners', {
  clientId: integer('client_id').primaryKey(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id),
  createdAt: millis('created_at').notNull(),
});

/**
 * Typed events, gapless `seq` per stream. The unique index makes an idempotency key count once
 * per (stream, actor); rows without a key never collide (NULLs are distinct in a unique index).
 */
export const events = sqliteTable(
  'events',
  {
    streamId: text('stream_id')
      .notNull()
      .references(() => eventStreams.id),
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    actorId: text('actor_id').notNull(),
    deviceId: text('device_id'),
    idempotencyKey: text('idempotency_key'),
    at: millis('at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.streamId, t.seq] }),
    uniqueIndex('events_idempotency_unique').on(t.streamId, t.actorId, t.idempotencyKey),
  ],
);

// ---------------------------------------------------------------------------------------------
// Groups (cohorts), their staff, participants, enrolments, consents and scheduled sessions.

/** A cohort running a course. The plan counts sessions per kind; `route_default` is clinical. */
export const groups = sqliteTable('groups', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id')
    .notNull()
    .references(() => clinics.id),
  name: text('name').notNull(),
  planPreparation: integer('plan_preparation').notNull(),
  planDosing: integer('plan_dosing').notNull(),
  planIntegration: integer('plan_integration').notNull(),
  routeDefault: text('route_default').$type<Route>().notNull(),
  createdBy: text('created_by')
    .notNull()
    .references(() => users.id),
  createdAt: millis('created_at').notNull(),
  updatedAt: millis('updated_at').notNull(),
});

/** Who works in a group, in which roles: one row per (group, user, role). */
export const groupStaff = sqliteTable(
  'group_staff',
  {
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').$type<GroupStaffRole>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.userId, t.role] }),
    index('group_staff_user_id_idx').on(t.userId),
  ],
);

/** A person in the clinic's care (PHI): only what the group's staff need to reach them safely. */
export const participants = sqliteTable('participants', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id')
    .notNull()
    .references(() => clinics.id),
  preferredName: text('preferred_name').notNull(),
  pronouns: text('pronouns'),
  emergencyContactName: text('emergency_contact_name').notNull(),
  emergencyContactPhone: text('emergency_contact_phone').notNull(),
  escortContactName: text('escort_contact_name'),
  escortContactPhone: text('escort_contact_phone'),
  createdAt: millis('created_at').notNull(),
});

/** A participant's place in a group. Withdrawn rows stay (history) and free the place. */
export const enrolments = sqliteTable(
  'enrolments',
  {
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id),
    participantId: text('participant_id')
      .notNull()
      .references(() => participants.id),
    status: text('status').$type<'active' | 'withdrawn'>().notNull(),
    enrolledAt: millis('enrolled_at').notNull(),
    withdrawnAt: millis('withdrawn_at'),
    withdrawalReason: text('withdrawal_reason'),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.participantId] }),
    index('enrolments_participant_id_idx').on(t.participantId),
  ],
);

/** A consent given (and perhaps later revoked), with the version of the wording agreed to. */
export const consents = sqliteTable(
  'consents',
  {
    id: text('id').primaryKey(),
    participantId: text('participant_id')
      .notNull()
      .references(() => participants.id),
    type: text('type').$type<ConsentType>().notNull(),
    version: integer('version').notNull(),
    signedAt: millis('signed_at').notNull(),
    recordedBy: text('recorded_by')
      .notNull()
      .references(() => users.id),
    revokedAt: millis('revoked_at'),
  },
  (t) => [index('consents_participant_id_idx').on(t.participantId)],
);

/**
 * A scheduled session of a group; `number` counts sessions of its kind from 1. A cancelled one
 * keeps its row and number.
 */
export const groupSessions = sqliteTable(
  'group_sessions',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id),
    kind: text('kind').$type<GroupSessionKind>().notNull(),
    number: integer('number').notNull(),
    scheduledStart: millis('scheduled_start').notNull(),
    plannedMinutes: integer('planned_minutes').notNull(),
    room: text('room'),
    streamId: text('stream_id')
      .notNull()
      .unique()
      .references(() => eventStreams.id),
    createdAt: millis('created_at').notNull(),
    // Set together, only before the session started; the row stays (its number is kept).
    cancelledAt: millis('cancelled_at'),
    cancelReason: text('cancel_reason'),
    cancelledBy: text('cancelled_by').references(() => users.id),
  },
  (t) => [uniqueIndex('group_sessions_number_unique').on(t.groupId, t.kind, t.number)],
);

/**
 * Join codes for tablets (core/join-codes.ts). Only a hash of the code is kept. A code is open
 * while it is neither redeemed nor retired nor expired; a newer code retires the older one.
 */
export const joinCodes = sqliteTable(
  'join_codes',
  {
    id: text('id').primaryKey(),
    clinicId: text('clinic_id')
      .notNull()
      .references(() => clinics.id),
    sessionId: text('session_id')
      .notNull()
      .references(() => groupSessions.id),
    codeHash: text('code_hash').notNull().unique(),
    createdBy: text('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: millis('created_at').notNull(),
    expiresAt: millis('expires_at').notNull(),
    failures: integer('failures').notNull().default(0),
    redeemedAt: millis('redeemed_at'),
    /** The device cookie that redeemed it: a second device trying it is reported (BI-J3). */
    redeemedByDevice: text('redeemed_by_device'),
    retiredAt: millis('retired_at'),
  },
  (t) => [index('join_codes_session_id_idx').on(t.sessionId)],
);

/** A tablet's sign-in for one group session; `id` is the SHA-256 of its cookie token. */
export const tabletSessions = sqliteTable(
  'tablet_sessions',
  {
    id: text('id').primaryKey(),
    /** Public: names this tablet to staff (admit/reject URLs, events). */
    deviceId: text('device_id').notNull().unique(),
    sessionId: text('session_id')
      .notNull()
      .references(() => groupSessions.id),
    participantId: text('participant_id').references(() => participants.id),
    state: text('state').$type<TabletState>().notNull(),
    createdAt: millis('created_at').notNull(),
    updatedAt: millis('updated_at').notNull(),
    expiresAt: millis('expires_at').notNull(),
  },
  (t) => [index('tablet_sessions_session_id_idx').on(t.sessionId)],
);

/** "End session" pressed for a group session: no more codes, every tablet signed out. */
export const tabletClosures = sqliteTable('tablet_closures', {
  sessionId: text('session_id')
    .primaryKey()
    .references(() => groupSessions.id),
  endedAt: millis('ended_at').notNull(),
});

/** A participant's home access card: one live card per participant, hash only. */
export const accessCards = sqliteTable('access_cards', {
  participantId: text('participant_id')
    .primaryKey()
    .references(() => participants.id),
  groupId: text('group_id')
    .notNull()
    .references(() => groups.id),
  codeHash: text('code_hash').notNull().unique(),
  issuedBy: text('issued_by')
    .notNull()
    .references(() => users.id),
  issuedAt: millis('issued_at').notNull(),
});

/** A participant's home sign-in; `id` is the SHA-256 of its cookie token. */
export const homeSessions = sqliteTable(
  'home_sessions',
  {
    id: text('id').primaryKey(),
    participantId: text('participant_id')
      .notNull()
      .references(() => participants.id),
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id),
    createdAt: millis('created_at').notNull(),
    lastSeenAt: millis('last_seen_at').notNull(),
    expiresAt: millis('expires_at').notNull(),
  },
  (t) => [index('home_sessions_participant_id_idx').on(t.participantId)],
);

// ---------------------------------------------------------------------------------------------
// Participant journals, end-to-end encrypted (@cairn/domain journal-protocol.ts): the server
// holds salts, wrapped keys, hashes of unlock proofs and ciphertext, and can decrypt none of it.

/** One journal per participant, with what their devices need to unlock it. */
export const journals = sqliteTable('journals', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id')
    .notNull()
    .references(() => clinics.id),
  participantId: text('participant_id')
    .notNull()
    .unique()
    .references(() => participants.id),
  kdf: text('kdf', { mode: 'json' }).$type<JournalKdf>().notNull(),
  passphraseSalt: text('passphrase_salt').notNull(),
  recoverySalt: text('recovery_salt').notNull(),
  wrappedByPassphrase: text('wrapped_by_passphrase').notNull(),
  wrappedByRecovery: text('wrapped_by_recovery').notNull(),
  /** SHA-256 (hex) of each unlock proof's bytes. */
  passphraseProofHash: text('passphrase_proof_hash').notNull(),
  recoveryProofHash: text('recovery_proof_hash').notNull(),
  /** The last seq handed out: appends bump it under the row's lock, so seqs are gapless. */
  headSeq: integer('head_seq').notNull().default(0),
  totalBytes: integer('total_bytes').notNull().default(0),
  createdAt: millis('created_at').notNull(),
  updatedAt: millis('updated_at').notNull(),
  lastUnlockedAt: millis('last_unlocked_at'),
});

/**
 * The journal's ciphertext: encrypted Yjs updates, and at most one encrypted snapshot, stored
 * at the seq it covers through (compaction deletes every blob up to there).
 */
export const journalBlobs = sqliteTable(
  'journal_blobs',
  {
    journalId: text('journal_id')
      .notNull()
      .references(() => journals.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    kind: text('kind').$type<'update' | 'snapshot'>().notNull(),
    /** The device's idempotency id (null for snapshots). */
    blobId: text('blob_id'),
    data: blob('data', { mode: 'buffer' }).notNull(),
    byteLength: integer('byte_length').notNull(),
    /** For a snapshot: the last seq it covers (equal to its own seq). */
    coversThrough: integer('covers_through'),
    createdAt: millis('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.journalId, t.seq] }),
    uniqueIndex('journal_blobs_blob_id_unique').on(t.journalId, t.blobId),
  ],
);

/** Wrong secrets tried against a journal, kept until the participant next unlocks it (AC-03). */
export const journalUnlockFailures = sqliteTable(
  'journal_unlock_failures',
  {
    id: text('id').primaryKey(),
    journalId: text('journal_id')
      .notNull()
      .references(() => journals.id, { onDelete: 'cascade' }),
    at: millis('at').notNull(),
    method: text('method').$type<JournalUnlockMethod>().notNull(),
    via: text('via').$type<'tablet' | 'home'>().notNull(),
  },
  (t) => [index('journal_unlock_failures_journal_id_idx').on(t.journalId)],
);
