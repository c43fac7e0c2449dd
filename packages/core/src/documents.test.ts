import { describe, expect, it } from 'vitest';
import { findUpdateViolation, MAX_STRUCTS_PER_UPDATE } from './documents.ts';

const facts = (over: Partial<Parameters<typeof findUpdateViolation>[1]> = {}) => ({
  structCount: 3,
  clients: [7],
  roots: [{ name: 'content', keyed: false }],
  deleteClients: [],
  content: { elements: [], types: [], other: [], formats: [], values: [], textIn: [], nodesIn: [] },
  ...over,
});
const own = new Set([7]);

describe('findUpdateViolation', () => {
  it.each([
    ['a normal edit', facts(), null],
    ['an edit to the meta map', facts({ roots: [{ name: 'meta', keyed: true }] }), null],
    ["an edit deleting someone else's text", facts({ deleteClients: [8] }), null],
    ['[BI-Y5] a __proto__ root', facts({ roots: [{ name: '__proto__', keyed: true }] }), 'unexpected_root'],
    ['[BI-Y5] an admin root', facts({ roots: [{ name: 'admin', keyed: false }] }), 'unexpected_root'],
    [
      '[BI-Y5] map writes to the text root',
      facts({ roots: [{ name: 'content', keyed: true }] }),
      'wrong_root_shape',
    ],
    [
      '[BI-Y5] sequence writes to the meta map',
      facts({ roots: [{ name: 'meta', keyed: false }] }),
      'wrong_root_shape',
    ],
    ['[BI-Y6] structs under another client id', facts({ clients: [7, 8] }), 'foreign_client'],
    ['a huge struct count', facts({ structCount: MAX_STRUCTS_PER_UPDATE + 1 }), 'too_many_structs'],
  ])('%s → %s', (_label, input, expected) => {
    expect(findUpdateViolation('clinician_note', input, own)).toBe(expected);
  });

  it('refuses updates to unknown kinds', () => {
    expect(findUpdateViolation('journal', facts(), own)).toBe('unknown_kind');
  });
});
