/**
 * Helpers for the circle notes tests: group A's facilitator, co-therapist and medical provider,
 * an admitted tablet, the notes opened through the API, and rich text built the way
 * y-prosemirror (Tiptap's Collaboration) writes it: a Y.XmlElement per node with its attributes,
 * a Y.XmlText per run of text with each mark as a formatting attribute (`bold: {}`,
 * `link: { href, target, rel, class }`).
 */
import { CIRCLE_NOTES_FIELD, type CircleNotesView } from '@cairn/domain';
import { expect } from 'vitest';
import * as Y from 'yjs';
import type { Browser, Harness } from './harness.ts';
import { addStaff, connectProvider, storedDoc, until, type Client } from './realtime-support.ts';
import { admittedTablet, tabletScene, type Device, type TabletScene } from './tablets-support.ts';

export interface NotesRoom {
  s: TabletScene;
  med: Browser;
  medId: string;
  /** An admitted tablet of group A's session A. */
  tablet: Device;
  /** `POST …/circle-notes` as session A's facilitator: made on first use. */
  notes: CircleNotesView;
  path: string;
}

export async function notesRoom(h: Harness): Promise<NotesRoom> {
  const s = await tabletScene(h);
  const med = await addStaff(h, s.admin, 'mo@juniper.test', ['medical_provider']);
  const staffed = await s.fa.request('PUT', `/api/v1/groups/${s.groupA}/staff`, {
    staff: [
      { userId: s.faId, roles: ['facilitator'] },
      { userId: s.caId, roles: ['co_therapist'] },
      { userId: med.userId, roles: ['medical_provider'] },
    ],
  });
  expect(staffed.statusCode).toBe(200);
  const tablet = (await admittedTablet(h, s.fa, s.sessionA.id, s.participantsA[0]!.id)).tablet;
  const path = `/api/v1/sessions/${s.sessionA.id}/circle-notes`;
  const opened = await s.fa.post(path);
  expect(opened.statusCode).toBe(200);
  return { s, med: med.browser, medId: med.userId, tablet, notes: opened.json() as CircleNotesView, path };
}

export type Marks = Record<string, Record<string, unknown>>;

/** A text run as y-prosemirror writes it: one Y.XmlText, its marks as formatting. */
export function textRun(text: string, marks: Marks = {}): Y.XmlText {
  const run = new Y.XmlText();
  run.insert(0, text, marks);
  return run;
}

/** A node: a Y.XmlElement named as the ProseMirror node, its attrs as attributes. */
export function node(
  name: string,
  children: Array<Y.XmlElement | Y.XmlText> = [],
  attrs: Record<string, unknown> = {},
): Y.XmlElement {
  const element = new Y.XmlElement(name);
  for (const [key, value] of Object.entries(attrs)) element.setAttribute(key, value as string);
  if (children.length > 0) element.insert(0, children);
  return element;
}

export const paragraph = (text: string, marks: Marks = {}) => node('paragraph', [textRun(text, marks)]);

/** Tiptap's link mark attributes, with `href` as given. */
export const link = (href: string) => ({
  link: { href, target: '_blank', rel: 'noopener noreferrer nofollow', class: null },
});

export const fragmentOf = (doc: Y.Doc) => doc.getXmlFragment(CIRCLE_NOTES_FIELD);

/** Appends nodes at the end of the notes, in one transaction (one update). */
export function append(client: Client | { doc: Y.Doc }, ...nodes: Y.XmlElement[]): void {
  const fragment = fragmentOf(client.doc);
  fragment.insert(fragment.length, nodes);
}

/** The notes' text, paragraph by paragraph, as a reader sees it. */
export function plainText(doc: Y.Doc): string {
  const lines: string[] = [];
  const visit = (item: Y.XmlElement | Y.XmlText | Y.XmlHook): string => {
    if (item instanceof Y.XmlText) return item.toString().replace(/<[^>]*>/g, '');
    if (item instanceof Y.XmlElement) return item.toArray().map(visit).join('');
    return '';
  };
  for (const item of fragmentOf(doc).toArray()) lines.push(visit(item));
  return lines.join('\n');
}

/** Plain text of the notes as stored (what a cold load would read). */
export async function storedNotes(h: Harness, docId: string): Promise<string> {
  const doc = await storedDoc(h, docId);
  const text = plainText(doc);
  doc.destroy();
  return text;
}

/** A provider on the notes that records how its sockets closed. */
export interface NotesClient extends Client {
  closes: number[];
}

export function openNotes(
  h: Harness,
  docId: string,
  cookie: string | undefined,
  opened: Array<{ close(): void }>,
): NotesClient {
  const client = connectProvider(h, docId, cookie);
  const closes: number[] = [];
  client.provider.on('connection-close', (event) =>
    closes.push((event as { code: number } | null)?.code ?? 0),
  );
  opened.push({ close: () => client.destroy() });
  return { ...client, closes };
}

export async function synced(...clients: Client[]): Promise<void> {
  await until(() => clients.every((c) => c.provider.synced), 5000, 'notes synced');
}
