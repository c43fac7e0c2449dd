/**
 * [BI-Y11] What the circle notes accept, on the production path (the update guard's worker
 * reports what an update writes, the socket judges it against @cairn/domain circle-notes.ts):
 * a co-author's client writing a `javascript:` link, an iframe or a script, an event-handler
 * attribute, an embed, is closed (4400) and nothing of it is stored or reaches anyone else;
 * everything the editor can make passes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startHarness, type Harness } from './harness.ts';
import {
  append,
  fragmentOf,
  link,
  node,
  notesRoom,
  openNotes,
  paragraph,
  plainText,
  synced,
  textRun,
  type NotesClient,
  type NotesRoom,
} from './circle-notes-support.ts';
import { storedDoc, until } from './realtime-support.ts';

let h: Harness | undefined;
const opened: Array<{ close(): void }> = [];

afterEach(async () => {
  for (const item of opened.splice(0)) item.close();
  await h?.close();
  h = undefined;
});

/** The notes as XML (elements, attributes, marks with their attributes): what a renderer gets. */
const xmlOf = (doc: Y.Doc) => fragmentOf(doc).toString();

async function storedXml(docId: string): Promise<string> {
  const doc = await storedDoc(h!, docId);
  const xml = xmlOf(doc);
  doc.destroy();
  return xml;
}

interface Scene {
  room: NotesRoom;
  docId: string;
  /** The facilitator (writes markers) and the medical provider (only reads). */
  fay: NotesClient;
  mo: NotesClient;
  markers: number;
}

async function scene(): Promise<Scene> {
  h = await startHarness();
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const room = await notesRoom(h);
  const fay = openNotes(h, room.notes.docId, room.s.fa.cookie, opened);
  const mo = openNotes(h, room.notes.docId, room.med.cookie, opened);
  await synced(fay, mo);
  return { room, docId: room.notes.docId, fay, mo, markers: 0 };
}

/** The co-therapist, on a fresh socket, synced. */
async function coAuthor(sc: Scene): Promise<NotesClient> {
  const cal = openNotes(h!, sc.docId, sc.room.s.ca.cookie, opened);
  await synced(cal);
  return cal;
}

/**
 * A marker from the facilitator that has reached the reader and the store: everything the
 * server relayed or stored before it is there by now.
 */
async function marker(sc: Scene): Promise<void> {
  const text = `Marker ${++sc.markers}`;
  append(sc.fay, paragraph(text));
  await until(() => plainText(sc.mo.doc).includes(text), 5000, `reader got ${text}`);
  await until(async () => (await storedXml(sc.docId)).includes(text), 5000, `${text} stored`);
}

const hostile: Array<[string, (doc: Y.Doc) => void, RegExp]> = [
  [
    'a link to javascript:',
    (doc) => put(doc, paragraph('click me', link('javascript:alert(1)'))),
    /javascript/i,
  ],
  [
    'a link to JaVaScRiPt:',
    (doc) => put(doc, paragraph('click me', link('JaVaScRiPt:alert(1)'))),
    /javascript/i,
  ],
  [
    'a link to " javascript:"',
    (doc) => put(doc, paragraph('click me', link(' javascript:alert(1)'))),
    /javascript/i,
  ],
  ['a link to data:', (doc) => put(doc, paragraph('see', link('data:text/html,<b>x</b>'))), /data:/],
  [
    'an overlapping link mark (link--<hash>) to javascript:',
    (doc) => put(doc, paragraph('click', { 'link--AbCd1234': link('javascript:alert(1)').link })),
    /javascript/i,
  ],
  ['a relative link', (doc) => put(doc, paragraph('here', link('/api/v1/audit'))), /api\/v1\/audit/],
  ['an iframe element', (doc) => put(doc, node('iframe', [], { src: 'https://evil.test' })), /iframe/],
  ['a script element', (doc) => put(doc, node('script', [textRun('alert(1)')])), /script/],
  [
    'an onclick attribute',
    (doc) => put(doc, node('paragraph', [textRun('hello there')], { onclick: 'alert(1)' })),
    /onclick/,
  ],
  ['a heading of level 7', (doc) => put(doc, node('heading', [textRun('Big')], { level: 7 })), /level="7"/],
  ['an unknown mark', (doc) => put(doc, paragraph('styled', { style: { css: 'x' } })), /style/],
  [
    'an embed in the text',
    (doc) => {
      const run = new Y.XmlText();
      run.insert(0, 'see: ');
      put(doc, node('paragraph', [run]));
      run.insertEmbed(5, { image: 'https://evil.test/x.png' });
    },
    /evil\.test/,
  ],
  [
    'a Y.Map inside the notes',
    (doc) => {
      const el = node('paragraph', [textRun('map below')]);
      put(doc, el);
      const map = new Y.Map<string>();
      map.set('html', '<img src=x onerror=alert(1)>');
      el.insert(1, [map as unknown as Y.XmlText]);
    },
    /onerror/,
  ],
];

