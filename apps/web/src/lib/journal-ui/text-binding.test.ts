import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyTextChange, shiftCaret } from './text-binding.ts';

function textOf(initial: string) {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  text.insert(0, initial);
  return { doc, text };
}

describe('applyTextChange', () => {
  it.each([
    ['', 'hello'],
    ['hello', ''],
    ['hello world', 'hello brave world'],
    ['hello brave world', 'hello world'],
    ['abc', 'axc'],
    ['aaaa', 'aaa'],
    ['the sea', 'the sea, the sea'],
    ['🌊 wave', '🌊 waves'],
  ])('turns %j into %j', (before, after) => {
    const { text } = textOf(before);
    applyTextChange(text, before, after);
    expect(text.toString()).toBe(after);
  });

  it('keeps both devices’ edits when they type in different places at once', () => {
    const a = textOf('morning walk');
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a.doc));
    const bText = b.getText('t');
    applyTextChange(a.text, 'morning walk', 'quiet morning walk');
    applyTextChange(bText, 'morning walk', 'morning walk by the river');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a.doc));
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b));
    expect(a.text.toString()).toBe('quiet morning walk by the river');
    expect(bText.toString()).toBe('quiet morning walk by the river');
  });

  it('makes one change per input, not a rewrite of the whole text', () => {
    const { doc, text } = textOf('a long entry');
    let deleted = 0;
    text.observe((event) => {
      for (const part of event.delta) deleted += part.delete ?? 0;
    });
    applyTextChange(text, 'a long entry', 'a long entry.');
    expect(deleted).toBe(0);
    expect(doc.getText('t').toString()).toBe('a long entry.');
  });
});

describe('shiftCaret', () => {
  it('moves a caret after an insertion elsewhere, and leaves one before it', () => {
    expect(shiftCaret(10, 'morning walk', 'quiet morning walk')).toBe(16);
    expect(shiftCaret(3, 'morning walk', 'morning walk by the river')).toBe(3);
    expect(shiftCaret(8, 'hello brave world', 'hello world')).toBe(6);
  });
});
