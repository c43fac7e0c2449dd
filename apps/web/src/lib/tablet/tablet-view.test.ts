import { initialLive, type LiveSnapshot } from '@cairn/domain';
import { describe, expect, it } from 'vitest';
import { checkInToOffer, isJourneyTime, sentMoments } from './tablet-view.ts';

describe('isJourneyTime', () => {
  it.each([
    ['dosing', 'journey', 'ready', true],
    ['dosing', 'journey', 'returned', true],
    ['dosing', 'dosing', 'dosed', true],
    ['dosing', 'return', 'acute', true],
    ['dosing', 'settling', 'escalated', true],
    ['dosing', 'dosing', 'ready', false],
    ['dosing', 'return', 'returned', false],
    ['dosing', 'arrival', 'checked_in', false],
    ['integration', 'sharing_rounds', 'checked_in', false],
  ] as const)('%s session, %s phase, %s: %s', (kind, phase, state, expected) => {
    expect(isJourneyTime(kind, phase, state)).toBe(expected);
  });
});

const at = '2026-11-22T08:00:00.000Z';

describe('sentMoments', () => {
  it('is empty before any check-in', () => {
    expect(sentMoments(initialLive(), 'p-ana')).toEqual(new Set());
  });

  it("holds the latest check-in's moment and each item's, for this participant only", () => {
    const live: LiveSnapshot = {
      ...initialLive(),
      checkIns: {
        'p-ana': {
          latestAt: at,
          latestMoment: 'pre_dose',
          items: { mood: { value: 6, previous: undefined, moment: 'arrival', at } },
        },
        'p-ben': { latestAt: at, latestMoment: 'return', items: {} },
      },
    };
    expect(sentMoments(live, 'p-ana')).toEqual(new Set(['pre_dose', 'arrival']));
  });
});

describe('checkInToOffer', () => {
  const base = {
    kind: 'dosing',
    phase: 'arrival',
    state: 'checked_in',
    paused: false,
    aborted: false,
    done: new Set<string>(),
  } as const;

  it.each([
    ['the moment the session is at', {}, 'arrival'],
    ['nothing once that moment was sent', { done: new Set(['arrival']) }, null],
    [
      'the next moment after an earlier one was sent',
      { phase: 'settling', state: 'ready', done: new Set(['arrival']) },
      'pre_dose',
    ],
    ['nothing while the room is paused', { paused: true }, null],
    ['nothing once the session was stopped', { aborted: true }, null],
    ['nothing during the journey', { phase: 'journey', state: 'ready' }, null],
  ] as const)('offers %s', (_, change, expected) => {
    expect(checkInToOffer({ ...base, ...change })).toBe(expected);
  });
});
