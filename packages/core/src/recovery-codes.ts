/**
 * One-time recovery codes: 10 codes of 10 Crockford base32 characters (50 bits each), shown
 * once as `XXXXX-XXXXX`. Only their SHA-256 is stored; the entropy makes a slow hash needless.
 */
import { randomInt } from 'node:crypto';
import { sha256Hex } from './tokens.ts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const RECOVERY_CODE_COUNT = 10;

/** New codes to show once, and the hashes to store. */
export function generateRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const codes = generateCodes();
  const hashes = codes.map((code) => hashRecoveryCode(code.replace('-', '')));
  return { codes, hashes };
}

function generateCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    let raw = '';
    for (let i = 0; i < 10; i++) raw += CROCKFORD[randomInt(CROCKFORD.length)];
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
}

/** Accepts lower case, spaces, hyphens and the look-alikes Crockford folds (O→0, I/L→1). */
export function normaliseRecoveryCode(input: string): string | null {
  const folded = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{10}$/.test(folded)) return null;
  return folded;
}

export function hashRecoveryCode(normalised: string): string {
  return sha256Hex(`recovery:${normalised}`);
}
