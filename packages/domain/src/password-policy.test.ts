import { describe, expect, it } from 'vitest';
import { findPasswordProblem, normalisePassword, PASSWORD_MAX_LENGTH } from './password-policy.ts';

describe('password policy', () => {
  it.each([
    ['short', 'too_short'],
    ['password1234', 'too_common'],
    ['zzzzzzzzzzzzzzzz', 'too_common'],
    ['x'.repeat(PASSWORD_MAX_LENGTH) + 'yz', 'too_long'],
    ['correct horse battery staple', null],
  ])('%j → %s', (password, expected) => {
    expect(findPasswordProblem(password)).toBe(expected);
  });

  it('refuses a password containing the email name', () => {
    expect(findPasswordProblem('my-maria.lopez-secret', 'maria.lopez@example.org')).toBe('contains_email');
  });

  it('[BI-A13] NFC and NFD forms normalise to the same string', () => {
    const nfc = 'contraseña segura café';
    const nfd = nfc.normalize('NFD');
    expect(nfd).not.toBe(nfc);
    expect(normalisePassword(nfd)).toBe(normalisePassword(nfc));
  });

  it('counts characters, not UTF-16 units, for the minimum', () => {
    expect(findPasswordProblem('🙂🙂🙂🙂🙂🙂')).toBe('too_short');
  });
});
