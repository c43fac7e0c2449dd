/**
 * Groups (cohorts), their staff, participants and scheduled sessions (PRODUCT §2,
 * clinical.md §7.2): the request bodies, the size rule and who may do what.
 *
 * Every object is strict: an unknown field is a 400, never silently ignored (BI-A11). Text is
 * trimmed, bounded and refuses control characters.
 *
 * Permissions. Creating a group: an admin or a facilitator (a facilitator who creates one is
 * its first facilitator). Everything inside a group — its roster, contacts, consents,
 * sessions and their streams — is clinical content and belongs to the group's own staff:
 * viewing needs any role in that group; editing the group, enrolling, withdrawing and
 * scheduling need the facilitator role in that group. A clinic admin manages staff and settings,
 * not clinical content (PRODUCT §1), so an admin who is not on a group's staff may create groups,
 * see the clinic's list of groups (names and plans, no people) and assign a group's staff, but
 * cannot see or change its participants or sessions.
 */
import { z } from 'zod';
import { GROUP_MAX_PARTICIPANTS, GROUP_MIN_PARTICIPANTS } from './group-size.ts';
import type { StaffRole } from './roles.ts';
import { SESSION_KINDS, type SessionKind } from './session-phases.ts';

/** The kinds a session can be scheduled as (session-phases.ts owns them). */
export const GROUP_SESSION_KINDS = SESSION_KINDS;
export type GroupSessionKind = SessionKind;

export { GROUP_MIN_PARTICIPANTS, GROUP_MAX_PARTICIPANTS } from './group-size.ts';
export const GROUP_FULL_MESSAGE =
  'A group has at most 12 participants. Withdraw someone first, or start another group.';

export const GROUP_STAFF_ROLES = ['facilitator', 'co_therapist', 'medical_provider'] as const;
export type GroupStaffRole = (typeof GROUP_STAFF_ROLES)[number];

export const ROUTES = ['intramuscular', 'sublingual', 'intravenous', 'intranasal'] as const;
export type Route = (typeof ROUTES)[number];

export const CONSENT_TYPES = ['group_confidentiality_agreement', 'tablet_data_use'] as const;
export type ConsentType = (typeof CONSENT_TYPES)[number];
/** The wording version participants agree to; bump it when the text changes. */
export const CONSENT_VERSION = 1;

export const GROUP_NAME_MAX = 120;
export const PERSON_NAME_MAX = 120;
export const PRONOUNS_MAX = 40;
export const PHONE_MAX = 40;
export const ROOM_MAX = 80;
export const REASON_MAX = 500;
export const PLAN_MAX_PER_KIND = 50;
export const PLANNED_MINUTES_MIN = 30;
export const PLANNED_MINUTES_MAX = 720;

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
/** Half of a surrogate pair on its own: not text, and it breaks exports (BI-A9). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function text(max: number, label: string) {
  return z
    .string()
    .trim()
    .min(1, `Enter ${label}.`)
    .max(max, `Use at most ${max} characters.`)
    .refine(
      (s) => !CONTROL_CHARS.test(s) && !LONE_SURROGATE.test(s),
      'This contains characters that are not allowed.',
    );
}

const phoneSchema = text(PHONE_MAX, 'a phone number').refine(
  (s) => /^[0-9+()\-. ]+$/.test(s) && /[0-9]{3,}/.test(s.replace(/[^0-9]/g, '')),
  'Enter a phone number (digits, spaces, + ( ) - .).',
);

const planCount = z.number().int('Use a whole number.').min(0).max(PLAN_MAX_PER_KIND);

export const groupPlanSchema = z.strictObject({
  preparation: planCount,
  dosing: planCount,
  integration: planCount,
});
export type GroupPlan = z.infer<typeof groupPlanSchema>;

export const groupInputSchema = z.strictObject({
  name: text(GROUP_NAME_MAX, 'a name'),
  plan: groupPlanSchema,
  routeDefault: z.enum(ROUTES),
});
export type GroupInput = z.infer<typeof groupInputSchema>;

export const groupUpdateInputSchema = groupInputSchema
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'Change at least one thing.');
export type GroupUpdateInput = z.infer<typeof groupUpdateInputSchema>;

const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a valid id.');

export const groupStaffMemberSchema = z.strictObject({
  userId: idSchema,
  roles: z
    .array(z.enum(GROUP_STAFF_ROLES))
    .min(1, 'Choose at least one role.')
    .max(GROUP_STAFF_ROLES.length)
    .transform((roles) => [...new Set(roles)]),
});

export const groupStaffInputSchema = z.strictObject({
  staff: z
    .array(groupStaffMemberSchema)
    .max(50, 'At most 50 staff per group.')
    .refine((list) => new Set(list.map((m) => m.userId)).size === list.length, 'Each person once.'),
});
export type GroupStaffInput = z.infer<typeof groupStaffInputSchema>;

const contactSchema = z.strictObject({
  name: text(PERSON_NAME_MAX, 'a name'),
  phone: phoneSchema,
});
const preferredNameSchema = text(PERSON_NAME_MAX, 'a name');
const pronounsSchema = text(PRONOUNS_MAX, 'pronouns');
const reasonSchema = text(REASON_MAX, 'a reason');

export const enrolInputSchema = z.strictObject({
  preferredName: preferredNameSchema,
  pronouns: pronounsSchema.optional(),
  emergencyContact: contactSchema,
  escortContact: contactSchema.optional(),
  consents: z.strictObject({
    groupConfidentialityAgreement: z.boolean(),
    tabletDataUse: z.boolean(),
  }),
});
export type EnrolInput = z.infer<typeof enrolInputSchema>;

/**
 * Correcting what was entered at enrolment, with the same rules. `null` clears what may be
 * empty (pronouns, escort); the name and emergency contact can be replaced, never removed.
 */
