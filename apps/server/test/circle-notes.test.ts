/**
 * Integration circle notes on the real server, with the stock y-websocket client: one rich-text
 * document per session, co-written by the group's facilitator and co-therapist, read by its
 * medical provider, opened by nobody else; signing (once, however many sign at once) makes it
 * read-only at once, also for sockets already open; addenda follow the signature. And each
 * clinician's private process note, which nobody but its author ever opens or sees named.
 */
import type { CircleNotesView, ClinicianNoteView } from '@cairn/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { ORIGIN, startHarness, type Harness } from './harness.ts';
import {
  append,
  notesRoom,
  openNotes,
  paragraph,
  plainText,
  storedNotes,
  synced,
  type NotesRoom,
} from './circle-notes-support.ts';
import { storedEvents } from './live-room-support.ts';
import { rawSocket, storedRowCount, until, wsBase } from './realtime-support.ts';

let h: Harness | undefined;
const opened: Array<{ close(): void }> = [];

afterEach(async () => {
  for (const item of opened.splice(0)) item.close();
  await h?.close();
  h = undefined;
});

async function start(): Promise<NotesRoom> {
  h = await startHarness({ realtime: { revocationIntervalMs: 200 } });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  return notesRoom(h);
}

/** Opens the doc socket raw with `cookie` and returns the upgrade's answer and the bytes received. */
async function refusedSocket(docId: string, cookie: string | undefined) {
  const socket = rawSocket(`${wsBase(h!)}/ws/doc/${docId}`, {
    origin: ORIGIN,
    ...(cookie ? { cookie } : {}),
  });
  opened.push({ close: () => socket.socket.terminate() });
  const answer = await socket.opened;
  return { answer, bytes: socket.frames.reduce((sum, frame) => sum + frame.byteLength, 0) };
}

describe('circle notes: who opens them', () => {
  it('[AC-13] are one per session for its staff; two staff write at once and converge; the medical provider reads only', async () => {
    const room = await start();
    const { notes, path, s } = room;
    expect(notes).toMatchObject({ access: 'write', signed: null, addenda: [] });
    // Concurrent first opens of another session get one document.
    const other = `/api/v1/sessions/${s.sessionB.id}/circle-notes`;
    const [one, two] = await Promise.all([s.fb.post(other), s.fb.post(other)]);
    expect((one.json() as CircleNotesView).docId).toBe((two.json() as CircleNotesView).docId);
    expect((one.json() as CircleNotesView).docId).not.toBe(notes.docId);
    expect((await s.ca.post(path)).json()).toMatchObject({ docId: notes.docId, access: 'write' });
    expect((await room.med.post(path)).json()).toMatchObject({ docId: notes.docId, access: 'read' });

    const fay = openNotes(h!, notes.docId, s.fa.cookie, opened);
    const cal = openNotes(h!, notes.docId, s.ca.cookie, opened);
    const mo = openNotes(h!, notes.docId, room.med.cookie, opened);
    await synced(fay, cal, mo);
    // Both type at the same moment, each into their own paragraph.
    append(fay, paragraph('Robin named the grief about his father.'));
    append(cal, paragraph('Sasha asked for a slower pace next time.'));
    const both = (text: string) =>
      text.includes('grief about his father') && text.includes('slower pace next time');
    await until(() => both(plainText(fay.doc)) && both(plainText(cal.doc)), 5000, 'both edits everywhere');
    await until(() => plainText(mo.doc) === plainText(fay.doc), 5000, 'reader follows');
    expect(plainText(cal.doc)).toBe(plainText(fay.doc));
    await until(async () => both(await storedNotes(h!, notes.docId)), 5000, 'stored');

    // The medical provider's edits are refused: never stored, never relayed.
    for (let n = 0; n < 25; n++) append(mo, paragraph(`Prescriber note ${n}`));
    await until(() => mo.closes.includes(4403), 5000, 'read-only socket closed');
    append(fay, paragraph('Closing round went well.'));
    await until(async () => (await storedNotes(h!, notes.docId)).includes('Closing round'), 5000, 'stored');
    await until(() => plainText(cal.doc).includes('Closing round'), 5000, 'relayed');
    expect(await storedNotes(h!, notes.docId)).not.toContain('Prescriber note');
    expect(plainText(cal.doc)).not.toContain('Prescriber note');
  });

  it("[AC-13] is 404 to a participant's tablet, another group's staff and a clinic admin outside the group: no socket, zero bytes", async () => {
    const room = await start();
    const { notes, path, s } = room;
    const fay = openNotes(h!, notes.docId, s.fa.cookie, opened);
    await synced(fay);
    append(fay, paragraph('Robin named the grief about his father.'));
    await until(async () => (await storedRowCount(h!, notes.docId)) > 0, 5000, 'stored');

    for (const who of [s.fb, s.admin]) {
      const answer = await who.post(path);
      expect(answer.statusCode).toBe(404);
      expect(answer.body).not.toContain(notes.docId);
      for (const sub of ['/versions', `/versions/1`])
        expect((await who.get(`${path}${sub}`)).statusCode).toBe(404);
      for (const [sub, body] of [
        ['/sign', {}],
        ['/restore', { seq: 1 }],
        ['/addenda', { text: 'x' }],
      ] as const)
        expect((await who.post(`${path}${sub}`, body)).statusCode).toBe(404);
      expect(await refusedSocket(notes.docId, who.cookie)).toEqual({ answer: 404, bytes: 0 });
    }
    // A session that does not exist looks the same.
    expect((await s.fa.post('/api/v1/sessions/no-such-session/circle-notes')).statusCode).toBe(404);
    // A tablet holds no staff session: refused before anything is looked up.
    const fromTablet = await room.tablet.post(path);
    expect([401, 404]).toContain(fromTablet.statusCode);
    expect(fromTablet.body).not.toContain(notes.docId);
    const tabletSocket = await refusedSocket(notes.docId, room.tablet.cookie);
    expect([401, 404]).toContain(tabletSocket.answer);
    expect(tabletSocket.bytes).toBe(0);
    // Every denial is audited.
    const clinicId = (await h!.core.store.findUserByEmail('fay@juniper.test'))!.clinicId;
    const denials = (await h!.core.store.listAudit(clinicId, { limit: 500 })).filter(
      (entry) => entry.action === 'authz.denied',
    );
    expect(denials.length).toBeGreaterThanOrEqual(4);
  });
});

