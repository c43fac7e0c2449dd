/**
 * The group-note template: section headings and nothing else. A group note is read by everyone
 * with access to the group's record, so it must not name a member (PRODUCT §3.4, "group note
 * without member names"): the template offers themes and process, never a line per person.
 */
import type { NoteJsonNode } from '@cairn/domain';

/** Each heading (in the reader's language) followed by an empty paragraph to write in. */
export function groupNoteTemplate(headings: readonly string[]): NoteJsonNode[] {
  return headings.flatMap((heading) => [
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: heading }] },
    { type: 'paragraph' },
  ]);
}
