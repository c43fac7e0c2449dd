/**
 * @cairn/db: the Store and the two engines behind it. Everything else in the repo reaches
 * persistent data through `openStore`.
 */
import type { Store } from './store.ts';
import { createPostgresStore } from './postgres/store.ts';
import { createSqliteStore } from './sqlite/store.ts';

export type StoreOptions = { engine: 'sqlite'; dataDir: string } | { engine: 'postgres'; url: string };

const migrators = new WeakMap<Store, () => Promise<void>>();

/**
 * Opens the store and brings its schema up to date before returning it, so nothing can run
 * against an old schema. Safe when several instances start at once.
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  const { store, migrate: migrateOpened } =
    options.engine === 'sqlite' ? createSqliteStore(options.dataDir) : createPostgresStore(options.url);
  migrators.set(store, migrateOpened);
  try {
    await migrateOpened();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** Applies any pending migrations (openStore already did; this is for `db:migrate` style tools). */
export async function migrate(store: Store): Promise<void> {
  const run = migrators.get(store);
  if (!run) throw new Error('migrate() needs a store made by openStore().');
  await run();
}

export { EmailTakenError, NotFoundError, SetupClosedError, StaleStreamError } from './store.ts';
export type {
  AccessCardRecord,
  ClaimOutcome,
  HomeSessionRecord,
  JoinCodeRecord,
  RedeemOutcome,
  TabletSessionRecord,
} from './tablet-records.ts';
export type {
  AppendOptions,
  AppendedEvent,
  AuditChainVerdict,
  AuditEntryInput,
  AuditRecord,
  AuthSessionRecord,
  AuthSessionStage,
  ClinicRecord,
  ClinicSettingsPatch,
  DocUpdateAuthor,
  DocUpdateHistoryRecord,
  DocUpdateRecord,
  DocumentRecord,
  Engine,
  EventRecord,
  EventStreamRecord,
  InviteRecord,
  NewDocUpdate,
  NewClinic,
  NewEvent,
  NewUser,
  Store,
  StoredDocState,
  TotpRecord,
  UserRecord,
} from './store.ts';
export { GENESIS_HASH, auditEntryHash } from './audit-chain.ts';
export type {
  ConsentRecord,
  ContactRecord,
  EnrolOutcome,
  EnrolmentRecord,
  GroupRecord,
  GroupSessionRecord,
  GroupStaffRecord,
  NewEnrolment,
  NewGroupSession,
  ParticipantPatch,
  ParticipantRecord,
  RosterEntry,
  SessionCancellation,
  SessionChangeOutcome,
  SessionSchedulePatch,
} from './store.ts';
export type {
  JournalAppendOutcome,
  JournalBlobKind,
  JournalBlobRecord,
  JournalBlobsPage,
  JournalCompactOutcome,
  JournalPassphraseWrapping,
  JournalRecord,
  JournalUnlockFailureRecord,
  NewJournalBlob,
  NewJournalRecord,
} from './journal-records.ts';
