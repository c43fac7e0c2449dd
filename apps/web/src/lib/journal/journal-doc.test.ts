import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addEntry,
  addPromptAnswer,
  addStroke,
  entryText,
  journalEntries,
  listEntries,
  removeEntry,
  undoStroke,
} from './journal-doc.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 22, 10, minute));

describe('journal document model', () => {
  it('adds entries, edits their text, lists them newest first', () => {
    const doc = new Y.Doc();
    const first = addEntry(doc, { text: 'first', now: at(1) });
    const second = addEntry(doc, { now: at(2) });
    entryText(doc, second)!.insert(0, 'second');
    expect(listEntries(doc).map((e) => [e.id, e.text, e.kind])).toEqual([
      [second, 'second', 'entry'],
      [first, 'first', 'entry'],
    ]);
    expect(entryText(doc, 'missing')).toBeNull();
    expect(removeEntry(doc, first)).toBe(true);
    expect(listEntries(doc).map((e) => e.id)).toEqual([second]);
  });

  it('adds and undoes strokes, normalised: rounded, inside the canvas, sizes bounded', () => {
    const doc = new Y.Doc();
    const id = addEntry(doc);
    expect(addStroke(doc, id, { color: '#AABBCC', width: 500, points: [1.234, 2.26, -50, 9999] })).toBe(true);
    expect(addStroke(doc, id, { color: '#000000', width: 3, points: [5, 5] })).toBe(true);
    expect(listEntries(doc)[0]!.strokes).toEqual([
      { color: '#aabbcc', width: 60, points: [1.2, 2.3, 0, 750] },
      { color: '#000000', width: 3, points: [5, 5] },
    ]);
    expect(undoStroke(doc, id)).toBe(true);
    expect(listEntries(doc)[0]!.strokes).toHaveLength(1);
    expect(undoStroke(doc, id)).toBe(true);
    expect(undoStroke(doc, id)).toBe(false);
  });

  it('[BI-A10] refuses strokes that are not drawable', () => {
    const doc = new Y.Doc();
    const id = addEntry(doc);
    const bad = [
      { color: 'red" onload="alert(1)', width: 2, points: [1, 2] },
      { color: 'url(javascript:alert(1))', width: 2, points: [1, 2] },
      { color: '#112233', width: Number.NaN, points: [1, 2] },
      { color: '#112233', width: 2, points: [1, Number.POSITIVE_INFINITY] },
      { color: '#112233', width: 2, points: [] },
      { color: '#112233', width: 2, points: ['1" /><script>', 2] as unknown as number[] },
    ];
    for (const stroke of bad) expect(addStroke(doc, id, stroke)).toBe(false);
    expect(addStroke(doc, 'no-such-entry', { color: '#112233', width: 2, points: [1, 2] })).toBe(false);
    expect(listEntries(doc)[0]!.strokes).toEqual([]);
  });

  it('keeps one entry per prompt: answering again replaces the answer', () => {
    const doc = new Y.Doc();
    const id = addPromptAnswer(doc, {
      promptId: 'p1',
      promptText: 'What stayed with you?',
      answer: 'The music.',
    });
    const again = addPromptAnswer(doc, {
      promptId: 'p1',
      promptText: 'What stayed with you?',
      answer: 'The music, and the quiet.',
    });
    addPromptAnswer(doc, { promptId: 'p2', promptText: 'One word for today?', answer: 'Open.' });
    expect(again).toBe(id);
    const entries = listEntries(doc);
    expect(entries).toHaveLength(2);
    const answer = entries.find((e) => e.promptId === 'p1')!;
    expect(answer).toMatchObject({
      kind: 'prompt_answer',
      promptText: 'What stayed with you?',
      text: 'The music, and the quiet.',
    });
  });

  it('skips malformed entries a hostile or buggy device may have written, instead of failing', () => {
    const doc = new Y.Doc();
    addEntry(doc, { text: 'good', now: at(3) });
    const entries = journalEntries(doc);
    const noId = new Y.Map<unknown>();
    noId.set('createdAt', at(1).toISOString());
    noId.set('kind', 'entry');
    const badKind = new Y.Map<unknown>();
    badKind.set('id', 'x');
    badKind.set('createdAt', at(1).toISOString());
    badKind.set('kind', '<script>');
    const badDate = new Y.Map<unknown>();
    badDate.set('id', 'y');
    badDate.set('createdAt', 'not a date');
    badDate.set('kind', 'entry');
    const textNotYText = new Y.Map<unknown>();
    textNotYText.set('id', 'z');
    textNotYText.set('createdAt', at(2).toISOString());
    textNotYText.set('kind', 'entry');
    textNotYText.set('text', { evil: true });
    textNotYText.set('strokes', 'not an array');
    (entries as unknown as Y.Array<unknown>).push(['a string', 42, noId, badKind, badDate, textNotYText]);
    expect(listEntries(doc).map((e) => [e.id, e.text, e.strokes])).toEqual([
      [listEntries(doc)[0]!.id, 'good', []],
      ['z', '', []],
    ]);
  });
});
