import { describe, expect, it } from 'vitest';
import { describeWait, parseRetryAfter } from './wait.ts';

describe('parseRetryAfter', () => {
  it('reads delay seconds', () => expect(parseRetryAfter('120')).toBe(120));
  it('reads an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:30 GMT', now)).toBe(90);
  });
  it('ignores a missing or odd header', () => {
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
});

describe('describeWait', () => {
  it.each([
    [3, 'a few seconds'],
    [42, 'about 45 seconds'],
    [60, 'about a minute'],
    [118, 'about 2 minutes'],
    [3600, 'about 60 minutes'],
    [7200, 'about 2 hours'],
  ])('%i s → %s', (seconds, words) => expect(describeWait(seconds)).toBe(words));
});
