import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { drawingSvg, strokePath } from './drawing-svg.ts';
import { exportFileName, journalHtml, journalMarkdown } from './export.ts';
import { addEntry, addPromptAnswer, addStroke, journalEntries, listEntries } from './journal-doc.ts';

const SCRIPT = '<script>alert("x")</script>';

/** A doc with hostile text, a hostile prompt, a good stroke, and a stroke written around the model's checks. */
function hostileDoc(): Y.Doc {
  const doc = new Y.Doc();
  const id = addEntry(doc, {
    text: `Hello ${SCRIPT} & <img src=x onerror=alert(1)>\n\n# not a heading\n[link](javascript:alert(1))`,
    now: new Date('2026-11-22T10:00:00Z'),
  });
  addStroke(doc, id, { color: '#112233', width: 4, points: [10, 10, 20, 20, 30, 10, 40, 20] });
  // A device that skipped addStroke's checks: raw values straight into the Y.Array.
  const strokes = journalEntries(doc).get(0).get('strokes') as Y.Array<unknown>;
  strokes.push([
    { color: '#000000"/><script>alert(1)</script>', width: 2, points: [1, 1, 2, 2] },
    { color: '#00ff00', width: '3" onload="alert(1)', points: [1, 1] },
    { color: '#00ff00', width: 3, points: [1, '2"/><script>'] },
  ]);
  addPromptAnswer(doc, {
    promptId: 'p',
    promptText: `Prompt ${SCRIPT}`,
    answer: '**bold?**',
    now: new Date('2026-11-22T09:00:00Z'),
  });
  return doc;
}

describe('drawing SVG', () => {
  it('smooths strokes into quadratic curves and prints plain numbers', () => {
    expect(strokePath({ color: '#000000', width: 2, points: [0, 0, 10, 10, 20, 0, 30, 10] })).toBe(
      'M0 0Q10 10 15 5Q20 0 25 5L30 10',
    );
    expect(strokePath({ color: '#000000', width: 2, points: [5, 5] })).toBe('M5 5L5 5');
    expect(strokePath({ color: '#000000', width: 2, points: [5, 5, 7.25, 8] })).toBe('M5 5L7.3 8');
  });

  it('[BI-A10] a hostile stroke cannot put markup in the SVG', () => {
    const svg = drawingSvg(
      [
        { color: '#112233', width: 4, points: [10, 10, 20, 20] },
        { color: 'red"/><script>alert(1)</script>', width: 4, points: [1, 2] },
        { color: '#112233', width: '4"><script>', points: [1, 2] },
        { color: '#112233', width: 4, points: [Number.POSITIVE_INFINITY, 2] },
        'not a stroke',
        null,
      ],
      'Drawing "one" <b>',
    );
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<b>');
    expect(svg.match(/<path /g)).toHaveLength(1);
    expect(svg).toContain('aria-label="Drawing &quot;one&quot; &lt;b&gt;"');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 1000 750"/);
  });
});

describe('journal export', () => {
  it('[BI-A10] HTML: text and prompts escaped, drawings inline, no script can run', () => {
    const html = journalHtml(listEntries(hostileDoc()), {
      now: new Date('2026-11-22T12:00:00Z'),
      locale: 'en',
      timeZone: 'UTC',
    });
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain(
      'Hello &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;',
    );
    expect(html).toContain('Prompt &lt;script&gt;');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html.match(/<svg /g)).toHaveLength(1);
    expect(html.match(/<path /g)).toHaveLength(1);
    // Newest first: the 10:00 entry before the 09:00 prompt answer.
    expect(html.indexOf('Hello')).toBeLessThan(html.indexOf('**bold?**'));
    expect(html).toContain('<h1>My journal</h1>');
  });

  it('[BI-A10] Markdown: text renders literally, drawings as SVG images', () => {
    const md = journalMarkdown(listEntries(hostileDoc()), {
      now: new Date('2026-11-22T12:00:00Z'),
      locale: 'en',
      timeZone: 'UTC',
    });
    // Every < is backslash-escaped: CommonMark reads it as a literal character, never as HTML.
    expect(md).not.toMatch(/(^|[^\\])</m);
    expect(md).toContain('Hello \\<script\\>alert("x")\\</script\\> \\& \\<img src=x onerror=alert(1)\\>');
    expect(md).toContain('\n\\# not a heading');
    expect(md).toContain('\\[link\\](javascript:alert(1))');
    expect(md).toContain('\\*\\*bold?\\*\\*');
    expect(md).toContain('> **Prompt:** Prompt \\<script\\>');
    const image = /!\[Drawing\]\(data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)\)/.exec(md);
    expect(image).not.toBeNull();
    const svg = Buffer.from(image![1]!, 'base64').toString('utf8');
    expect(svg).toContain(
      '<path d="M10 10Q20 20 25 15Q30 10 35 15L40 20" stroke="#112233" stroke-width="4"/>',
    );
    expect(svg).not.toContain('script');
    expect(md.startsWith('# My journal\n')).toBe(true);
  });

  it('an empty journal exports a page that says so', () => {
    expect(journalMarkdown([], { locale: 'en' })).toContain('No entries yet.');
    expect(journalHtml([], { locale: 'en' })).toContain('<p>No entries yet.</p>');
  });

  it('names files by date and format', () => {
    expect(exportFileName('markdown', new Date(2026, 10, 2))).toBe('journal-2026-11-02.md');
    expect(exportFileName('html', new Date(2026, 10, 2))).toBe('journal-2026-11-02.html');
  });
});
