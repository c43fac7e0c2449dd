import { getSchema } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import { NOTE_MARKS, NOTE_NODES } from '@cairn/domain';
import { noteExtensions } from './note-extensions.ts';

/** ProseMirror's own structural nodes, which y-prosemirror never writes as elements. */
const STRUCTURAL = ['doc', 'text'];

describe("the notes editor's schema is the domain's", () => {
  const schema = getSchema(noteExtensions());

  it('has exactly the nodes of NOTE_NODES, each with only the attributes it allows', () => {
    const nodes = Object.keys(schema.nodes).filter((name) => !STRUCTURAL.includes(name));
    expect(nodes.sort()).toEqual(Object.keys(NOTE_NODES).sort());
    for (const name of nodes) {
      const allowed = Object.keys(NOTE_NODES[name as keyof typeof NOTE_NODES]);
      for (const attribute of Object.keys(schema.nodes[name]!.spec.attrs ?? {})) {
        expect(allowed, `${name}.${attribute}`).toContain(attribute);
      }
    }
  });

  it('has exactly the marks of NOTE_MARKS, each with only the attributes it allows', () => {
    expect(Object.keys(schema.marks).sort()).toEqual(Object.keys(NOTE_MARKS).sort());
    for (const [name, mark] of Object.entries(schema.marks)) {
      const allowed = Object.keys(NOTE_MARKS[name as keyof typeof NOTE_MARKS]);
      for (const attribute of Object.keys(mark.spec.attrs ?? {})) {
        expect(allowed, `${name}.${attribute}`).toContain(attribute);
      }
    }
  });

  it('[BI-Y11] makes no code, code block, image or iframe node', () => {
    for (const name of ['code', 'codeBlock', 'image', 'iframe']) {
      expect(schema.nodes[name], name).toBeUndefined();
      expect(schema.marks[name], name).toBeUndefined();
    }
  });

  // Tiptap's own default lets ftp:, tel:, sms: and more through; the domain allows three schemes.
  it.each([
    'javascript:alert(1)',
    'ftp://files.example.org/',
    'tel:+15550100',
    'data:text/html,x',
    '/relative',
  ])('[BI-Y11] pasted HTML with a link to %s stays plain text', (href) => {
    const rules = schema.marks['link']!.spec.parseDOM ?? [];
    const element = { getAttribute: (attr: string) => (attr === 'href' ? href : null) };
    // Each rule's getAttrs refuses the address; with no rule left, the text stays unlinked.
    const verdicts = rules.map((rule) => (rule.getAttrs ? rule.getAttrs(element as never) : {}));
    expect(verdicts.every((verdict) => verdict === false)).toBe(true);
  });

  it.each(['https://example.org/', 'http://example.org/a', 'mailto:team@example.org'])(
    'keeps a pasted link to %s',
    (href) => {
      const rules = schema.marks['link']!.spec.parseDOM ?? [];
      const element = { getAttribute: (attr: string) => (attr === 'href' ? href : null) };
      expect(rules.some((rule) => rule.getAttrs?.(element as never) !== false)).toBe(true);
    },
  );
});
