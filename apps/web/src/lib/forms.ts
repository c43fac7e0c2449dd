/**
 * Small helpers the forms share: turning schema issues into per-field messages and checking
 * the password rules the server will apply anyway, so people learn about them while typing.
 */
import { PASSWORD_PROBLEM_MESSAGES, findPasswordProblem } from '@cairn/domain';
import { translateDomainText } from './i18n/domain-text.ts';
import { m } from './paraglide/messages.js';

export type FieldErrors = Record<string, string>;

interface Issue {
  path: PropertyKey[];
  message: string;
}

/** First message per top-level field, in the order the schema reports them, in the reader's language. */
export function issuesToFieldErrors(issues: readonly Issue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = String(issue.path[0] ?? 'form');
    errors[key] ??= translateDomainText(issue.message);
  }
  return errors;
}

/**
 * First message per field of a nested form, keyed by dotted path (`emergencyContact.phone`), the
 * same keys the server uses in `fields`; in the reader's language.
 */
export function issuesToPathErrors(issues: readonly Issue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.') || 'form';
    errors[key] ??= translateDomainText(issue.message);
  }
  return errors;
}

/** The policy message for a new password, or `null` when it passes. */
export function passwordPolicyMessage(password: string, email?: string): string | null {
  const problem = findPasswordProblem(password, email);
  return problem === null ? null : translateDomainText(PASSWORD_PROBLEM_MESSAGES[problem]);
}

export function confirmProblem(password: string, confirm: string): string | null {
  if (confirm === '') return m.validation_confirm_password();
  if (confirm !== password) return m.validation_passwords_differ();
  return null;
}

/** Checks a new password and its confirmation, adding messages to `errors`. */
export function checkNewPassword(
  errors: FieldErrors,
  password: string,
  confirm: string,
  email?: string,
): void {
  const problem = passwordPolicyMessage(password, email);
  if (problem !== null) errors.password = problem;
  const mismatch = confirmProblem(password, confirm);
  if (mismatch !== null) errors.confirm = mismatch;
}

/** Moves focus to the first field with an error, so keyboard and screen-reader users land on it. */
export function focusFirstInvalid(form: HTMLFormElement | undefined): void {
  queueMicrotask(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}

/** A 6-digit authenticator code; spaces people type between groups are dropped. */
export function normaliseTotp(code: string): string {
  return code.replace(/\s+/g, '');
}

export function isTotp(code: string): boolean {
  return /^\d{6}$/.test(code);
}
