/**
 * Password rules shared by the browser (instant feedback) and the server (the decision).
 * ASVS 6.2: length over composition, no composition rules, refuse well-known passwords.
 */
export const PASSWORD_MIN_LENGTH = 12;
/** Cap in characters, checked after NFC normalisation and before any hashing (BI-A13). */
export const PASSWORD_MAX_LENGTH = 256;
/** A cheap byte cap the server applies before even normalising a hostile string. */
export const PASSWORD_MAX_BYTES = 1024;

/**
 * Normalise so that the same password typed on a Mac (NFD input methods) and a tablet (NFC)
 * verifies the same way.
 */
export function normalisePassword(password: string): string {
  return password.normalize('NFC');
}

// A short list of the passwords that lead every breach corpus. A self-hosted box cannot query
// a breach API, so this catches the worst offenders; the length rule does the rest.
const COMMON_PASSWORDS = new Set([
  '123456789012',
  '1234567890123',
  'password1234',
  'passwordpassword',
  'qwertyuiopas',
  'qwerty123456',
  '111111111111',
  '000000000000',
  'iloveyou1234',
  'letmein12345',
  'welcome12345',
  'changeme1234',
  'administrator',
  'password12345',
  'abc123456789',
  'aaaaaaaaaaaa',
]);

export type PasswordProblem = 'too_short' | 'too_long' | 'too_common' | 'contains_email';

export const PASSWORD_PROBLEM_MESSAGES: Record<PasswordProblem, string> = {
  too_short: `Use at least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words work well.`,
  too_long: `Use at most ${PASSWORD_MAX_LENGTH} characters.`,
  too_common: 'This password is too common. Choose something less predictable.',
  contains_email: 'The password must not contain your email address.',
};

export function findPasswordProblem(password: string, email?: string): PasswordProblem | null {
  const normalised = normalisePassword(password);
  const length = [...normalised].length;
  if (length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (length > PASSWORD_MAX_LENGTH) return 'too_long';
  const lower = normalised.toLowerCase();
  if (COMMON_PASSWORDS.has(lower) || new Set(lower).size <= 2) return 'too_common';
  const local = email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return 'contains_email';
  return null;
}
