import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { describeUpdateContent, resolveAgainstDocument } from './update-content.ts';

const describeUpdate = (update: Uint8Array) => describeUpdateContent(Y.decodeUpdate(update).structs);

describe('resolveAgainstDocument', () => {
  it("[BI-Y11] names an overwrite's key and element from the document it is applied to", () => {
    const author = new Y.Doc();
    const server = new Y.Doc();
    const heading = new Y.XmlElement('heading');
    author.getXmlFragment('content').insert(0, [heading]);
    heading.setAttribute('level', 1 as unknown as string);
    Y.applyUpdate(server, Y.encodeStateAsUpdate(author));
    const before = Y.encodeStateVector(author);
    heading.setAttribute('level', 'onclick=alert(1)');
    const update = Y.encodeStateAsUpdate(author, before);
    const content = describeUpdate(update);
    expect(content.values[0]).toMatchObject({ key: null, node: null });
    expect(resolveAgainstDocument(content, server).values).toEqual([
      {
        key: 'level',
        after: null,
        before: null,
        node: 'heading',
        onRoot: false,
        values: ['onclick=alert(1)'],
      },
    ]);
    // A document that lacks the replaced value leaves it unresolved: Yjs would not apply it either.
    expect(resolveAgainstDocument(content, new Y.Doc()).values[0]).toMatchObject({ key: null });
  });

  it('names the key within the update when it carries the replaced value too', () => {
    // Without garbage collection the replaced value travels along (with its key).
    const doc = new Y.Doc({ gc: false });
    const heading = new Y.XmlElement('heading');
    doc.getXmlFragment('content').insert(0, [heading]);
    heading.setAttribute('level', 1 as unknown as string);
    heading.setAttribute('level', 2 as unknown as string);
    const values = describeUpdate(Y.encodeStateAsUpdate(doc)).values;
    expect(values.map((v) => [v.key, v.node])).toEqual([
      ['level', 'heading'],
      ['level', 'heading'],
    ]);
  });
});

describe('placements', () => {
  it('[BI-Y11] tells where typed text goes, from the document when the update only names a neighbour', () => {
    const author = new Y.Doc();
    const server = new Y.Doc();
    const paragraph = new Y.XmlElement('paragraph');
    const run = new Y.XmlText();
    paragraph.insert(0, [run]);
    author.getXmlFragment('content').insert(0, [paragraph]);
    run.insert(0, 'Hello');
    Y.applyUpdate(server, Y.encodeStateAsUpdate(author));
    const before = Y.encodeStateVector(author);
    run.insert(5, ' there');
    const content = describeUpdate(Y.encodeStateAsUpdate(author, before));
    expect(content.textIn).toEqual([{ kind: null, parent: null, after: expect.any(Array), before: null }]);
    expect(resolveAgainstDocument(content, server).textIn).toEqual([
      { kind: 'text', parent: null, after: null, before: null },
    ]);
  });
});
