import { describe, expect, it } from 'vitest';
import { libraryByStage, libraryPrompt, libraryPromptsOf, PROMPT_LIBRARY } from './prompt-library.ts';
import { PROMPT_STAGES, PROMPT_TEXT_MAX, readPromptDeckItem } from './prompts.ts';

describe("Cairn's default prompt library", () => {
  it('has 33 prompts with unique, stable-looking ids', () => {
    const ids = PROMPT_LIBRARY.map((p) => p.id);
    expect(ids).toHaveLength(33);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+-\d+$/);
  });

  it('gives every prompt an English and a Spanish text within what a release may carry', () => {
    for (const prompt of PROMPT_LIBRARY) {
      for (const text of [prompt.text.en, prompt.text.es]) {
        expect(text.trim().length, prompt.id).toBeGreaterThan(0);
        expect(text.length, prompt.id).toBeLessThanOrEqual(PROMPT_TEXT_MAX);
        expect(text, prompt.id).toBe(text.trim());
      }
      expect(prompt.text.es, prompt.id).not.toBe(prompt.text.en);
    }
  });

  it('tags prompts by stage; every stage used has prompts, and none is for the journey itself', () => {
    const grouped = libraryByStage();
    for (const [stage, prompts] of grouped) {
      expect(PROMPT_STAGES).toContain(stage);
      expect(prompts.length).toBeGreaterThan(0);
    }
    expect(libraryPromptsOf('return').map((p) => p.id)).toEqual([
      'return-1',
      'return-2',
      'return-3',
      'return-4',
      'return-5',
    ]);
    expect(libraryPromptsOf('challenging_follow_up')).toHaveLength(2);
    expect(libraryPromptsOf('home')).toHaveLength(1);
  });

  it('finds a prompt by id, and nothing for an unknown or inherited name', () => {
    expect(libraryPrompt('sharing-2')?.text.es).toBe('¿Qué te sorprendió?');
    expect(libraryPrompt('nope-1')).toBeUndefined();
    expect(libraryPrompt('constructor')).toBeUndefined();
  });
});

describe('prompt deck items', () => {
  it.each([
    ['a prompt of its own', { id: 'p1', libraryId: null, stage: 'sharing', text: 'Hello' }, true],
    ['a copied default', { id: 'p-2', libraryId: 'return-1', stage: 'return', text: 'x' }, true],
    ['no id', { libraryId: null, stage: 'sharing', text: 'x' }, false],
    ['an id with a slash', { id: 'a/b', libraryId: null, stage: 'sharing', text: 'x' }, false],
    ['an unknown stage', { id: 'p1', libraryId: null, stage: 'journey', text: 'x' }, false],
    [
      'text too long',
      { id: 'p1', libraryId: null, stage: 'sharing', text: 'x'.repeat(PROMPT_TEXT_MAX + 1) },
      false,
    ],
    ['a missing libraryId', { id: 'p1', stage: 'sharing', text: 'x' }, false],
  ])('reads %s: %s', (_what, fields, readable) => {
    expect(readPromptDeckItem(fields) !== null).toBe(readable);
  });
});
