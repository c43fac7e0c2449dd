import { describe, expect, it } from 'vitest';
import { stampedPerson } from './note-people.ts';

describe("a colleague's stamped identity, as the notes show it", () => {
  it('takes the name and colour the server stamped', () => {
    expect(
      stampedPerson(7, { user: { name: 'Tobias Reyes', role: 'Co-therapist', color: '#1d6f5f' } }),
    ).toEqual({
      clientId: 7,
      name: 'Tobias Reyes',
      color: '#1d6f5f',
    });
  });

  it.each([
    'red; background: url(https://example.org/x)',
    'url(javascript:alert(1))',
    '#12345',
    'expression(alert(1))',
    42,
  ])('[BI-Y14] shows a neutral colour instead of %s', (color) => {
    expect(stampedPerson(1, { user: { name: 'Someone', color } })?.color).toBe('#5a5f6b');
  });

  it.each([null, {}, { user: {} }, { user: { name: '' } }, { user: { name: 3 } }, { cursor: {} }])(
    'is nobody for an entry without a stamped name: %j',
    (state) => {
      expect(stampedPerson(1, state)).toBeNull();
    },
  );
});
