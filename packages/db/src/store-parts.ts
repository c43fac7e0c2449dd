/**
 * The Store split by area. Each adapter implements every part in its own file and assembles
 * them, so the compiler proves both engines cover the whole interface.
 */
import type { Store } from './store.ts';

export type ClinicStore = Pick<
  Store,
  'getFirstClinic' | 'getClinic' | 'createClinicWithFirstAdmin' | 'updateClinicSettings'
>;
export type UserStore = Pick<
  Store,
  'findUserByEmail' | 'getUser' | 'listUsers' | 'countUsersWithRole' | 'setUserRoles' | 'updatePasswordHash'
>;
export type InviteStore = Pick<
  Store,
  'createInvite' | 'findInviteByTokenHash' | 'listOpenInvites' | 'revokeInvite' | 'acceptInvite'
>;
export type SessionStore = Pick<
  Store,
  | 'createAuthSession'
  | 'getAuthSession'
  | 'touchAuthSession'
  | 'rotateAuthSession'
  | 'deleteAuthSession'
  | 'deleteAuthSessionsForUser'
  | 'deleteExpiredAuthSessions'
>;
export type MfaStore = Pick<
  Store,
  | 'getTotp'
  | 'savePendingTotp'
  | 'confirmTotp'
  | 'useTotpStep'
  | 'replaceRecoveryCodes'
  | 'useRecoveryCode'
  | 'countUnusedRecoveryCodes'
>;
export type AuditStore = Pick<Store, 'appendAudit' | 'listAudit' | 'verifyAuditChain'>;
export type DocumentStore = Pick<
  Store,
  | 'createDocument'
  | 'getDocument'
  | 'appendDocUpdates'
  | 'loadDocState'
  | 'compactDoc'
  | 'readDocUpdates'
  | 'claimDocClients'
>;
export type EventStore = Pick<
  Store,
  'createEventStream' | 'getEventStream' | 'appendEvents' | 'readEvents' | 'lastEventSeq'
>;
export type GroupStore = Pick<
  Store,
  | 'createGroup'
  | 'getGroup'
  | 'listGroups'
  | 'listGroupIdsOfStaff'
  | 'updateGroup'
  | 'listGroupStaff'
  | 'setGroupStaff'
  | 'enrolParticipant'
  | 'withdrawEnrolment'
  | 'listRoster'
  | 'updateParticipant'
  | 'giveConsent'
  | 'revokeConsent'
  | 'countActiveEnrolments'
  | 'createGroupSession'
  | 'getGroupSession'
  | 'findGroupSessionByStream'
  | 'listGroupSessions'
  | 'rescheduleGroupSession'
  | 'cancelGroupSession'
>;
export type TabletStore = Pick<
  Store,
  | 'createJoinCode'
  | 'findJoinCodeByHash'
  | 'redeemJoinCode'
  | 'recordJoinCodeFailure'
  | 'getTabletSession'
  | 'findTabletByDevice'
  | 'listTabletSessions'
  | 'claimTabletParticipant'
  | 'moveTablet'
  | 'endTablets'
  | 'tabletsEndedAt'
>;
export type HomeStore = Pick<
  Store,
  | 'issueAccessCard'
  | 'findAccessCardByHash'
  | 'createHomeSession'
  | 'getHomeSession'
  | 'touchHomeSession'
  | 'deleteHomeSession'
>;
export type JournalStore = Pick<
  Store,
  | 'createJournal'
  | 'getJournalByParticipant'
  | 'appendJournalBlob'
  | 'listJournalBlobs'
  | 'compactJournal'
  | 'replaceJournalPassphrase'
  | 'recordJournalUnlockFailure'
  | 'listJournalUnlockFailures'
  | 'takeJournalUnlockFailures'
>;
