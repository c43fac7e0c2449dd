import { describe, expect, it } from 'vitest';
import { NOTE_NODES } from '@cairn/domain';
import { groupNoteTemplate } from './group-template.ts';

describe('the group-note template', () => {
  const headings = ['Themes', 'Process', 'What the group practised', 'Plan'];
  const template = groupNoteTemplate(headings);

  it('is the headings, each followed by a paragraph to write in', () => {
    expect(template.filter((node) => node.type === 'heading').map((node) => node.content?.[0]?.text)).toEqual(
      headings,
    );
    expect(template.map((node) => node.type)).toEqual(headings.flatMap(() => ['heading', 'paragraph']));
  });

  it('holds no words but the headings (so it names no member)', () => {
    const texts = JSON.stringify(template).match(/"text":"[^"]*"/g) ?? [];
    expect(texts).toEqual(headings.map((heading) => `"text":"${heading}"`));
  });

  it('uses only nodes the notes allow, with a level the schema accepts', () => {
    for (const node of template) expect(Object.keys(NOTE_NODES)).toContain(node.type);
    expect(template.every((node) => node.type !== 'heading' || node.attrs?.['level'] === 2)).toBe(true);
  });
});
