/**
 * [BI-Y12] The circle notes' history on the real server: a co-editor's "select all + delete"
 * is a legal edit, accepted and recorded under its author; the versions list shows it (the
 * characters drop) and names who did it; restoring the version before it brings the text back
 * for every connected editor, by a new edit of the one who restored, durable across a restart.
 */
import { CIRCLE_NOTES_FIELD, type NoteVersionContentView, type NoteVersionView } from '@cairn/domain';
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
  storedNotes,
  synced,
  textRun,
} from './circle-notes-support.ts';
import { restartApp } from './live-room-support.ts';
import { until } from './realtime-support.ts';

let h: Harness | undefined;
const opened: Array<{ close(): void }> = [];

afterEach(async () => {
  for (const item of opened.splice(0)) item.close();
  await h?.close();
  h = undefined;
});

const WRITTEN = [
  'Robin named the grief about his father.',
  'Sasha asked for a slower pace next time.',
  'Closing round: everyone felt heard.',
].join('\n');

/** What y-prosemirror writes for "select all, delete": the content goes, one empty paragraph stays. */
function selectAllAndDelete(doc: Y.Doc): void {
  const fragment = fragmentOf(doc);
  doc.transact(() => {
    fragment.delete(0, fragment.length);
    fragment.insert(0, [node('paragraph')]);
  });
}

