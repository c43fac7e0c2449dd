import { describe, expect, it } from 'vitest';
import { generateRecoveryCodes, hashRecoveryCode, normaliseRecoveryCode } from './recovery-codes.ts';

describe('recovery codes', () => {
  it('makes 10 distinct XXXXX-XXXXX codes whose hashes match what a person types back', () => {
    const { codes, hashes } = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const [i, code] of codes.entries()) {
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
      expect(hashRecoveryCode(normaliseRecoveryCode(code.toLowerCase().replace('-', ' '))!)).toBe(hashes[i]);
    }
  });

  it.each([
    ['abcde-fghjk', 'ABCDEFGHJK'],
    ['OOOOO IIIII', '0000011111'],
    ['lllll-00000', '1111100000'],
    ['ABCDE', null],
    ['ABCDE-FGHJKU', null],
    ['ABCDE-FGHJ!', null],
  ])('normalises %j to %j', (input, expected) => {
    expect(normaliseRecoveryCode(input)).toBe(expected);
  });
});
