import { describe, expect, it } from 'vitest';
import { passphraseProblem, passphraseProblemText, type PassphraseProblem } from './passphrase-strength.ts';

describe('passphraseProblem', () => {
  it.each<[string, PassphraseProblem | null]>([
    // Good enough.
    ['river stones under winter light', null],
    ['Tortuga verde 42 en la playa', null],
    ['blue kettle', 'too_short'],
    ['blue kettle moss', null],
    ['blue kettle moss ferry', null],
    ['Xq7#mLp2!vRz', null],
    ['mañana llueve sobre Oaxaca', null],
    // Too short, unless four or more different words.
    ['', 'too_short'],
    ['short', 'too_short'],
    ['Xq7#mLp2!vR', 'too_short'],
    ['on an ox go', null],
    ['go go go go', 'pattern'],
    // Common passphrases and their decorations.
    ['password', 'too_short'],
    ['password1234', 'common'],
    ['Password 2024!', 'common'],
    ['passwordpassword', 'common'],
    ['correct horse battery staple', 'common'],
    ['iloveyou iloveyou', 'common'],
    ['My Journal 1234', 'common'],
    ['mi diario secreto', 'common'],
    ['qwertyuiop123', 'common'],
    // Patterns: one character, a short unit repeated, a keyboard or alphabet run.
    ['aaaaaaaaaaaaaaaa', 'pattern'],
    ['############', 'pattern'],
    ['abcabcabcabc', 'pattern'],
    ['abcdefghijklmnop', 'pattern'],
    ['zyxwvutsrqpo', 'pattern'],
    ['qwertyuiop', 'pattern'],
    ['asdfghjkl', 'pattern'],
    // Numbers alone.
    ['19840612 5550199', 'digits_only'],
    ['123456789012', 'digits_only'],
    ['1234567890', 'pattern'],
    ['271828182845', 'digits_only'],
    ['1984', 'too_short'],
    // Too long.
    ['word '.repeat(10), 'pattern'],
    ['word '.repeat(120), 'too_long'],
    [`${'varied words here '.repeat(20)}end`, null],
    [`${'x7Lq'.repeat(100)}y${'abc9'.repeat(30)}`, 'too_long'],
  ])('%j → %s', (passphrase, problem) => {
    expect(passphraseProblem(passphrase)).toBe(problem);
  });

  it('says what is wrong and what to do, in words', () => {
    for (const problem of ['too_short', 'too_long', 'common', 'pattern', 'digits_only'] as const) {
      expect(passphraseProblemText(problem).length).toBeGreaterThan(20);
    }
    expect(passphraseProblemText('too_short')).toContain('12');
  });
});