describe('[BI-Y12] circle notes history', () => {
  it("[BI-Y12] records a co-editor's mass delete under its author, lists it, and restores the version before it for everyone, durably", async () => {
    h = await startHarness();
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const room = await notesRoom(h);
    const { notes, path, s } = room;
    const fay = openNotes(h, notes.docId, s.fa.cookie, opened);
    const cal = openNotes(h, notes.docId, s.ca.cookie, opened);
    const mo = openNotes(h, notes.docId, room.med.cookie, opened);
    await synced(fay, cal, mo);

    append(fay, paragraph('Robin named the grief about his father.'));
    append(
      fay,
      node('paragraph', [
        textRun('Sasha asked for a '),
        textRun('slower pace', { bold: {} }),
        textRun(' next time.'),
      ]),
    );
    append(fay, paragraph('Closing round: everyone felt heard.', {}));
    await until(() => plainText(cal.doc) === WRITTEN, 5000, 'co-editor has it');
    await until(async () => (await storedNotes(h!, notes.docId)) === WRITTEN, 5000, 'stored');

    // The co-editor selects everything and deletes it: accepted, as any edit.
    selectAllAndDelete(cal.doc);
    await until(async () => (await storedNotes(h!, notes.docId)) === '', 5000, 'delete stored');
    await until(() => plainText(fay.doc) === '' && plainText(mo.doc) === '', 5000, 'delete relayed');
    expect(cal.closes).toEqual([]);
    const log = await h.core.store.readDocUpdates(notes.docId, 0, 10_000);
    expect(log.at(-1)!.actorId).toBe(s.caId);

    // The versions, newest first: the delete is its own version, by the co-therapist, 0 characters.
    const listed = await s.fa.get(`${path}/versions`);
    expect(listed.statusCode).toBe(200);
    const { versions } = listed.json() as { versions: NoteVersionView[] };
    const [latest, before] = versions;
    expect(latest).toMatchObject({ seq: log.at(-1)!.seq, characters: 0 });
    expect(latest!.authors).toEqual([{ userId: s.caId, name: expect.any(String) }]);
    expect(before!.characters).toBe(WRITTEN.replaceAll('\n', '').length);
    expect(before!.authors.map((a) => a.userId)).toEqual([s.faId]);
    // The medical provider may look at the history too.
    expect((await room.med.get(`${path}/versions`)).json()).toEqual({ versions });

    // The version before, as ProseMirror JSON (marks included).
    const content = (await s.fa.get(`${path}/versions/${before!.seq}`)).json() as NoteVersionContentView;
    expect(content.seq).toBe(before!.seq);
    expect(content.doc.type).toBe('doc');
    expect(content.doc.content).toHaveLength(3);
    expect(content.doc.content![1]).toEqual({
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Sasha asked for a ' },
        { type: 'text', text: 'slower pace', marks: [{ type: 'bold' }] },
        { type: 'text', text: ' next time.' },
      ],
    });
    expect((await s.fa.get(`${path}/versions/999999`)).statusCode).toBe(404);
    // The medical provider reads, but does not restore.
    expect((await room.med.post(`${path}/restore`, { seq: before!.seq })).statusCode).toBe(403);
    for (const body of [{}, { seq: 'x' }, { seq: 0 }, { seq: 1.5 }])
      expect((await s.fa.post(`${path}/restore`, body)).statusCode).toBe(422);
    expect((await s.fa.post(`${path}/restore`, { seq: 1, extra: true })).statusCode).toBe(400);

    // Restore: every connected editor gets the text back; the answer waited for it to be saved.
    const restored = await s.fa.post(`${path}/restore`, { seq: before!.seq });
    expect(restored.statusCode).toBe(200);
    expect(await storedNotes(h, notes.docId)).toBe(WRITTEN);
    await until(
      () => [fay, cal, mo].every((client) => plainText(client.doc) === WRITTEN),
      5000,
      'restored everywhere',
    );
    const after = await h.core.store.readDocUpdates(notes.docId, 0, 10_000);
    expect(after.at(-1)!.actorId).toBe(s.faId);
    // The restoring edit wrote under a client id claimed for the facilitator, none of the editors'.
    const restoredClients = Y.decodeUpdate(after.at(-1)!.update).structs.map((struct) => struct.id.client);
    expect(restoredClients).not.toContain(cal.doc.clientID);
    expect(restoredClients).not.toContain(fay.doc.clientID);
    const clinicId = (await h.core.store.findUserByEmail('fay@juniper.test'))!.clinicId;
    const audit = await h.core.store.listAudit(clinicId, { limit: 200 });
    const entry = audit.find((e) => e.action === 'circle_notes.restored');
    expect(entry).toMatchObject({ actorUserId: s.faId, targetId: notes.docId });
    expect(JSON.stringify(entry!.details)).not.toMatch(/Robin|Sasha|grief/);

    // Editing goes on after the restore, and the history shows the restore as a version.
    append(cal, paragraph('Follow-up booked.'));
    await until(() => plainText(fay.doc).endsWith('Follow-up booked.'), 5000, 'editing goes on');
    const { versions: later } = (await s.fa.get(`${path}/versions`)).json() as {
      versions: NoteVersionView[];
    };
    const restoreSeq = after.at(-1)!.seq;
    const holdingRestore = later.find((v) => v.seq >= restoreSeq && v.seq - restoreSeq <= 1);
    expect(holdingRestore?.authors.map((a) => a.userId)).toEqual([s.faId, s.caId]);

    // Durable: a restarted server serves the restored text to a new editor.
    for (const item of opened.splice(0)) item.close();
    await restartApp(h);
    const reopened = openNotes(h, notes.docId, s.ca.cookie, opened);
    await synced(reopened);
    expect(plainText(reopened.doc)).toBe(`${WRITTEN}\nFollow-up booked.`);
    expect(fragmentOf(reopened.doc).toString()).toContain('<bold>slower pace</bold>');
  });

  it('[BI-Y12] restores a version with links, lists and headings exactly', async () => {
    h = await startHarness();
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const room = await notesRoom(h);
    const { notes, path, s } = room;
    const fay = openNotes(h, notes.docId, s.fa.cookie, opened);
    await synced(fay);
    append(
      fay,
      node('heading', [textRun('Themes')], { level: 2 }),
      node('bulletList', [node('listItem', [paragraph('a source', link('https://example.org/paper'))])]),
    );
    await until(async () => (await storedNotes(h!, notes.docId)).includes('a source'), 5000, 'stored');
    const xml = fragmentOf(fay.doc).toString();
    const { versions } = (await s.fa.get(`${path}/versions`)).json() as { versions: NoteVersionView[] };
    fragmentOf(fay.doc).delete(0, 1);
    await until(async () => !(await storedNotes(h!, notes.docId)).includes('Themes'), 5000, 'heading gone');
    // Two restores at once (a double click): the version once, not two copies of it.
    const twice = await Promise.all([
      s.fa.post(`${path}/restore`, { seq: versions[0]!.seq }),
      s.ca.post(`${path}/restore`, { seq: versions[0]!.seq }),
    ]);
    expect(twice.map((answer) => answer.statusCode)).toEqual([200, 200]);
    await until(() => fragmentOf(fay.doc).toString() === xml, 5000, 'exactly restored');
    const doc = new Y.Doc();
    for (const row of await h.core.store.readDocUpdates(notes.docId, 0, 10_000))
      Y.applyUpdate(doc, row.update);
    expect(doc.getXmlFragment(CIRCLE_NOTES_FIELD).toString()).toBe(xml);
  });
});
