import type { JournalEntryView } from '#lib/journal/journal-doc.ts';
import { m } from '#lib/paraglide/messages.js';

const TITLE_MAX = 80;

/** What the list shows for an entry: its first written line, else what it holds. */
export function entryTitle(entry: Pick<JournalEntryView, 'text' | 'promptText' | 'strokes'>): string {
  const line = entry.text
    .split('\n')
    .map((each) => each.trim())
    .find((each) => each !== '');
  if (line) return line.length > TITLE_MAX ? `${line.slice(0, TITLE_MAX - 1)}…` : line;
  if (entry.promptText) return entry.promptText;
  return entry.strokes.length > 0 ? m.journal_ui_entry_drawing_only() : m.journal_ui_entry_empty();
}
