import { describe, expect, it } from 'vitest';
import { exceedsJsonDepth } from './json-body.ts';

describe('exceedsJsonDepth', () => {
  it.each([
    ['{}', 1, false],
    ['{"a":{"b":1}}', 1, true],
    ['{"a":{"b":1}}', 2, false],
    ['[[[]]]', 2, true],
    ['{"a":"[[[[[[[[[["}', 1, false],
    ['{"a":"\\"[[[["}', 1, false],
    ['[{"a":[1,{"b":[]}]}]', 4, true],
  ])('%s with limit %i → %s', (text, limit, expected) => {
    expect(exceedsJsonDepth(text, limit)).toBe(expected);
  });
});
