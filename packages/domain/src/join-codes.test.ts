import { describe, expect, it } from 'vitest';
import {
  claimParticipantInputSchema,
  formatCode,
  JOIN_CODE_LENGTH,
  normaliseCode,
  redeemJoinCodeInputSchema,
} from './join-codes.ts';

describe('join codes', () => {
  it('[BI-J4] folds look-alikes, case, spaces and hyphens to one canonical form', () => {
    expect(normaliseCode('AB1D-EF0H', JOIN_CODE_LENGTH)).toBe('ab1def0h');
    expect(normaliseCode('abld efoh', JOIN_CODE_LENGTH)).toBe('ab1def0h');
    expect(normaliseCode(' aBiD-eFOh ', JOIN_CODE_LENGTH)).toBe('ab1def0h');
    expect(normaliseCode('ABLD--EFOH', JOIN_CODE_LENGTH)).toBe('ab1def0h');
  });

  it('[BI-J4] refuses what cannot be a code: wrong length, U, unicode look-alikes', () => {
    expect(normaliseCode('AB1DEF0', JOIN_CODE_LENGTH)).toBeNull();
    expect(normaliseCode('AB1DEF0HH', JOIN_CODE_LENGTH)).toBeNull();
    expect(normaliseCode('AB1DEF0U', JOIN_CODE_LENGTH)).toBeNull();
    expect(normaliseCode('ＡB1DEF0H', JOIN_CODE_LENGTH)).toBeNull(); // full-width A
    expect(normaliseCode('AB1D\u200bEF0H', JOIN_CODE_LENGTH)).toBeNull(); // zero-width space
    expect(normaliseCode('АB1DEF0H', JOIN_CODE_LENGTH)).toBeNull(); // Cyrillic А
    expect(normaliseCode('', JOIN_CODE_LENGTH)).toBeNull();
  });

  it('shows codes upper case in groups of four', () => {
    expect(formatCode('ab1def0h')).toBe('AB1D-EF0H');
    expect(formatCode('0123456789abcdefghjk')).toBe('0123-4567-89AB-CDEF-GHJK');
  });

  it('[BI-A11] bodies are strict and bounded', () => {
    expect(redeemJoinCodeInputSchema.safeParse({ code: 'x'.repeat(65) }).success).toBe(false);
    expect(redeemJoinCodeInputSchema.safeParse({ code: 'ABCD', extra: 1 }).success).toBe(false);
    expect(redeemJoinCodeInputSchema.safeParse({ code: 12345678 }).success).toBe(false);
    expect(claimParticipantInputSchema.safeParse({ participantId: '../x' }).success).toBe(false);
  });
});
