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
export { isSetupNeeded, setUpClinic } from './setup.ts';
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
export { openEventStream, announceJoin, runStreamCommand } from './event-streams.ts';
export type { OpenedStream, CommandOutcome } from './event-streams.ts';
export {
  listGroups,
  createGroup,
  getGroup,
  updateGroup,
  setGroupStaff,
  enrolParticipant,
  withdrawParticipant,
} from './groups.ts';
export type { GroupSummaryView, GroupView, GroupStaffView, ParticipantView } from './groups.ts';
export { scheduleSession, listSessions, getSession } from './group-sessions.ts';
export type { GroupSessionView } from './group-sessions.ts';
