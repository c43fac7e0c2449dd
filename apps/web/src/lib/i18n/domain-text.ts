/**
 * The domain's validation messages in the reader's language. @cairn/domain's zod schemas (used
 * by the forms before sending, and by the server, which sends the same sentences back in
 * `fields`) speak English; rather than make the domain know about languages, the web app
 * recognises each sentence and says it again. A sentence not listed here is shown as it came.
 */
import {
  MIN_MINUTES_BEFORE_DISCHARGE_MAX,
  MIN_MINUTES_BEFORE_DISCHARGE_MESSAGE,
  MIN_MINUTES_BEFORE_DISCHARGE_MIN,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_PROBLEM_MESSAGES,
} from '@cairn/domain';
import { m } from '#lib/paraglide/messages.js';

const EXACT = new Map<string, () => string>([
  ['Enter a name.', m.validation_enter_name],
  ['Enter a phone number.', m.validation_enter_phone],
  ['Enter a reason.', m.validation_enter_reason],
  ['This contains characters that are not allowed.', m.validation_bad_characters],
  ['The name contains characters that are not allowed.', m.validation_bad_characters],
  ['Enter a valid email address.', m.validation_email_invalid],
  ['Email address is too long.', m.validation_email_too_long],
  ['Enter your password.', m.validation_enter_password],
  ['Password is too long.', m.validation_password_too_long],
  ['Choose at least one role.', m.validation_choose_role],
  ['Enter the 6-digit code from your authenticator app.', m.validation_enter_totp],
  ['Enter a phone number (digits, spaces, + ( ) - .).', m.validation_enter_phone],
  ['Use a whole number.', m.validation_whole_number],
  ['Choose a date between 2000 and 2100.', m.validation_date_range],
  [
    MIN_MINUTES_BEFORE_DISCHARGE_MESSAGE,
    () =>
      m.validation_minutes_range({
        min: MIN_MINUTES_BEFORE_DISCHARGE_MIN,
        max: MIN_MINUTES_BEFORE_DISCHARGE_MAX,
      }),
  ],
  [PASSWORD_PROBLEM_MESSAGES.too_short, () => m.validation_password_too_short({ min: PASSWORD_MIN_LENGTH })],
  [PASSWORD_PROBLEM_MESSAGES.too_long, () => m.validation_max_chars({ max: PASSWORD_MAX_LENGTH })],
  [PASSWORD_PROBLEM_MESSAGES.too_common, m.validation_password_too_common],
  [PASSWORD_PROBLEM_MESSAGES.contains_email, m.validation_password_contains_email],
]);

const MAX_CHARS = /^Use at most (\d+) characters\.$/;

export function translateDomainText(text: string): string {
  const exact = EXACT.get(text);
  if (exact) return exact();
  const max = MAX_CHARS.exec(text);
  if (max) return m.validation_max_chars({ max: Number(max[1]) });
  return text;
}

/** Every field message of a form, translated. */
export function translateFieldErrors(fields: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields ?? {}).map(([key, text]) => [key, translateDomainText(text)]),
  );
}
