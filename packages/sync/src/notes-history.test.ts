import { CIRCLE_NOTES_FIELD } from '@cairn/domain';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { groupVersions, restoreUpdate, versionJson, type HistoryRow } from './notes-history.ts';

/** A log written by `edits`, each one update by `actorId` at minute `minute`. */
function logOf(
  edits: Array<{ actorId: string; second: number; edit: (f: Y.XmlFragment) => void }>,
): HistoryRow[] {
  const doc = new Y.Doc();
  const rows: HistoryRow[] = [];
  for (const { actorId, second, edit } of edits) {
    doc.once('update', (update: Uint8Array) =>
      rows.push({
        seq: rows.length + 1,
        update,
        actorId,
        at: new Date(Date.UTC(2026, 10, 22, 10, 0, second)),
      }),
    );
    edit(doc.getXmlFragment(CIRCLE_NOTES_FIELD));
  }
  return rows;
}

const para = (text: string) => {
  const element = new Y.XmlElement('paragraph');
  const run = new Y.XmlText();
  run.insert(0, text);
  element.insert(0, [run]);
  return element;
};
const add = (text: string) => (f: Y.XmlFragment) => f.insert(f.length, [para(text)]);

describe('groupVersions', () => {
  it('[BI-Y12] ends a version after a quiet minute and around a mass delete; co-writers share one', () => {
    const rows = logOf([
      { actorId: 'fay', second: 0, edit: add('Robin named the grief about his father.') },
      { actorId: 'fay', second: 5, edit: add('Sasha asked for a slower pace.') },
      { actorId: 'cal', second: 8, edit: add('Closing round.') },
      { actorId: 'cal', second: 70, edit: add('Later.') },
      { actorId: 'cal', second: 72, edit: (f) => f.delete(0, f.length) },
      { actorId: 'cal', second: 73, edit: add('x') },
    ]);
    expect(groupVersions(rows).map((v) => [v.seq, v.authorIds, v.characters])).toEqual([
      [3, ['fay', 'cal'], 83],
      [4, ['cal'], 89],
      [5, ['cal'], 0],
      [6, ['cal'], 1],
    ]);
  });
});

describe('versionJson and restoreUpdate', () => {
  it('[BI-Y12] rebuild a version as ProseMirror JSON, and restore it by one edit of the given client', () => {
    const rows = logOf([
      { actorId: 'fay', second: 0, edit: add('Keep me.') },
      { actorId: 'cal', second: 1, edit: (f) => f.delete(0, f.length) },
    ]);
    expect(versionJson(rows, 1)).toEqual({
      type: 'doc',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Keep me.' }] }],
    });
    expect(versionJson(rows, 2)).toEqual({ type: 'doc' });
    const update = restoreUpdate(rows, 1, 777);
    expect(new Set(Y.decodeUpdate(update).structs.map((s) => s.id.client))).toEqual(new Set([777]));
    const doc = new Y.Doc();
    for (const row of rows) Y.applyUpdate(doc, row.update);
    Y.applyUpdate(doc, update);
    expect(doc.getXmlFragment(CIRCLE_NOTES_FIELD).toString()).toBe('<paragraph>Keep me.</paragraph>');
  });
});