describe('signing the circle notes', () => {
  it('signs once when two sign at once; open writers stop at once and reopen read-only; addenda only after', async () => {
    const room = await start();
    const { notes, path, s } = room;
    const fay = openNotes(h!, notes.docId, s.fa.cookie, opened);
    const cal = openNotes(h!, notes.docId, s.ca.cookie, opened);
    await synced(fay, cal);
    append(fay, paragraph('Robin named the grief about his father.'));
    await until(async () => (await storedNotes(h!, notes.docId)).includes('grief'), 5000, 'stored');

    // Addenda and the medical provider's signature: refused before signing.
    const early = await s.fa.post(`${path}/addenda`, { text: 'Added later.' });
    expect(early.statusCode).toBe(409);
    expect((await room.med.post(`${path}/sign`, {})).statusCode).toBe(403);

    const [a, b] = await Promise.all([s.fa.post(`${path}/sign`, {}), s.ca.post(`${path}/sign`, {})]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    const signed = a.json() as CircleNotesView;
    expect(signed.access).toBe('read');
    expect(signed.signed).not.toBeNull();
    expect(b.json()).toMatchObject({ signed: signed.signed });
    const events = await storedEvents(h!, s.sessionA.streamId);
    expect(events.filter((e) => e.type === 'notes.signed')).toHaveLength(1);

    // Both writers' sockets were closed with `reopen` and came back read-only.
    await until(() => fay.closes.includes(4210) && cal.closes.includes(4210), 5000, 'writers closed');
    await synced(fay, cal);
    const rowsAfterSigning = await storedRowCount(h!, notes.docId);
    append(fay, paragraph('Changed after signing.'));
    append(cal, paragraph('Also changed after signing.'));
    // A marker: the facilitator's edits keep being refused until the socket is closed as read-only.
    for (let n = 0; n < 25; n++) append(cal, paragraph(`Late ${n}`));
    await until(() => cal.closes.includes(4403), 5000, 'late writer closed');
    expect(await storedRowCount(h!, notes.docId)).toBe(rowsAfterSigning);
    expect(await storedNotes(h!, notes.docId)).not.toContain('after signing');
    // A new socket opens read-only too; the API says so.
    expect((await s.ca.post(path)).json()).toMatchObject({ access: 'read' });
    expect((await room.med.post(path)).json()).toMatchObject({ access: 'read' });

    // Restoring signed notes is refused; addenda are accepted and listed, in order.
    expect((await s.fa.post(`${path}/restore`, { seq: 1 })).statusCode).toBe(409);
    for (const text of ['', '   ', 'x'.repeat(10_001)]) {
      expect((await s.fa.post(`${path}/addenda`, { text })).statusCode).toBe(422);
    }
    expect((await room.med.post(`${path}/addenda`, { text: 'From the prescriber.' })).statusCode).toBe(403);
    const first = await s.fa.post(`${path}/addenda`, { text: '  Robin called the next day: settled.  ' });
    expect(first.statusCode).toBe(201);
    const second = await s.ca.post(`${path}/addenda`, { text: 'Follow-up booked.' });
    expect(second.statusCode).toBe(201);
    const addenda = (second.json() as CircleNotesView).addenda;
    expect(addenda.map((x) => x.text)).toEqual(['Robin called the next day: settled.', 'Follow-up booked.']);
    expect((await room.med.post(path)).json()).toMatchObject({ addenda });
    const written = (await storedEvents(h!, s.sessionA.streamId)).filter(
      (e) => e.type === 'notes.addendum_added',
    );
    expect(written).toHaveLength(2);
  });
});

describe("a clinician's private note", () => {
  it('[AC-13] is one per clinician per session, opened by its author only, named in no other answer', async () => {
    const room = await start();
    const { s, path } = room;
    const notePath = `/api/v1/sessions/${s.sessionA.id}/clinician-note`;
    const mine = (await s.ca.post(notePath)).json() as ClinicianNoteView;
    expect((await s.ca.post(notePath)).json()).toEqual(mine);
    const theirs = (await s.fa.post(notePath)).json() as ClinicianNoteView;
    const medNote = (await room.med.post(notePath)).json() as ClinicianNoteView;
    expect(new Set([mine.docId, theirs.docId, medNote.docId]).size).toBe(3);
    // Other sessions, other groups: no note.
    expect((await s.fb.post(notePath)).statusCode).toBe(404);
    expect((await s.admin.post(notePath)).statusCode).toBe(404);

    const cal = openNotes(h!, mine.docId, s.ca.cookie, opened);
    await synced(cal);
    append(cal, paragraph('My own countertransference: tired today.'));
    await until(
      async () => (await storedNotes(h!, mine.docId)).includes('countertransference'),
      5000,
      'stored',
    );

    // It is named in no other answer anyone gets.
    const answers = [
      await s.fa.get(`/api/v1/sessions/${s.sessionA.id}/state`),
      await s.fa.get(`/api/v1/sessions/${s.sessionA.id}`),
      await s.fa.post(path),
      await s.fa.get(`${path}/versions`),
      await s.admin.get('/api/v1/audit?limit=200'),
    ];
    for (const answer of answers) {
      expect(answer.statusCode).toBe(200);
      expect(answer.body).not.toContain(mine.docId);
      expect(answer.body).not.toContain('countertransference');
    }

    // The group's facilitator, a clinic admin, another group's staff, the medical provider:
    // 404 for its id, no byte of it.
    for (const who of [s.fa, s.admin, s.fb, room.med]) {
      expect(await refusedSocket(mine.docId, who.cookie)).toEqual({ answer: 404, bytes: 0 });
    }
    // Those attempts are audited against the id they tried, and nothing more about the note.
    const audit = (await s.admin.get('/api/v1/audit?limit=200')).json() as {
      entries: Array<{ action: string; targetId: string | null; details: Record<string, unknown> }>;
    };
    const probes = audit.entries.filter((entry) => entry.targetId === mine.docId);
    expect(probes.map((entry) => [entry.action, entry.details])).toEqual(
      Array.from({ length: 4 }, () => ['authz.denied', { what: 'document.open' }]),
    );
    expect(JSON.stringify(audit.entries.map((entry) => entry.details))).not.toContain(mine.docId);
  });
});
