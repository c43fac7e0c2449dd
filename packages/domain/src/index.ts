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
export { DOCUMENT_KINDS, isDocumentKind, documentAccess } from './documents.ts';
export type {
  DocumentKind,
  DocumentKindSpec,
  DocumentAccess,
  DocumentFacts,
  RootShape,
  StaffFacts,
} from './documents.ts';
