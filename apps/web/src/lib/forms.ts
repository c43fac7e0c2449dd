/**
 * Small helpers the forms share: turning schema issues into per-field messages and checking
 * the password rules the server will apply anyway, so people learn about them while typing.
 */
import { PASSWORD_PROBLEM_MESSAGES, findPasswordProblem } from '@cairn/domain';

export type FieldErrors = Record<string, string>;

interface Issue {
  path: PropertyKey[];
  message: string;
}

/** First message per top-level field, in the order the schema reports them. */
export function issuesToFieldErrors(issues: readonly Issue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = String(issue.path[0] ?? 'form');
    errors[key] ??= issue.message;
  }
  return errors;
}

/** The policy message for a new password, or `null` when it passes. */
export function passwordPolicyMessage(password: string, email?: string): string | null {
  const problem = findPasswordProblem(password, email);
  return problem === null ? null : PASSWORD_PROBLEM_MESSAGES[problem];
}

export function confirmProblem(password: string, confirm: string): string | null {
  if (confirm === '') return 'Type the password again to confirm it.';
  if (confirm !== password) return 'The two passwords do not match.';
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