export const participantUpdateInputSchema = z
  .strictObject({
    preferredName: preferredNameSchema.optional(),
    pronouns: pronounsSchema.nullable().optional(),
    emergencyContact: contactSchema.optional(),
    escortContact: contactSchema.nullable().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'Change at least one thing.');
export type ParticipantUpdateInput = z.infer<typeof participantUpdateInputSchema>;

/** Giving records a new consent (current wording); revoking marks the current one revoked. */
export const consentChangeInputSchema = z.strictObject({
  type: z.enum(CONSENT_TYPES),
  given: z.boolean(),
});
export type ConsentChangeInput = z.infer<typeof consentChangeInputSchema>;

export const withdrawInputSchema = z.strictObject({
  reason: reasonSchema,
});
export type WithdrawInput = z.infer<typeof withdrawInputSchema>;

const scheduledStartSchema = z.iso
  .datetime({ offset: true, message: 'Use a date and time such as 2026-05-01T09:30:00Z.' })
  .transform((s) => new Date(s))
  .refine(
    (d) => d.getUTCFullYear() >= 2000 && d.getUTCFullYear() <= 2100,
    'Choose a date between 2000 and 2100.',
  );
const plannedMinutesSchema = z
  .number()
  .int('Use a whole number.')
  .min(PLANNED_MINUTES_MIN)
  .max(PLANNED_MINUTES_MAX);
const roomSchema = text(ROOM_MAX, 'a room');

export const scheduleSessionInputSchema = z.strictObject({
  kind: z.enum(SESSION_KINDS),
  scheduledStart: scheduledStartSchema,
  plannedMinutes: plannedMinutesSchema,
  room: roomSchema.optional(),
});
export type ScheduleSessionInput = z.infer<typeof scheduleSessionInputSchema>;

/** Moving a session that has not started; the kind (and so its number) never changes. */
export const rescheduleSessionInputSchema = z
  .strictObject({
    scheduledStart: scheduledStartSchema.optional(),
    plannedMinutes: plannedMinutesSchema.optional(),
    room: roomSchema.nullable().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'Change at least one thing.');
export type RescheduleSessionInput = z.infer<typeof rescheduleSessionInputSchema>;

export const cancelSessionInputSchema = z.strictObject({
  reason: reasonSchema,
});
export type CancelSessionInput = z.infer<typeof cancelSessionInputSchema>;

export const SESSION_STARTED_MESSAGE =
  'This session has already started: it can no longer be moved or cancelled.';
export const SESSION_CANCELLED_MESSAGE = 'This session was cancelled.';

/** Whether one more active enrolment fits. */
export function hasRoomFor(activeEnrolments: number): boolean {
  return activeEnrolments < GROUP_MAX_PARTICIPANTS;
}

/** A group may start only once it has enough people (used by scheduling UIs as a warning). */
export function isGroupBigEnough(activeEnrolments: number): boolean {
  return activeEnrolments >= GROUP_MIN_PARTICIPANTS;
}

/** Clinic roles, not group roles: who may start a new group. */
export function canCreateGroup(roles: readonly StaffRole[]): boolean {
  return roles.includes('admin') || roles.includes('facilitator');
}

/** Roster, contacts, sessions, streams: any role in this group. */
export function canViewGroup(groupRoles: readonly GroupStaffRole[]): boolean {
  return groupRoles.length > 0;
}

/**
 * Edit name/plan, enrol, withdraw, correct a participant's details or consents, schedule,
 * reschedule and cancel: the group's facilitators only.
 */
export function canManageGroup(groupRoles: readonly GroupStaffRole[]): boolean {
  return groupRoles.includes('facilitator');
}

/** Assigning the group's staff: its facilitators, or a clinic admin (staffing is an admin's job). */
export function canAssignGroupStaff(
  clinicRoles: readonly StaffRole[],
  groupRoles: readonly GroupStaffRole[],
): boolean {
  return clinicRoles.includes('admin') || canManageGroup(groupRoles);
}

/**
 * Who may see who is on a group's staff (names and roles, never participants): its own staff,
 * and the clinic's admins, who assign staff without being on it.
 */
export function canSeeGroupStaff(
  clinicRoles: readonly StaffRole[],
  groupRoles: readonly GroupStaffRole[],
): boolean {
  return clinicRoles.includes('admin') || canViewGroup(groupRoles);
}

/** A person can only be given a group role they hold in the clinic. */
export function mayHoldGroupRole(clinicRoles: readonly StaffRole[], role: GroupStaffRole): boolean {
  return clinicRoles.includes(role);
}
