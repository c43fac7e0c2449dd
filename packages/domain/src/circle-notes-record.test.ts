import { describe, expect, it } from 'vitest';
import { ADDENDUM_MAX_CHARS } from './circle-notes.ts';
import {
  addendumTextProblem,
  applyNotesEvent,
  initialNotesRecord,
  mayAuthorNotes,
  type NotesEventFacts,
} from './circle-notes-record.ts';

const at = new Date('2026-11-22T10:00:00Z');
const event = (type: string, payload: Record<string, unknown>, actorId = 'fay'): NotesEventFacts => ({
  type,
  payload,
  actorId,
  at,
});

describe('the circle notes record', () => {
  it('keeps the first signature and the addenda in order; other events change nothing', () => {
    const record = [
      event('participant.state_changed', { participantId: 'p1' }),
      event('notes.signed', { docId: 'd' }, 'fay'),
      event('notes.signed', { docId: 'd' }, 'cal'),
      event('notes.addendum_added', { addendumId: 'a1', docId: 'd', text: 'First.' }, 'cal'),
      event('notes.addendum_added', { addendumId: 'a2', docId: 'd', text: 'Second.' }, 'fay'),
      event('notes.addendum_added', { docId: 'd' }),
    ].reduce(applyNotesEvent, initialNotesRecord());
    expect(record).toEqual({
      signed: { by: 'fay', at: at.toISOString() },
      addenda: [
        { id: 'a1', text: 'First.', by: 'cal', at: at.toISOString() },
        { id: 'a2', text: 'Second.', by: 'fay', at: at.toISOString() },
      ],
    });
  });

  it.each([
    [['facilitator'], true],
    [['co_therapist'], true],
    [['medical_provider'], false],
    [['admin'], false],
    [[], false],
  ] as const)('lets %j sign and add: %s', (roles, expected) => {
    expect(mayAuthorNotes(roles)).toBe(expected);
  });

  it.each([
    { what: 'blank', text: '' },
    { what: 'over the limit', text: 'x'.repeat(ADDENDUM_MAX_CHARS + 1) },
  ])('refuses an addendum that is $what', ({ text }) => {
    expect(addendumTextProblem(text)).not.toBeNull();
  });

  it('accepts an addendum up to the limit', () => {
    expect(addendumTextProblem('x'.repeat(ADDENDUM_MAX_CHARS))).toBeNull();
  });
});
