import { describe, expect, it } from 'vitest';
import { strokeWidthFor, BASE_STROKE_WIDTH } from './drawing-palette.ts';
import { entryTitle } from './entry-title.ts';

const stroke = { color: '#1f2933', width: 6, points: [10, 10] };

describe('entryTitle', () => {
  it.each([
    [{ text: '\n  First line  \nsecond', promptText: null, strokes: [] }, 'First line'],
    [
      { text: '', promptText: 'Three words for where you were.', strokes: [] },
      'Three words for where you were.',
    ],
    [{ text: '   ', promptText: null, strokes: [stroke] }, 'A drawing'],
    [{ text: '', promptText: null, strokes: [] }, 'An empty entry'],
  ])('names %j as %j', (entry, title) => {
    expect(entryTitle(entry)).toBe(title);
  });

  it('shortens a long first line with an ellipsis', () => {
    const title = entryTitle({ text: 'word '.repeat(40), promptText: null, strokes: [] });
    expect(title).toHaveLength(80);
    expect(title.endsWith('…')).toBe(true);
  });
});

describe('strokeWidthFor', () => {
  it('keeps a finger or mouse line at the base width, and lets a pen press thicker or lighter', () => {
    expect(strokeWidthFor('touch', 0.5)).toBe(BASE_STROKE_WIDTH);
    expect(strokeWidthFor('mouse', 0)).toBe(BASE_STROKE_WIDTH);
    expect(strokeWidthFor('pen', 0)).toBe(BASE_STROKE_WIDTH);
    expect(strokeWidthFor('pen', 0.1)).toBeLessThan(BASE_STROKE_WIDTH);
    expect(strokeWidthFor('pen', 1)).toBeGreaterThan(BASE_STROKE_WIDTH);
  });
});
