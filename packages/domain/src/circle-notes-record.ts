/**
 * The circle notes' record beside the document: whether they are signed, and their addenda,
 * folded from the session's stream (`notes.signed`, `notes.addendum_added`), and the rules for
 * signing and adding. The document holds the text; the stream holds these facts, so "signed
 * once" is decided by the stream's decide-then-commit, like every other session fact.
 */
import { ADDENDUM_MAX_CHARS } from './circle-notes.ts';
import type { GroupStaffRole } from './groups.ts';
import type { StaffRole } from './roles.ts';

export interface NotesAddendum {
  id: string;
  text: string;
  by: string;
  at: string;
}

export interface NotesRecord {
  signed: { by: string; at: string } | null;
  addenda: NotesAddendum[];
}

export const initialNotesRecord = (): NotesRecord => ({ signed: null, addenda: [] });

/** What the fold needs of a stored event. */
export interface NotesEventFacts {
  type: string;
  payload: Record<string, unknown>;
  actorId: string;
  at: Date;
}

/** Folds one event; events of other kinds leave the record as it is. */
export function applyNotesEvent(record: NotesRecord, event: NotesEventFacts): NotesRecord {
  switch (event.type) {
    case 'notes.signed':
      // The first signature counts; the runner never writes a second, a bad row changes nothing.
      return record.signed
        ? record
        : { ...record, signed: { by: event.actorId, at: event.at.toISOString() } };
    case 'notes.addendum_added': {
      const { addendumId, text } = event.payload;
      if (typeof addendumId !== 'string' || typeof text !== 'string') return record;
      const addendum = { id: addendumId, text, by: event.actorId, at: event.at.toISOString() };
      return { ...record, addenda: [...record.addenda, addendum] };
    }
    default:
      return record;
  }
}

/** Who may sign the notes and add addenda: those who write them (facilitators, co-therapists). */
export function mayAuthorNotes(groupRoles: readonly (GroupStaffRole | StaffRole)[]): boolean {
  return groupRoles.includes('facilitator') || groupRoles.includes('co_therapist');
}

/** Why an addendum's text is refused (after trimming), or null. */
export function addendumTextProblem(text: string): string | null {
  if (text.length === 0) return 'Write the addendum before adding it.';
  if (text.length > ADDENDUM_MAX_CHARS)
    return `An addendum holds at most ${ADDENDUM_MAX_CHARS} characters; split it into two.`;
  return null;
}
