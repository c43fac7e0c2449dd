import type { ParticipantCheckIns } from '@cairn/domain';
import { describe, expect, it } from 'vitest';
import { scoreTrends } from './score-trends.ts';

const checkIns = (items: Record<string, [unknown, unknown]>): ParticipantCheckIns => ({
  latestAt: '2026-11-22T10:00:00.000Z',
  latestMoment: 'return',
  items: Object.fromEntries(
    Object.entries(items).map(([id, [value, previous]]) => [
      id,
      { value, previous, moment: 'return', at: '2026-11-22T10:00:00.000Z' },
    ]),
  ),
});

describe('scoreTrends', () => {
  it('reads a rise in distress or anxiety as worse, and a rise in mood, safety or connection as better', () => {
    const trends = scoreTrends(
      checkIns({ distress: [7, 3], anxiety: [6, 2], mood: [8, 4], safety: [9, 5], connection: [6, 1] }),
    );
    expect(trends.map((t) => [t.item, t.direction, t.meaning])).toEqual([
      ['distress', 'up', 'worse'],
      ['anxiety', 'up', 'worse'],
      ['mood', 'up', 'better'],
      ['safety', 'up', 'better'],
      ['connection', 'up', 'better'],
    ]);
  });

  it('reads a fall the other way round', () => {
    const trends = scoreTrends(checkIns({ distress: [2, 6], mood: [3, 7] }));
    expect(trends.map((t) => [t.item, t.direction, t.meaning])).toEqual([
      ['distress', 'down', 'better'],
      ['mood', 'down', 'worse'],
    ]);
  });

  it('says "same" for an unchanged score and "first" when there is nothing to compare with', () => {
    const trends = scoreTrends(checkIns({ distress: [4, 4], mood: [5, undefined] }));
    expect(trends.map((t) => [t.item, t.value, t.meaning])).toEqual([
      ['distress', 4, 'same'],
      ['mood', 5, 'first'],
    ]);
  });

  it('shows only the 0–10 scales, never a yes/no answer or other items', () => {
    const trends = scoreTrends(
      checkIns({ self_harm_thoughts: [true, false], body: [['none'], undefined], distress: [1, 2] }),
    );
    expect(trends.map((t) => t.item)).toEqual(['distress']);
  });

  it('has nothing to show before the first check-in', () => {
    expect(scoreTrends(undefined)).toEqual([]);
  });
});
