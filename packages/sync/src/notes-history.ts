/**
 * The circle notes' history (BI-Y12): every stored update keeps its author and time, and
 * compaction keeps the rows, so any past state can be rebuilt by replaying the log up to a seq.
 * Here: grouping the log into versions a person can scan, rebuilding one version, and turning
 * its Y.XmlFragment into ProseMirror JSON, and the edit that restores a version. Pure over the
 * rows; core's circle-notes.ts reads them and writes the result.
 */
import { CIRCLE_NOTES_FIELD, type NoteJsonNode } from '@cairn/domain';
import * as Y from 'yjs';

/** A stored update as history reads it (@cairn/db's DocUpdateHistoryRecord). */
export interface HistoryRow {
  seq: number;
  update: Uint8Array;
  actorId: string | null;
  at: Date;
}

/** A pause in writing this long closes a version. */
export const VERSION_QUIET_MS = 60_000;
/**
 * An update that removes at least this share of the text (and at least MASS_DELETE_MIN_CHARS)
 * is a version of its own, so the state just before it can always be restored.
 */
const MASS_DELETE_SHARE = 0.5;
const MASS_DELETE_MIN_CHARS = 20;

/** Characters of text in the notes (what `NoteVersionView.characters` counts). */
export function characterCount(fragment: Y.XmlFragment): number {
  let count = 0;
  const visit = (node: Y.XmlElement | Y.XmlText | Y.XmlHook) => {
    if (node instanceof Y.XmlText) count += node.length;
    else if (node instanceof Y.XmlElement) for (const child of node.toArray()) visit(child);
  };
  for (const child of fragment.toArray()) visit(child);
  return count;
}

export interface VersionSpan {
  /** The last update of the version: its state is the version's. */
  seq: number;
  at: Date;
  authorIds: string[];
  characters: number;
}

/**
 * Groups the log into versions, oldest first: a version ends where writing pauses for
 * VERSION_QUIET_MS, and right before a mass delete (which stands alone, with its one author).
 * Two people typing together share a version and are both named: splitting at every change of
 * author made a circle written by two a list of hundreds of one-word versions.
 */
export function groupVersions(rows: readonly HistoryRow[]): VersionSpan[] {
  const doc = new Y.Doc({ gc: false });
  const fragment = doc.getXmlFragment(CIRCLE_NOTES_FIELD);
  const versions: VersionSpan[] = [];
  let open: VersionSpan | null = null;
  let before = 0;
  for (const row of rows) {
    Y.applyUpdate(doc, row.update);
    const characters = characterCount(fragment);
    const author = row.actorId ?? 'unknown';
    const removed = before - characters;
    const massDelete = removed >= MASS_DELETE_MIN_CHARS && removed >= before * MASS_DELETE_SHARE;
    const continues = open !== null && !massDelete && row.at.getTime() - open.at.getTime() < VERSION_QUIET_MS;
    if (continues && open) {
      open.seq = row.seq;
      open.at = row.at;
      open.characters = characters;
      if (!open.authorIds.includes(author)) open.authorIds.push(author);
    } else {
      open = { seq: row.seq, at: row.at, authorIds: [author], characters };
      versions.push(open);
    }
    before = characters;
    // A mass delete stands alone: whatever follows starts a new version.
    if (massDelete) open = null;
  }
  doc.destroy();
  return versions;
}

/** The notes as they were after the update at `seq` (rows must be the log from its start). */
function docAtSeq(rows: readonly HistoryRow[], seq: number): Y.Doc {
  const doc = new Y.Doc({ gc: false });
  for (const row of rows) {
    if (row.seq > seq) break;
    Y.applyUpdate(doc, row.update);
  }
  return doc;
}

/** y-prosemirror's hashed key for an overlapping mark (`link--<hash>`) back to the mark's name. */
const HASHED_MARK = /^(.*)--[a-zA-Z0-9+/=]{8}$/;

function toJson(node: Y.XmlElement | Y.XmlText | Y.XmlHook): NoteJsonNode[] {
  if (node instanceof Y.XmlText) {
    const delta = node.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>;
    return delta.flatMap(({ insert, attributes }) => {
      if (typeof insert !== 'string') return [];
      const text: NoteJsonNode = { type: 'text', text: insert };
      const marks = Object.entries(attributes ?? {}).map(([key, attrs]) => {
        const mark: { type: string; attrs?: Record<string, unknown> } = {
          type: HASHED_MARK.exec(key)?.[1] ?? key,
        };
        if (attrs && typeof attrs === 'object' && Object.keys(attrs).length > 0) {
          mark.attrs = attrs as Record<string, unknown>;
        }
        return mark;
      });
      if (marks.length > 0) text.marks = marks;
      return [text];
    });
  }
  if (!(node instanceof Y.XmlElement)) return [];
  const json: NoteJsonNode = { type: node.nodeName };
  const attrs = node.getAttributes();
  if (Object.keys(attrs).length > 0) json.attrs = attrs;
  const content = node.toArray().flatMap(toJson);
  if (content.length > 0) json.content = content;
  return [json];
}

/** The notes' fragment as ProseMirror JSON, the way y-prosemirror would read it. */
export function fragmentToJson(fragment: Y.XmlFragment): NoteJsonNode {
  const content = fragment.toArray().flatMap(toJson);
  return content.length > 0 ? { type: 'doc', content } : { type: 'doc' };
}

/** The version at `seq` as ProseMirror JSON. */
export function versionJson(rows: readonly HistoryRow[], seq: number): NoteJsonNode {
  const doc = docAtSeq(rows, seq);
  const json = fragmentToJson(doc.getXmlFragment(CIRCLE_NOTES_FIELD));
  doc.destroy();
  return json;
}

/**
 * The update that makes the notes (all of `rows`) equal to the version at `seq`: one edit by
 * `clientId`, deleting what is there and inserting a copy of the version. Everything written
 * concurrently that this edit does not know of survives it, as with any Yjs edit.
 */
export function restoreUpdate(rows: readonly HistoryRow[], seq: number, clientId: number): Uint8Array {
  const version = docAtSeq(rows, seq);
  const live = new Y.Doc({ gc: false });
  for (const row of rows) Y.applyUpdate(live, row.update);
  live.clientID = clientId;
  const fragment = live.getXmlFragment(CIRCLE_NOTES_FIELD);
  const copies = version
    .getXmlFragment(CIRCLE_NOTES_FIELD)
    .toArray()
    .flatMap((node) => (node instanceof Y.XmlHook ? [] : [node.clone()]));
  // Exactly this transaction's structs and deletions, as a client's edit would carry them.
  let update: Uint8Array = new Uint8Array([0, 0]);
  live.once('update', (change: Uint8Array) => {
    update = change;
  });
  live.transact(() => {
    if (fragment.length > 0) fragment.delete(0, fragment.length);
    if (copies.length > 0) fragment.insert(0, copies);
  });
  version.destroy();
  live.destroy();
  return update;
}
