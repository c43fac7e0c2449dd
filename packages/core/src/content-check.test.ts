import type { ContentFacts, PlacementFact, ValueFact } from '@cairn/sync';
import { describe, expect, it } from 'vitest';
import { findContentViolation } from './content-check.ts';

const facts = (over: Partial<ContentFacts> = {}): ContentFacts => ({
  elements: [],
  types: [],
  other: [],
  formats: [],
  values: [],
  textIn: [],
  nodesIn: [],
  ...over,
});
const place = (kind: PlacementFact['kind']): PlacementFact => ({
  kind,
  parent: null,
  after: null,
  before: null,
});
const value = (over: Partial<ValueFact>): ValueFact => ({
  key: null,
  after: null,
  before: null,
  node: null,
  onRoot: false,
  values: [],
  ...over,
});
const linkTo = (href: unknown) => ({
  key: 'link',
  value: { href, target: '_blank', rel: 'noopener', class: null },
});

describe('findContentViolation (circle notes)', () => {
  it.each([
    [
      'every allowed node',
      facts({
        elements: [
          'paragraph',
          'heading',
          'bulletList',
          'orderedList',
          'listItem',
          'blockquote',
          'hardBreak',
          'horizontalRule',
        ],
        types: ['XmlText'],
      }),
      null,
    ],
    [
      'plain marks and their removal',
      facts({
        formats: [
          { key: 'bold', value: {} },
          { key: 'bold', value: null },
          { key: 'strike', value: {} },
        ],
      }),
      null,
    ],
    ['an https link', facts({ formats: [linkTo('https://example.org')] }), null],
    ['a mailto link', facts({ formats: [linkTo('mailto:care@example.org')] }), null],
    [
      'an overlapping link mark',
      facts({ formats: [{ key: 'link--AbCd1234', value: { href: 'http://a.test' } }] }),
      null,
    ],
    [
      'a heading level on a heading',
      facts({ values: [value({ key: 'level', node: 'heading', values: [2] })] }),
      null,
    ],
    ['a list start on an unnamed element', facts({ values: [value({ key: 'start', values: [3] })] }), null],
    [
      'an overwrite the document cannot place (never applied)',
      facts({ values: [value({ after: [1, 2], values: ['x'] })] }),
      null,
    ],
    [
      '[BI-Y11] a javascript: link',
      facts({ formats: [linkTo('javascript:alert(1)')] }),
      'bad_mark_attribute',
    ],
    [
      '[BI-Y11] a JaVaScRiPt: link',
      facts({ formats: [linkTo('JaVaScRiPt:alert(1)')] }),
      'bad_mark_attribute',
    ],
    [
      '[BI-Y11] a " javascript:" link',
      facts({ formats: [linkTo(' javascript:alert(1)')] }),
      'bad_mark_attribute',
    ],
    ['[BI-Y11] a data: link', facts({ formats: [linkTo('data:text/html,x')] }), 'bad_mark_attribute'],
    ['[BI-Y11] a relative link', facts({ formats: [linkTo('/x')] }), 'bad_mark_attribute'],
    [
      '[BI-Y11] a hashed link to javascript:',
      facts({ formats: [{ key: 'link--AbCd1234', value: { href: 'javascript:x' } }] }),
      'bad_mark_attribute',
    ],
    [
      '[BI-Y11] a link with an onclick attribute',
      facts({ formats: [{ key: 'link', value: { href: 'https://a.test', onclick: 'x' } }] }),
      'bad_mark_attribute',
    ],
    [
      '[BI-Y11] a mark value that is not an object',
      facts({ formats: [{ key: 'bold', value: 'x' }] }),
      'bad_mark_attribute',
    ],
    ['[BI-Y11] an unknown mark', facts({ formats: [{ key: 'style', value: {} }] }), 'unknown_mark'],
    ['[BI-Y11] a __proto__ mark', facts({ formats: [{ key: '__proto__', value: {} }] }), 'unknown_mark'],
    ['[BI-Y11] an iframe', facts({ elements: ['iframe'] }), 'unknown_node'],
    ['[BI-Y11] a script', facts({ elements: ['script'] }), 'unknown_node'],
    ['[BI-Y11] an embed', facts({ other: ['embed'] }), 'foreign_content'],
    ['[BI-Y11] a subdocument', facts({ other: ['doc'] }), 'foreign_content'],
    ['[BI-Y11] binary content', facts({ other: ['binary'] }), 'foreign_content'],
    ['[BI-Y11] an XmlHook', facts({ types: ['XmlHook'] }), 'foreign_content'],
    ['[BI-Y11] a Y.Map', facts({ types: ['Map'] }), 'foreign_content'],
    ['[BI-Y11] a value in a sequence', facts({ values: [value({ values: ['<img>'] })] }), 'foreign_content'],
    [
      '[BI-Y11] a root map entry',
      facts({ values: [value({ key: 'x', onRoot: true, values: [1] })] }),
      'foreign_content',
    ],
    [
      '[BI-Y11] an onclick attribute',
      facts({ values: [value({ key: 'onclick', node: 'paragraph', values: ['x'] })] }),
      'unknown_attribute',
    ],
    [
      '[BI-Y11] an onclick attribute on an unnamed element',
      facts({ values: [value({ key: 'onclick', values: ['x'] })] }),
      'unknown_attribute',
    ],
    [
      '[BI-Y11] a level on a paragraph',
      facts({ values: [value({ key: 'level', node: 'paragraph', values: [1] })] }),
      'unknown_attribute',
    ],
    [
      '[BI-Y11] a heading level 7',
      facts({ values: [value({ key: 'level', node: 'heading', values: [7] })] }),
      'bad_attribute',
    ],
    [
      '[BI-Y11] a bad level on an unnamed element',
      facts({ values: [value({ key: 'level', values: ['<script>'] })] }),
      'bad_attribute',
    ],
    [
      'text in a text run, nodes in the fragment and elements',
      facts({ textIn: [place('text')], nodesIn: [place('root'), place('element')] }),
      null,
    ],
    [
      'a placement only a missing item could tell (never applied)',
      facts({ textIn: [{ kind: null, parent: [1, 1], after: null, before: null }] }),
      null,
    ],
    ['[BI-Y11] text straight into an element', facts({ textIn: [place('element')] }), 'misplaced_content'],
    ['[BI-Y11] text straight into the fragment', facts({ textIn: [place('root')] }), 'misplaced_content'],
    ['[BI-Y11] a node inside a text run', facts({ nodesIn: [place('text')] }), 'misplaced_content'],
    ['[BI-Y11] a node inside some other type', facts({ nodesIn: [place('other')] }), 'misplaced_content'],
  ])('%s → %s', (_label, content, expected) => {
    expect(findContentViolation('circle_notes', content)).toBe(expected);
  });

  it('leaves kinds that are not rich text to their own rules', () => {
    expect(findContentViolation('prompt_deck', facts({ types: ['Map'], elements: ['iframe'] }))).toBeNull();
    expect(findContentViolation('clinician_note', facts({ other: ['embed'] }))).toBeNull();
    expect(findContentViolation('journal', facts())).toBe('foreign_content');
  });
});
