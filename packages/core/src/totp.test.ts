import { describe, expect, it } from 'vitest';
import { generateTotpSecret, matchTotpStep, totpCodeAt } from './totp.ts';

describe('TOTP', () => {
  const secret = generateTotpSecret();
  const now = new Date('2026-11-21T10:00:15Z');
  const step = Math.floor(now.getTime() / 30_000);

  it('matches the current code to its time step, and tolerates one step of clock drift', () => {
    expect(matchTotpStep(secret, totpCodeAt(secret, now), now)).toBe(step);
    expect(matchTotpStep(secret, totpCodeAt(secret, new Date(now.getTime() - 30_000)), now)).toBe(step - 1);
    expect(matchTotpStep(secret, totpCodeAt(secret, new Date(now.getTime() + 30_000)), now)).toBe(step + 1);
  });

  it('refuses codes two steps away and anything that is not six digits', () => {
    expect(matchTotpStep(secret, totpCodeAt(secret, new Date(now.getTime() - 60_000)), now)).toBeNull();
    for (const bad of ['', '12345', '1234567', 'abcdef', '12 34 5x'])
      expect(matchTotpStep(secret, bad, now)).toBeNull();
  });

  it('accepts a code typed with a space in the middle', () => {
    const code = totpCodeAt(secret, now);
    expect(matchTotpStep(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now)).toBe(step);
  });
});
