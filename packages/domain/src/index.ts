export {
  STAFF_ROLES,
  STAFF_ROLE_LABELS,
  isStaffRole,
  canManageStaff,
  canEditClinicSettings,
  canReadAuditLog,
  wouldRemoveLastAdmin,
} from './roles.ts';
export type { StaffRole } from './roles.ts';
export {
  PASSWORD_MIN_LENGTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MAX_BYTES,
  PASSWORD_PROBLEM_MESSAGES,
  normalisePassword,
  findPasswordProblem,
} from './password-policy.ts';
export type { PasswordProblem } from './password-policy.ts';
export {
  EMAIL_MAX_LENGTH,
  NAME_MAX_LENGTH,
  normaliseEmail,
  emailSchema,
  displayNameSchema,
  passwordSchema,
  staffRolesSchema,
  mfaCodeSchema,
  setupInputSchema,
  loginInputSchema,
  mfaCodeInputSchema,
  inviteInputSchema,
  inviteTokenSchema,
  inviteTokenInputSchema,
  acceptInviteInputSchema,
  rolesUpdateInputSchema,
  clinicSettingsInputSchema,
  minMinutesBeforeDischargeSchema,
  MIN_MINUTES_BEFORE_DISCHARGE_MESSAGE,
  supportEscalateAfterSecondsSchema,
  SUPPORT_ESCALATE_AFTER_SECONDS_MESSAGE,
} from './auth-schemas.ts';
export type {
  SetupInput,
  LoginInput,
  MfaCodeInput,
  InviteInput,
  AcceptInviteInput,
  RolesUpdateInput,
  ClinicSettingsInput,
} from './auth-schemas.ts';
export type { SessionStage, MeView, StaffMemberView, InviteView, ApiError } from './api-views.ts';
export {
  DOCUMENT_KINDS,
  isDocumentKind,
  documentAccess,
  promptDeckAccess,
  circleNotesAccess,
} from './documents.ts';
export type {
  DocumentKind,
  DocumentKindSpec,
  DocumentAccess,
  DocumentFacts,
  RootShape,
  StaffFacts,
} from './documents.ts';
export {
  SESSION_EVENT_TYPES,
  SESSION_COMMAND_TYPES,
  isSessionEventType,
  mayReceiveEvent,
  audienceAdmits,
  mayIssueCommand,
} from './session-events.ts';
export type {
  EventAudience,
  SessionEventType,
  SessionCommandType,
  StreamRecipient,
  EventFacts,
} from './session-events.ts';
export {
  GROUP_MIN_PARTICIPANTS,
  GROUP_MAX_PARTICIPANTS,
  GROUP_FULL_MESSAGE,
  GROUP_STAFF_ROLES,
  GROUP_SESSION_KINDS,
  ROUTES,
  CONSENT_TYPES,
  CONSENT_VERSION,
  GROUP_NAME_MAX,
  PERSON_NAME_MAX,
  PRONOUNS_MAX,
  PHONE_MAX,
  ROOM_MAX,
  REASON_MAX,
  PLAN_MAX_PER_KIND,
  PLANNED_MINUTES_MIN,
  PLANNED_MINUTES_MAX,
  groupInputSchema,
  groupUpdateInputSchema,
  groupStaffInputSchema,
  enrolInputSchema,
  withdrawInputSchema,
  scheduleSessionInputSchema,
  participantUpdateInputSchema,
  consentChangeInputSchema,
  rescheduleSessionInputSchema,
  cancelSessionInputSchema,
  SESSION_STARTED_MESSAGE,
  SESSION_CANCELLED_MESSAGE,
  hasRoomFor,
  isGroupBigEnough,
  canCreateGroup,
  canViewGroup,
  canManageGroup,
  canAssignGroupStaff,
  canSeeGroupStaff,
  mayHoldGroupRole,
} from './groups.ts';
export type {
  GroupStaffRole,
  GroupSessionKind,
  Route,
  ConsentType,
  GroupPlan,
  GroupInput,
  GroupUpdateInput,
  GroupStaffInput,
  EnrolInput,
  WithdrawInput,
  ScheduleSessionInput,
  ParticipantUpdateInput,
  ConsentChangeInput,
  RescheduleSessionInput,
  CancelSessionInput,
} from './groups.ts';
export {
  SESSION_KINDS,
  PHASES,
  PHASE_LABELS,
  phasesOf,
  nextPhase,
  isActivePhase,
  decidePhaseChange,
  seatList,
} from './session-phases.ts';
export type {
  SessionKind,
  SessionPhase,
  SessionStatus,
  SeatFacts,
  PhaseAction,
  PhaseFacts,
  PhaseDecision,
} from './session-phases.ts';
export {
  PARTICIPANT_STATES,
  PARTICIPANT_STATE_LABELS,
  FINAL_PARTICIPANT_STATES,
  DEFAULT_MIN_MINUTES_BEFORE_DISCHARGE,
  MIN_MINUTES_BEFORE_DISCHARGE_MIN,
  MIN_MINUTES_BEFORE_DISCHARGE_MAX,
  MAX_REASON_LENGTH,
  decideParticipantChange,
  nextParticipantStates,
} from './participant-states.ts';
export type {
  ParticipantState,
  StateActor,
  DischargeFacts,
  ParticipantChange,
  ParticipantDecision,
} from './participant-states.ts';
export {
  CROCKFORD_ALPHABET,
  JOIN_CODE_LENGTH,
  JOIN_CODE_LIFETIME_MS,
  ACCESS_CODE_LENGTH,
  TABLET_STATES,
  normaliseCode,
  formatCode,
  redeemJoinCodeInputSchema,
  claimParticipantInputSchema,
  homeSignInInputSchema,
} from './join-codes.ts';
export type { TabletState } from './join-codes.ts';
export {
  initialSnapshot,
  applySessionEvent,
  foldSessionEvents,
  participantStateOf,
} from './session-projection.ts';
export type {
  SessionSnapshot,
  ParticipantSnapshot,
  FoldableEvent,
  PhaseChangedPayload,
  ParticipantStateChangedPayload,
} from './session-projection.ts';
export {
  CHECK_IN_MOMENTS,
  CHECK_IN_ITEM_IDS,
  BODY_SENSATIONS,
  CHECK_IN_TEXT_MAX,
  checkInItemsFor,
  checkInMomentFor,
  checkInAnswersSchema,
  checkInAnswerKind,
  checkInFlags,
} from './check-in-form.ts';
export {
  CHECK_IN_NO_SUCH_ITEM,
  checkInProblem,
  checkInValueProblem,
  checkInItemProblem,
  readCheckInAnswers,
} from './check-in-problems.ts';
export type { CheckInReading } from './check-in-problems.ts';
export type {
  CheckInMoment,
  CheckInItemId,
  BodySensation,
  CheckInAnswers,
  CheckInFlag,
  CheckInAnswerKind,
} from './check-in-form.ts';
export {
  DEFAULT_SUPPORT_ESCALATE_AFTER_MS,
  DEFAULT_SUPPORT_ESCALATE_AFTER_SECONDS,
  SUPPORT_ESCALATE_AFTER_SECONDS_MIN,
  SUPPORT_ESCALATE_AFTER_SECONDS_MAX,
  applySupportEvent,
  supportStatus,
  openRequestOf,
  dueEscalations,
  byUrgency,
} from './support-requests.ts';
export type { SupportRequest, SupportStatus, SupportEvent, SupportRequests } from './support-requests.ts';
export {
  PROMPT_STAGES,
  PROMPT_TEXT_MAX,
  PROMPT_ANSWER_MAX,
  PROMPT_RELEASE_MAX_PARTICIPANTS,
  PROMPT_DECK_ROOT,
  PROMPT_DECK_ITEM_KEYS,
  RETURNED_STATES,
  readPromptDeckItem,
  hasReturned,
  PROMPT_REFUSALS,
  PROMPT_ANSWER_SHARES,
  answerTextProblem,
} from './prompts.ts';
export type { PromptStage, PromptDeckItem, PromptAnswerShare } from './prompts.ts';
export { PROMPT_LIBRARY, libraryPrompt, libraryPromptsOf, libraryByStage } from './prompt-library.ts';
export type { LibraryPrompt } from './prompt-library.ts';
export {
  initialLive,
  applyLiveEvent,
  foldLiveEvents,
  openAlertsFor,
  openUrgentAlertsFor,
  openTasksFor,
  answerDirection,
  urgencyOf,
  byBoardUrgency,
} from './live-projection.ts';
export type {
  LiveSnapshot,
  LiveAlert,
  LiveTask,
  AlertKind,
  AlertSeverity,
  CheckInItemAnswer,
  ParticipantCheckIns,
  TabletPresence,
  UrgencyRank,
} from './live-projection.ts';
export {
  initialPrompts,
  applyPromptEvent,
  foldPromptEvents,
  releaseKey,
  releaseOf,
  isReleasedTo,
  releasedTo,
  holdsSharedAnswers,
  heldAnswersOf,
  promptTracking,
} from './prompt-projection.ts';
export type {
  PromptSnapshot,
  ReleasedPrompt,
  QueuedPrompt,
  PromptAnswer,
  CircleAnswer,
  PromptTracking,
  AnsweredAs,
} from './prompt-projection.ts';
export * from './journal-protocol.ts';
export * from './circle-notes.ts';
export {
  initialNotesRecord,
  applyNotesEvent,
  mayAuthorNotes,
  addendumTextProblem,
} from './circle-notes-record.ts';
export type { NotesRecord, NotesAddendum, NotesEventFacts } from './circle-notes-record.ts';