function put(doc: Y.Doc, ...nodes: Y.XmlElement[]): void {
  append({ doc }, ...nodes);
}

describe('[BI-Y11] the circle notes refuse what the editor cannot make', () => {
  it.each(hostile)('[BI-Y11] refuses %s: closed, not stored, not relayed', async (_label, write, trace) => {
    const sc = await scene();
    await marker(sc);
    const cal = await coAuthor(sc);
    write(cal.doc);
    await until(() => cal.closes.includes(4400), 5000, 'refused socket closed');
    await marker(sc);
    expect(await storedXml(sc.docId)).not.toMatch(trace);
    expect(xmlOf(sc.mo.doc)).not.toMatch(trace);
    expect(xmlOf(sc.fay.doc)).not.toMatch(trace);
    // The facilitator kept writing all along.
    expect(sc.fay.closes).toEqual([]);
  });

  it('[BI-Y11] refuses an overwrite of an existing attribute with a bad value (the key comes from the document)', async () => {
    const sc = await scene();
    const cal = await coAuthor(sc);
    const heading = node('heading', [textRun('Themes')], { level: 2 });
    put(cal.doc, heading);
    await until(async () => (await storedXml(sc.docId)).includes('Themes'), 5000, 'heading stored');
    // Allowed overwrite: another level.
    heading.setAttribute('level', 3 as unknown as string);
    await until(async () => (await storedXml(sc.docId)).includes('level="3"'), 5000, 'level 3 stored');
    // Hostile overwrite: the update names no key (it follows the stored value), the server finds it.
    heading.setAttribute('level', '"><script>alert(1)</script>');
    await until(() => cal.closes.includes(4400), 5000, 'refused socket closed');
    await marker(sc);
    expect(await storedXml(sc.docId)).not.toMatch(/script/);
    expect(xmlOf(sc.mo.doc)).toContain('level="3"');
  });

  it('[BI-Y11] accepts every node and mark the editor makes, and an https or mailto link', async () => {
    const sc = await scene();
    const cal = await coAuthor(sc);
    put(
      cal.doc,
      node('heading', [textRun('Integration circle')], { level: 1 }),
      node('heading', [textRun('Themes')], { level: 2 }),
      node('heading', [textRun('Detail')], { level: 3 }),
      node('paragraph', [
        textRun('plain '),
        textRun('bold', { bold: {} }),
        textRun(' italic', { italic: {} }),
        textRun(' underlined', { underline: {} }),
        textRun(' struck', { strike: {} }),
        textRun(' a source', link('https://example.org/paper')),
        textRun(' write to us', link('mailto:care@example.org')),
      ]),
      node('bulletList', [node('listItem', [paragraph('first')]), node('listItem', [paragraph('second')])]),
      node('orderedList', [node('listItem', [paragraph('one')])], { start: 3, type: 'a' }),
      node('blockquote', [paragraph('“I felt held.”')]),
      node('paragraph', [textRun('line'), node('hardBreak'), textRun('break')]),
      node('horizontalRule'),
    );
    // Marks removed and text deleted are legal edits too.
    await until(async () => (await storedXml(sc.docId)).includes('<horizontalrule'), 5000, 'all stored');
    const run = (fragmentOf(cal.doc).get(3) as Y.XmlElement).get(1) as Y.XmlText;
    run.format(0, 4, { bold: null });
    run.delete(0, 2);
    await until(() => plainText(sc.mo.doc) === plainText(cal.doc), 5000, 'reader has it all');
    expect(cal.closes).toEqual([]);
    // Yjs writes element names in lower case in its XML form.
    const xml = await storedXml(sc.docId);
    for (const name of [
      'heading',
      'bulletList',
      'orderedList',
      'listItem',
      'blockquote',
      'hardBreak',
      'horizontalRule',
    ])
      expect(xml).toContain(`<${name.toLowerCase()}`);
    expect(xml).toContain('https://example.org/paper');
    expect(xml).toContain('mailto:care@example.org');
  });
});
