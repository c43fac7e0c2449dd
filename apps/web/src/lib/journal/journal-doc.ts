/**
 * The journal's Yjs document model. It lives only on the participant's devices (the server
 * holds it as ciphertext), so these functions are the one place that knows its shape:
 *
 *   entries: Y.Array<Y.Map> — each entry: id, createdAt (ISO), kind ('entry' | 'prompt_answer'),
 *   promptId?, promptText?, text: Y.Text, strokes: Y.Array<JournalStroke>
 *
 * Readers never trust the shape: a document decrypted from a blob is only as careful as the
 * device that wrote it, so `listEntries` skips anything malformed instead of throwing.
 */
import * as Y from 'yjs';
import { randomBytes, toBase64Url } from './bytes.ts';
import { ENTRY_MAX_STROKES, normaliseStroke, type JournalStroke } from './drawing.ts';

export type JournalEntryKind = 'entry' | 'prompt_answer';

export interface JournalEntryView {
  id: string;
  createdAt: string;
  kind: JournalEntryKind;
  promptId: string | null;
  promptText: string | null;
  text: string;
  strokes: JournalStroke[];
}

/** Longest prompt text copied into an entry (the deck's own limit is lower). */
const PROMPT_TEXT_MAX = 2_000;

export function journalEntries(doc: Y.Doc): Y.Array<Y.Map<unknown>> {
  return doc.getArray<Y.Map<unknown>>('entries');
}

function newEntryId(): string {
  return toBase64Url(randomBytes(12));
}

function findEntry(doc: Y.Doc, id: string): Y.Map<unknown> | null {
  for (const entry of journalEntries(doc)) {
    if (entry instanceof Y.Map && entry.get('id') === id) return entry;
  }
  return null;
}

function makeEntry(
  fields: { kind: JournalEntryKind; promptId?: string; promptText?: string },
  text: string,
  now: Date,
): { id: string; entry: Y.Map<unknown> } {
  const id = newEntryId();
  const entry = new Y.Map<unknown>();
  entry.set('id', id);
  entry.set('createdAt', now.toISOString());
  entry.set('kind', fields.kind);
  if (fields.promptId !== undefined) entry.set('promptId', fields.promptId);
  if (fields.promptText !== undefined) entry.set('promptText', fields.promptText.slice(0, PROMPT_TEXT_MAX));
  entry.set('text', new Y.Text(text));
  entry.set('strokes', new Y.Array<JournalStroke>());
  return { id, entry };
}

/** A new, empty (or pre-filled) entry at the end of the array; returns its id. */
export function addEntry(doc: Y.Doc, options: { text?: string; now?: Date } = {}): string {
  const { id, entry } = makeEntry({ kind: 'entry' }, options.text ?? '', options.now ?? new Date());
  journalEntries(doc).push([entry]);
  return id;
}

/**
 * A released prompt's private answer, kept in the journal. One entry per prompt: answering the
 * same prompt again (or editing the answer) replaces that entry's text instead of adding a
 * second copy, so the prompt screen can save on every change.
 */
export function addPromptAnswer(
  doc: Y.Doc,
  input: { promptId: string; promptText: string; answer: string; now?: Date },
): string {
  const existing = journalEntries(doc)
    .toArray()
    .find(
      (entry) =>
        entry instanceof Y.Map &&
        entry.get('kind') === 'prompt_answer' &&
        entry.get('promptId') === input.promptId,
    );
  const text = existing?.get('text');
  if (existing && text instanceof Y.Text) {
    doc.transact(() => {
      if (text.toString() !== input.answer) {
        text.delete(0, text.length);
        text.insert(0, input.answer);
      }
      existing.set('promptText', input.promptText.slice(0, PROMPT_TEXT_MAX));
    });
    return existing.get('id') as string;
  }
  const { id, entry } = makeEntry(
    { kind: 'prompt_answer', promptId: input.promptId, promptText: input.promptText },
    input.answer,
    input.now ?? new Date(),
  );
  journalEntries(doc).push([entry]);
  return id;
}

/** The entry's text for an editor to bind to, or null when there is no such entry. */
export function entryText(doc: Y.Doc, id: string): Y.Text | null {
  const text = findEntry(doc, id)?.get('text');
  return text instanceof Y.Text ? text : null;
}

function entryStrokes(doc: Y.Doc, id: string): Y.Array<unknown> | null {
  const strokes = findEntry(doc, id)?.get('strokes');
  return strokes instanceof Y.Array ? strokes : null;
}

/** Adds one stroke, normalised (drawing.ts); false when it is not drawable or the entry is full. */
export function addStroke(doc: Y.Doc, id: string, stroke: JournalStroke): boolean {
  const strokes = entryStrokes(doc, id);
  const clean = normaliseStroke(stroke);
  if (strokes === null || clean === null || strokes.length >= ENTRY_MAX_STROKES) return false;
  strokes.push([clean]);
  return true;
}

/** Removes the entry's newest stroke; false when there is none. */
export function undoStroke(doc: Y.Doc, id: string): boolean {
  const strokes = entryStrokes(doc, id);
  if (strokes === null || strokes.length === 0) return false;
  strokes.delete(strokes.length - 1, 1);
  return true;
}

/** Deletes an entry and everything in it (the participant's own choice; no undo after sync). */
export function removeEntry(doc: Y.Doc, id: string): boolean {
  const entries = journalEntries(doc);
  const index = entries.toArray().findIndex((entry) => entry instanceof Y.Map && entry.get('id') === id);
  if (index < 0) return false;
  entries.delete(index, 1);
  return true;
}

/** Every well-formed entry, newest first (ties keep insertion order reversed). */
export function listEntries(doc: Y.Doc): JournalEntryView[] {
  const views: JournalEntryView[] = [];
  for (const entry of journalEntries(doc)) {
    const view = readEntry(entry);
    if (view !== null) views.push(view);
  }
  return views.reverse().sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

function readEntry(entry: unknown): JournalEntryView | null {
  if (!(entry instanceof Y.Map)) return null;
  const id = entry.get('id');
  const createdAt = entry.get('createdAt');
  const kind = entry.get('kind');
  const text = entry.get('text');
  const strokes = entry.get('strokes');
  if (typeof id !== 'string' || typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt)))
    return null;
  if (kind !== 'entry' && kind !== 'prompt_answer') return null;
  const promptId = entry.get('promptId');
  const promptText = entry.get('promptText');
  return {
    id,
    createdAt,
    kind,
    promptId: typeof promptId === 'string' ? promptId : null,
    promptText: typeof promptText === 'string' ? promptText : null,
    text: text instanceof Y.Text ? text.toString() : '',
    strokes: strokes instanceof Y.Array ? strokes.toArray().flatMap((s) => normaliseStroke(s) ?? []) : [],
  };
}
