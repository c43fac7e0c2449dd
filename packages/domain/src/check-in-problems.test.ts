import { describe, expect, it } from 'vitest';
import { checkInProblem, readCheckInAnswers } from './check-in-problems.ts';

describe('check-in problems, in one sentence naming the item', () => {
  it.each([
    ['[BI-A1] 11', 'arrival', { distress: 11 }, 'distress must be a whole number from 0 to 10.'],
    ['[BI-A1] -1', 'arrival', { distress: -1 }, 'distress must be a whole number from 0 to 10.'],
    ['[BI-A1] "7"', 'arrival', { distress: '7' }, 'distress must be a whole number from 0 to 10.'],
    ['[BI-A1] null', 'arrival', { mood: null }, 'mood must be a whole number from 0 to 10.'],
    ['[BI-A1] Infinity', 'arrival', { distress: Infinity }, 'distress must be a whole number from 0 to 10.'],
    ['[BI-A1] NaN', 'arrival', { distress: NaN }, 'distress must be a whole number from 0 to 10.'],
    [
      'a repeated sensation',
      'arrival',
      { body: ['tired', 'tired'] },
      'body must be a list of different body sensations from the form, with "none" only alone.',
    ],
    ['yes as a string', 'arrival', { ride_home: 'yes' }, 'ride_home must be yes or no.'],
    [
      'a note too long',
      'arrival',
      { medication_changes: { answer: true, note: 'x'.repeat(501) } },
      'medication_changes must be yes or no, with a note of at most 500 characters.',
    ],
    ['a blank intention', 'pre_dose', { intention: '   ' }, 'intention must be text of 1 to 500 characters.'],
    [
      'an item of another moment',
      'return',
      { intention: 'Rest' },
      'intention is not asked at this check-in.',
    ],
    ['an unknown item', 'arrival', { colour: 'blue' }, 'The check-in form has no item called colour.'],
    ['an odd key, not repeated', 'arrival', { '<script>': 1 }, 'The check-in form has no such item.'],
  ] as const)('%s', (_name, moment, answers, sentence) => {
    expect(checkInProblem(moment, true, answers as Record<string, unknown>)).toBe(sentence);
  });

  it('a dosing-only item is not asked outside dosing sessions', () => {
    expect(checkInProblem('arrival', false, { ride_home: true })).toBe(
      'ride_home is not asked at this check-in.',
    );
    expect(checkInProblem('arrival', true, { ride_home: true })).toBeNull();
  });

  it('finds nothing wrong with skipped items or none at all', () => {
    expect(checkInProblem('arrival', true, {})).toBeNull();
    expect(checkInProblem('return', true, { distress: 0, anxiety: 10, body: ['none'] })).toBeNull();
  });

  it('reads the answers with their free text trimmed', () => {
    expect(readCheckInAnswers('pre_dose', true, { intention: '  Rest and listen  ', distress: 2 })).toEqual({
      ok: true,
      answers: { intention: 'Rest and listen', distress: 2 },
    });
    expect(readCheckInAnswers('arrival', true, { distress: 11 })).toEqual({
      ok: false,
      problem: 'distress must be a whole number from 0 to 10.',
    });
  });
});
