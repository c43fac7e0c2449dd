import { describe, expect, it } from 'vitest';
import { newRecoveryCode, normaliseRecoveryCode, recoveryCodeBytes } from './recovery-code.ts';

describe('recovery code', () => {
  it('is 24 Crockford base32 characters in six groups of four, 120 random bits', () => {
    const codes = new Set<string>();
    for (let i = 0; i < 200; i += 1) {
      const code = newRecoveryCode();
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}$/);
      expect(recoveryCodeBytes(code)).toHaveLength(15);
      codes.add(code);
    }
    expect(codes.size).toBe(200);
  });

  it('bytes survive the round trip through the text', () => {
    const code = newRecoveryCode();
    const bytes = recoveryCodeBytes(code)!;
    expect(recoveryCodeBytes(code.replaceAll('-', ''))).toEqual(bytes);
  });

  it.each([
    ['abcd-efgh-jkmn-pqrs-tvwx-yz01', 'ABCDEFGHJKMNPQRSTVWXYZ01'],
    ['  ABCD EFGH JKMN PQRS TVWX YZ01 ', 'ABCDEFGHJKMNPQRSTVWXYZ01'],
    ['ABCD--EFGH-JKMN-PQRS-TVWX-YZOl', 'ABCDEFGHJKMNPQRSTVWXYZ01'],
    ['oooo-iiii-llll-0000-1111-2222', '000011111111000011112222'],
    ['ABCD\tEFGH\nJKMN PQRS-TVWXYZ0I', 'ABCDEFGHJKMNPQRSTVWXYZ01'],
  ])('[BI-J4] normalises %j', (typed, canonical) => {
    expect(normaliseRecoveryCode(typed)).toBe(canonical);
  });

  it.each([
    ['too short', 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ0'],
    ['too long', 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2'],
    ['U is not Crockford', 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ0U'],
    ['punctuation', 'ABCD.EFGH.JKMN.PQRS.TVWX.YZ01'],
    ['empty', ''],
  ])('[BI-J4] refuses %s', (_name, typed) => {
    expect(normaliseRecoveryCode(typed)).toBeNull();
    expect(recoveryCodeBytes(typed)).toBeNull();
  });
});
