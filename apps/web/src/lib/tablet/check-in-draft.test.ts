import { CHECK_IN_TEXT_MAX } from '@cairn/domain';
import { describe, expect, it } from 'vitest';
import { answersToSend, itemWithProblem, toggleAnswer, toggleSensation } from './check-in-draft.ts';

describe('toggleAnswer', () => {
  it.each([
    [undefined, 4, 4],
    [4, 7, 7],
    [7, 7, undefined],
    [true, true, undefined],
    [false, true, true],
  ] as const)('%o tapped %o: %o', (current, tapped, expected) => {
    expect(toggleAnswer<number | boolean>(current, tapped)).toBe(expected);
  });
});

describe('toggleSensation', () => {
  it.each([
    [undefined, 'nausea', ['nausea']],
    [['nausea'], 'tired', ['nausea', 'tired']],
    [['nausea', 'tired'], 'nausea', ['tired']],
    [['tired'], 'tired', undefined],
    [['nausea', 'tired'], 'none', ['none']],
    [['none'], 'headache', ['headache']],
    [['none'], 'none', undefined],
  ] as const)('%o tapped %s: %o', (current, tapped, expected) => {
    expect(toggleSensation(current, tapped)).toEqual(expected);
  });
});

describe('answersToSend', () => {
  it("keeps only the moment's items, trims text and leaves out empty text", () => {
    expect(
      answersToSend(
        { distress: 3, ride_home: true, intention: '  to rest  ', body: ['none'] },
        'pre_dose',
        true,
      ),
    ).toEqual({ distress: 3, intention: 'to rest' });
    expect(answersToSend({ intention: '   ' }, 'pre_dose', true)).toEqual({});
  });

  it('sends the medicines note only with a yes, and only when written', () => {
    expect(
      answersToSend({ medication_changes: { answer: true, note: ' new dose ' } }, 'arrival', true),
    ).toEqual({ medication_changes: { answer: true, note: 'new dose' } });
    expect(answersToSend({ medication_changes: { answer: true, note: ' ' } }, 'arrival', true)).toEqual({
      medication_changes: { answer: true },
    });
    expect(
      answersToSend({ medication_changes: { answer: false, note: 'typed, then said no' } }, 'arrival', true),
    ).toEqual({ medication_changes: { answer: false } });
  });

  it('sends nothing for a check-in skipped from start to end', () => {
    expect(answersToSend({}, 'return', true)).toEqual({});
  });
});

describe('itemWithProblem', () => {
  it('accepts every item skipped, and a full answer', () => {
    expect(itemWithProblem({}, 'arrival', true)).toBeNull();
    expect(
      itemWithProblem({ distress: 0, body: ['none'], self_harm_thoughts: false }, 'arrival', true),
    ).toBeNull();
  });

  it('names the item the server would refuse', () => {
    const intention = 'x'.repeat(CHECK_IN_TEXT_MAX + 1);
    expect(itemWithProblem({ intention }, 'pre_dose', true)).toBe('intention');
    expect(itemWithProblem({ ride_home: true }, 'arrival', false)).toBe('ride_home');
  });
});
