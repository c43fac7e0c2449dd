import { describe, expect, it } from 'vitest';
import { minutesSince } from './elapsed.ts';
import { presenceView } from './tablet-presence.ts';

const now = Date.parse('2026-11-22T10:00:00.000Z');

describe('minutesSince', () => {
  it('counts whole minutes, rounding down', () => {
    expect(minutesSince('2026-11-22T09:17:30.000Z', now)).toBe(42);
    expect(minutesSince('2026-11-22T09:59:01.000Z', now)).toBe(0);
  });

  it('never shows a negative time when the device clock is a little behind', () => {
    expect(minutesSince('2026-11-22T10:00:40.000Z', now)).toBe(0);
  });

  it('has no answer without a time, or with a broken one', () => {
    expect(minutesSince(null, now)).toBeNull();
    expect(minutesSince('not a date', now)).toBeNull();
  });
});

describe('presenceView', () => {
  it('tells online, offline since when, and never connected apart', () => {
    expect(presenceView({ online: true, lastSeenAt: '2026-11-22T09:00:00.000Z' }, now)).toEqual({
      kind: 'online',
    });
    expect(presenceView({ online: false, lastSeenAt: '2026-11-22T09:55:00.000Z' }, now)).toEqual({
      kind: 'offline',
      minutesAgo: 5,
    });
    expect(presenceView(undefined, now)).toEqual({ kind: 'never' });
  });
});
