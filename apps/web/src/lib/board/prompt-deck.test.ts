import { PROMPT_LIBRARY, type PromptTracking } from '@cairn/domain';
import { describe, expect, it } from 'vitest';
import {
  deckItemFromLibrary,
  deckItemText,
  isUsablePromptText,
  movedIndex,
  newPromptId,
  trackingByPrompt,
} from './prompt-deck.ts';

const library = PROMPT_LIBRARY[0]!;

describe('deck items', () => {
  it('makes ids the stream accepts as a promptId, different each time', () => {
    const a = newPromptId();
    const b = newPromptId();
    expect(a).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(a).not.toBe(b);
  });

  it('copies a library prompt in the language of the person adding it, keeping its library id', () => {
    expect(deckItemFromLibrary(library, 'es', 'p-1')).toEqual({
      id: 'p-1',
      libraryId: library.id,
      stage: library.stage,
      text: library.text.es,
    });
    expect(deckItemFromLibrary(library, 'en', 'p-1').text).toBe(library.text.en);
  });

  it("shows an unedited library prompt in the reader's language, an edited one as written", () => {
    const copied = deckItemFromLibrary(library, 'en', 'p-1');
    expect(deckItemText(copied, 'es')).toBe(library.text.es);
    const edited = { ...copied, text: 'Our own words' };
    expect(deckItemText(edited, 'es')).toBe('Our own words');
    expect(deckItemText({ ...edited, libraryId: null }, 'en')).toBe('Our own words');
  });

  it('moves within the deck only', () => {
    expect(movedIndex(0, 1, 3)).toBe(1);
    expect(movedIndex(2, -1, 3)).toBe(1);
    expect(movedIndex(0, -1, 3)).toBeNull();
    expect(movedIndex(2, 1, 3)).toBeNull();
  });

  it('refuses blank or too long text', () => {
    expect(isUsablePromptText('  ', 10)).toBe(false);
    expect(isUsablePromptText('x'.repeat(11), 10)).toBe(false);
    expect(isUsablePromptText('What now?', 10)).toBe(true);
  });
});

describe('trackingByPrompt', () => {
  it('gives each deck prompt its counts, and zeros to one never released', () => {
    const line: PromptTracking = {
      promptId: 'p-1',
      text: 'x',
      stage: 'return',
      releasedTo: 3,
      seen: 2,
      answered: 1,
      shared: 1,
      toTherapist: 0,
      held: 0,
      revealed: false,
      queued: false,
    };
    const of = trackingByPrompt([line]);
    expect(of('p-1')).toMatchObject({ releasedTo: 3, seen: 2, answered: 1, shared: 1 });
    expect(of('p-2')).toMatchObject({
      releasedTo: 0,
      seen: 0,
      answered: 0,
      shared: 0,
      toTherapist: 0,
      queued: false,
    });
  });
});
