/**
 * Request bodies of the staff-account API, shared by the browser forms and the server.
 * Every object is strict: an unknown field is a 400, never silently ignored (ASVS 15.3.3,
 * BI-A11 mass assignment).
 */
import { z } from 'zod';
import { MIN_MINUTES_BEFORE_DISCHARGE_MAX, MIN_MINUTES_BEFORE_DISCHARGE_MIN } from './participant-states.ts';
import { PASSWORD_MAX_BYTES } from './password-policy.ts';
import { STAFF_ROLES } from './roles.ts';
import {
  SUPPORT_ESCALATE_AFTER_SECONDS_MAX,
  SUPPORT_ESCALATE_AFTER_SECONDS_MIN,
} from './support-requests.ts';

export const EMAIL_MAX_LENGTH = 254;
export const NAME_MAX_LENGTH = 120;

export function normaliseEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase();
}

// Reject NUL and other C0 controls in names: they spoof nothing useful and break exports.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export const emailSchema = z
  .string()
  .trim()
  .max(EMAIL_MAX_LENGTH, 'Email address is too long.')
  .pipe(z.email('Enter a valid email address.'))
  .transform(normaliseEmail);

export const displayNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a name.')
  .max(NAME_MAX_LENGTH, `Use at most ${NAME_MAX_LENGTH} characters.`)
  .refine((s) => !CONTROL_CHARS.test(s), 'The name contains characters that are not allowed.');

/**
 * Only the byte cap here: the server checks the full policy (and the byte cap again) itself so
 * that a hostile 1 MB string is refused before normalisation or hashing.
 */
export const passwordSchema = z
  .string()
  .min(1, 'Enter your password.')
  .refine((s) => utf8Length(s) <= PASSWORD_MAX_BYTES, 'Password is too long.');

function utf8Length(s: string): number {
  // Each UTF-16 unit is at least one byte: a long string fails without being encoded.
  if (s.length > PASSWORD_MAX_BYTES) return s.length;
  return new TextEncoder().encode(s).length;
}

export const clinicNameSchema = displayNameSchema;

export const staffRolesSchema = z
  .array(z.enum(STAFF_ROLES))
  .min(1, 'Choose at least one role.')
  .max(STAFF_ROLES.length)
  .transform((roles) => [...new Set(roles)]);

/** A 6-digit TOTP code, or a recovery code (10 Crockford characters, a hyphen optional). */
export const mfaCodeSchema = z
  .string()
  .trim()
  .min(6, 'Enter the 6-digit code from your authenticator app.')
  .max(32, 'That code is too long.');

export const setupInputSchema = z.strictObject({
  clinicName: clinicNameSchema,
  displayName: displayNameSchema,
  email: emailSchema,
  password: passwordSchema,
});
export type SetupInput = z.infer<typeof setupInputSchema>;

export const loginInputSchema = z.strictObject({
  email: z
    .string()
    .max(EMAIL_MAX_LENGTH * 4)
    .transform(normaliseEmail),
  password: passwordSchema,
});
export type LoginInput = z.infer<typeof loginInputSchema>;

export const mfaCodeInputSchema = z.strictObject({ code: mfaCodeSchema });
export type MfaCodeInput = z.infer<typeof mfaCodeInputSchema>;

export const inviteInputSchema = z.strictObject({
  email: emailSchema,
  roles: staffRolesSchema,
});
export type InviteInput = z.infer<typeof inviteInputSchema>;

/** Invite tokens are 32 bytes in base64url: 43 characters. */
export const inviteTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'This invite link is not valid.');

export const inviteTokenInputSchema = z.strictObject({ token: inviteTokenSchema });

export const acceptInviteInputSchema = z.strictObject({
  token: inviteTokenSchema,
  displayName: displayNameSchema,
  password: passwordSchema,
});
export type AcceptInviteInput = z.infer<typeof acceptInviteInputSchema>;

export const rolesUpdateInputSchema = z.strictObject({ roles: staffRolesSchema });
export type RolesUpdateInput = z.infer<typeof rolesUpdateInputSchema>;

export const MIN_MINUTES_BEFORE_DISCHARGE_MESSAGE = `Use a whole number of minutes from ${MIN_MINUTES_BEFORE_DISCHARGE_MIN} to ${MIN_MINUTES_BEFORE_DISCHARGE_MAX}.`;

/** The clinic's own discharge minimum: a clinic-configurable default, not medical advice. */
export const minMinutesBeforeDischargeSchema = z
  .number({ error: MIN_MINUTES_BEFORE_DISCHARGE_MESSAGE })
  .int(MIN_MINUTES_BEFORE_DISCHARGE_MESSAGE)
  .min(MIN_MINUTES_BEFORE_DISCHARGE_MIN, MIN_MINUTES_BEFORE_DISCHARGE_MESSAGE)
  .max(MIN_MINUTES_BEFORE_DISCHARGE_MAX, MIN_MINUTES_BEFORE_DISCHARGE_MESSAGE);

export const SUPPORT_ESCALATE_AFTER_SECONDS_MESSAGE = `Use a whole number of seconds from ${SUPPORT_ESCALATE_AFTER_SECONDS_MIN} to ${SUPPORT_ESCALATE_AFTER_SECONDS_MAX}.`;

/**
 * How long an "I need support" request may wait unanswered before every on-duty staff member
 * is paged: a clinic-configurable default, not medical advice (support-requests.ts).
 */
export const supportEscalateAfterSecondsSchema = z
  .number({ error: SUPPORT_ESCALATE_AFTER_SECONDS_MESSAGE })
  .int(SUPPORT_ESCALATE_AFTER_SECONDS_MESSAGE)
  .min(SUPPORT_ESCALATE_AFTER_SECONDS_MIN, SUPPORT_ESCALATE_AFTER_SECONDS_MESSAGE)
  .max(SUPPORT_ESCALATE_AFTER_SECONDS_MAX, SUPPORT_ESCALATE_AFTER_SECONDS_MESSAGE);

/** Any of the clinic's settings; at least one. */
export const clinicSettingsInputSchema = z
  .strictObject({
    mfaRequired: z.boolean({ error: 'Use true or false.' }).optional(),
    minMinutesBeforeDischarge: minMinutesBeforeDischargeSchema.optional(),
    supportEscalateAfterSeconds: supportEscalateAfterSecondsSchema.optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'Change at least one thing.');
export type ClinicSettingsInput = z.infer<typeof clinicSettingsInputSchema>;
