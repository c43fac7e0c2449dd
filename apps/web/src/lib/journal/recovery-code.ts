/**
 * The journal's recovery code: 120 random bits a participant prints or writes down at set-up
 * and types back in when the passphrase is lost. Crockford base32 (no I, L, O, U) so it reads
 * aloud and copies by hand without ambiguity; 24 characters shown in six groups of four.
 */
import { randomBytes } from './bytes.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const RECOVERY_CODE_BYTES = 15;
export const RECOVERY_CODE_LENGTH = 24;

/** A new code, formatted for display: `ABCD-EFGH-…` (six groups). */
export function newRecoveryCode(): string {
  return formatRecoveryCode(encode(randomBytes(RECOVERY_CODE_BYTES)));
}

function formatRecoveryCode(characters: string): string {
  return characters.match(/.{4}/g)!.join('-');
}

/**
 * What the participant typed, as the 24 canonical characters, or null when it cannot be a
 * code. Forgiving about what people do when copying by hand: any case, spaces and hyphens
 * anywhere, O for zero, I or L for one (Crockford's own rules).
 */
export function normaliseRecoveryCode(typed: string): string | null {
  const characters = typed
    .toUpperCase()
    .replace(/[\s-]+/g, '')
    .replaceAll('O', '0')
    .replace(/[IL]/g, '1');
  if (characters.length !== RECOVERY_CODE_LENGTH) return null;
  for (const character of characters) if (!ALPHABET.includes(character)) return null;
  return characters;
}

/** The code's 15 secret bytes (the HKDF input), or null when it is not a code. */
export function recoveryCodeBytes(typed: string): Uint8Array<ArrayBuffer> | null {
  const characters = normaliseRecoveryCode(typed);
  return characters === null ? null : decode(characters);
}

function encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}

function decode(characters: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(RECOVERY_CODE_BYTES);
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (const character of characters) {
    buffer = (buffer << 5) | ALPHABET.indexOf(character);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (buffer >> bits) & 0xff;
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}
