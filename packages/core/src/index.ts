export { openCore, createAuthLimiters } from './open-core.ts';
export type { CoreConfig } from './open-core.ts';
export type {
  CoreContext,
  CoreEvents,
  SessionsEnded,
  AuthPolicy,
  AuthLimiters,
  RequestMeta,
} from './context.ts';
export { CoreError, isCoreError } from './errors.ts';
export type { CoreErrorKind } from './errors.ts';
export { DEFAULT_ARGON2, PasswordHasher } from './passwords.ts';
export type { Argon2Params } from './passwords.ts';
export { FailureLimiter } from './rate-limiter.ts';
export { SecretBox } from './secret-box.ts';
export { resolveViewer, sessionIdFromToken, isSessionActive } from './sessions.ts';
export type { Viewer, IssuedSession } from './sessions.ts';
export { isSetupNeeded, setUpClinic, type SetupOptions } from './setup.ts';
export { logIn, logOut, logOutEverywhere } from './login.ts';
export type { LoginResult } from './login.ts';
export {
  startTotpEnrolment,
  confirmTotpEnrolment,
  verifySecondFactor,
  regenerateRecoveryCodes,
} from './mfa.ts';
export type { TotpEnrolment, ConfirmedEnrolment } from './mfa.ts';
export { totpCodeAt } from './totp.ts';
export { inviteStaff, revokeInvite, inspectInvite, acceptInvite } from './invites.ts';
export { listStaff, changeStaffRoles } from './staff.ts';
export type { RoleChange } from './staff.ts';
export { readClinicSettings, updateClinicSettings } from './clinic-settings.ts';
export type { ClinicSettings } from './clinic-settings.ts';
export { recordAudit, readAuditLog } from './audit.ts';
export type { AuditAction, AuditPage } from './audit.ts';
export { toMeView } from './views.ts';
export { requireFullViewer, requireViewer, requireRole } from './guards.ts';
export { openDocument, findUpdateViolation, MAX_STRUCTS_PER_UPDATE } from './documents.ts';
export type { OpenedDocument, UpdateViolation } from './documents.ts';
export { openPromptDeck, promptDeckId } from './prompt-decks.ts';
export type { PromptDeckView } from './prompt-decks.ts';
export {
  openCircleNotes,
  signCircleNotes,
  addNotesAddendum,
  listNoteVersions,
  noteVersionContent,
  restoreNoteVersion,
  openClinicianNote,
  circleNotesId,
  clinicianNoteId,
} from './circle-notes.ts';
export { notesSigned } from './notes-record.ts';
export { findContentViolation } from './content-check.ts';
export type { ContentViolation } from './content-check.ts';
export { openEventStream, announceJoin, runStreamCommand } from './event-streams.ts';
export { escalateDueSupport, SYSTEM_ACTOR } from './support-escalation.ts';
export type { EscalationSweep } from './support-escalation.ts';
export { recordTabletPresence } from './tablet-presence.ts';
export { LIVE_REFUSALS } from './live-commands.ts';
export type { OpenedStream, CommandOutcome } from './event-streams.ts';
export {
  listGroups,
  createGroup,
  getGroup,
  getGroupStaff,
  updateGroup,
  setGroupStaff,
  enrolParticipant,
  withdrawParticipant,
} from './groups.ts';
export type { GroupSummaryView, GroupView, GroupStaffView, ParticipantView } from './groups.ts';
export { scheduleSession, listSessions, getSession, getSessionState } from './group-sessions.ts';
export { rescheduleSession, cancelSession } from './session-scheduling.ts';
export { updateParticipant, changeConsent } from './participant-editing.ts';
export type { GroupSessionView, SessionStateView } from './group-sessions.ts';
export type { SessionSeat } from './session-state.ts';
export { createJoinCode, redeemJoinCode } from './join-codes.ts';
export type { IssuedJoinCode, IssuedTablet, RedeemedView } from './join-codes.ts';
export { INVALID_CODE_MESSAGE } from './join-code-failures.ts';
export {
  resolveTablet,
  claimParticipant,
  tabletMe,
  signOutTablet,
  isTabletAdmitted,
  newSweepMemo,
} from './tablet-sign-in.ts';
export type { TabletMeView, SweepMemo } from './tablet-sign-in.ts';
export { listTablets, decideTablet, endSessionTablets } from './tablet-admission.ts';
export type { TabletView } from './tablet-admission.ts';
export { setStreamAnnouncer, canRunTablets, TABLET_LIFETIME_MS } from './tablets.ts';
export type { TabletMeta, TabletGrant, StreamAnnouncer } from './tablets.ts';
export { JOIN_CODE_MAX_FAILURES } from './tablet-limits.ts';
export {
  issueAccessCard,
  homeSignIn,
  resolveHomeViewer,
  homeMe,
  homeSignOut,
  HOME_IDLE_MS,
  HOME_LIFETIME_MS,
} from './home-access.ts';
export type { IssuedAccessCard, HomeViewer, IssuedHomeSession, HomeMeView } from './home-access.ts';
export { requireJournalPrincipal } from './journal-principal.ts';
export type { JournalPrincipal, JournalCredentials } from './journal-principal.ts';
export {
  journalStatus,
  setUpJournal,
  requireJournal,
  appendJournalBlob,
  fetchJournalBlobs,
  compactJournal,
  changeJournalPassphrase,
} from './journals.ts';
export { unlockJournal, unlockWaitSeconds } from './journal-unlock.ts';
