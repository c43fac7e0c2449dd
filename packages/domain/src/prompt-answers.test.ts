import { describe, expect, it } from 'vitest';
import { answerTextProblem, PROMPT_ANSWER_MAX, PROMPT_REFUSALS } from './prompts.ts';

describe('answerTextProblem: the words of an answer shared with the circle or the therapist', () => {
  it.each([
    ['one word', 'Lighthouse'],
    ['lines and a tab', 'First line\nsecond\r\nthird\tend'],
    ['exactly the longest', 'x'.repeat(PROMPT_ANSWER_MAX)],
    ['[BI-A9] a right-to-left override, kept exactly', 'abc\u202Edef'],
    ['[BI-A9] zero-width joiners and a surrogate pair', 'a\u200Db 🌊'],
    ['[BI-A10] markup, shown as text by every screen', '<img src=x onerror=alert(1)>'],
  ])('accepts %s', (_what, text) => {
    expect(answerTextProblem(text)).toBeNull();
  });

  it.each([
    ['nothing', '', PROMPT_REFUSALS.answerText],
    ['one character too many', 'x'.repeat(PROMPT_ANSWER_MAX + 1), PROMPT_REFUSALS.answerText],
    ['[BI-A9] NUL', 'a\u0000b', PROMPT_REFUSALS.answerCharacters],
    ['[BI-A9] another control character', 'bell\u0007', PROMPT_REFUSALS.answerCharacters],
    ['[BI-A9] a lone high surrogate', 'wave\uD83C', PROMPT_REFUSALS.answerCharacters],
    ['[BI-A9] a lone low surrogate', '\uDF0Ewave', PROMPT_REFUSALS.answerCharacters],
  ])('refuses %s, saying why', (_what, text, sentence) => {
    expect(answerTextProblem(text)).toBe(sentence);
  });
});
