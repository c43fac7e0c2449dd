/**
 * Is a journal passphrase strong enough? Nobody at the clinic can reset it and the server
 * cannot rate-limit an offline guesser who has a copy of the database, so the bar is higher
 * than for a sign-in password: 12 characters (or four words), nothing from the lists people
 * reach for first, and no single repeated character or keyboard run. Argon2id makes each guess
 * slow; this makes the first million guesses miss.
 */
import { m } from '../paraglide/messages.js';

export type PassphraseProblem = 'too_short' | 'too_long' | 'common' | 'pattern' | 'digits_only';

export const PASSPHRASE_MIN_LENGTH = 12;
export const PASSPHRASE_MIN_WORDS = 4;
export const PASSPHRASE_MAX_LENGTH = 512;

/**
 * Words and fragments of the passphrases people pick first. A passphrase made of nothing but
 * these (in any case, with any digits and symbols around them) is refused.
 */
const COMMON_PARTS = [
  'correcthorsebatterystaple',
  'password',
  'passphrase',
  'passwort',
  'contrasena',
  'contraseña',
  'pass',
  'word',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  'qwerty',
  'qwertz',
  'azerty',
  'asdf',
  'zxcv',
  'iloveyou',
  'teamo',
  'love',
  'letmein',
  'welcome',
  'bienvenido',
  'admin',
  'secret',
  'secreto',
  'journal',
  'diary',
  'diario',
  'cairn',
  'ketamine',
  'therapy',
  'changeme',
  'trustno',
  'monkey',
  'dragon',
  'sunshine',
  'football',
  'princess',
  'hello',
  'hola',
  'test',
  'abc',
  'my',
  'mi',
  'the',
];

const ONLY_COMMON = new RegExp(`^(?:${[...COMMON_PARTS].sort((a, b) => b.length - a.length).join('|')})+$`);

const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', '1234567890', 'abcdefghijklmnopqrstuvwxyz'];

function characters(text: string): string[] {
  return [...text];
}

function distinctWords(text: string): number {
  const words = text
    .toLowerCase()
    .split(/[\s\-_.,;:]+/u)
    .filter((word) => [...word].length >= 2);
  return new Set(words).size;
}

/** Every step is +1 or −1 along the alphabet, the digits or a keyboard row ("abcdef…", "9876…"). */
function isRun(text: string): boolean {
  const lower = text.toLowerCase();
  if (lower.length < 4) return false;
  return KEYBOARD_ROWS.some((row) => row.includes(lower) || [...row].reverse().join('').includes(lower));
}

/** The problem with a passphrase, or null when it is good enough. */
export function passphraseProblem(passphrase: string): PassphraseProblem | null {
  const length = characters(passphrase).length;
  if (length > PASSPHRASE_MAX_LENGTH) return 'too_long';
  const compact = passphrase.replace(/\s+/gu, '');
  if (compact.length > 0 && /^(.{1,4})\1+$/su.test(compact)) return 'pattern';
  if (isRun(compact)) return 'pattern';
  if (/^[\d\s\-./]+$/u.test(passphrase) && compact.length > 0) {
    return length < PASSPHRASE_MIN_LENGTH ? 'too_short' : 'digits_only';
  }
  const letters = passphrase
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}]+/gu, '');
  if (letters.length === 0 || ONLY_COMMON.test(letters)) {
    return length < PASSPHRASE_MIN_LENGTH && distinctWords(passphrase) < PASSPHRASE_MIN_WORDS
      ? 'too_short'
      : 'common';
  }
  if (length < PASSPHRASE_MIN_LENGTH && distinctWords(passphrase) < PASSPHRASE_MIN_WORDS) return 'too_short';
  return null;
}

/** The problem in the reader's language: what is wrong and what to do instead. */
export function passphraseProblemText(problem: PassphraseProblem): string {
  switch (problem) {
    case 'too_short':
      return m.journal_passphrase_too_short({ min: PASSPHRASE_MIN_LENGTH, words: PASSPHRASE_MIN_WORDS });
    case 'too_long':
      return m.journal_passphrase_too_long({ max: PASSPHRASE_MAX_LENGTH });
    case 'common':
      return m.journal_passphrase_common();
    case 'pattern':
      return m.journal_passphrase_pattern();
    case 'digits_only':
      return m.journal_passphrase_digits_only();
  }
}
