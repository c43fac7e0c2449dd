/**
 * PRODUCT §4's privacy matrix for the session's writing — circle notes, a clinician's private
 * note, the prompt deck — and a participant's journal, driven by one table: every viewer against
 * every resource, over HTTP and on the socket. Where the table says "—", the answer is a refusal
 * that carries no byte of the resource: not its id, not its salts, not its ciphertext, not its
 * words. A new viewer or resource is a new row or column here, and every cell is checked.
 */
import type { CircleNotesView, ClinicianNoteView, JournalStatusView } from '@cairn/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { notesRoom, openNotes, paragraph, append, synced, type NotesRoom } from './circle-notes-support.ts';
import { ORIGIN, startHarness, type Harness } from './harness.ts';
import {
  call,
  journalUpdate,
  makeJournal,
  newBlobId,
  proofHeader,
  seal,
  type MadeJournal,
} from './journals-support.ts';
import { rawSocket, storedRowCount, until, wsBase } from './realtime-support.ts';
import { admittedTablet, Device } from './tablets-support.ts';

type Access = 'write' | 'read' | '—';

const VIEWERS = [
  'facilitator',
  'co-therapist',
  'medical provider',
  "another group's facilitator",
  'clinic admin outside the group',
  "participant's own tablet",
  "another participant's tablet",
  "participant's own phone",
  'nobody signed in',
] as const;
type ViewerName = (typeof VIEWERS)[number];

/**
 * Rows of PRODUCT §4 (the circle notes, the clinician's private note, the unreleased deck, the
 * participant's own journal), as each viewer may reach them.
 */
const MATRIX: Record<string, Record<ViewerName, Access>> = {
  'circle notes': {
    facilitator: 'write',
    'co-therapist': 'write',
    'medical provider': 'read',
    "another group's facilitator": '—',
    'clinic admin outside the group': '—',
    "participant's own tablet": '—',
    "another participant's tablet": '—',
    "participant's own phone": '—',
    'nobody signed in': '—',
  },
  "the facilitator's private process note": {
    facilitator: 'write',
    'co-therapist': '—',
    'medical provider': '—',
    "another group's facilitator": '—',
    'clinic admin outside the group': '—',
    "participant's own tablet": '—',
    "another participant's tablet": '—',
    "participant's own phone": '—',
    'nobody signed in': '—',
  },
  'unreleased prompt deck': {
    facilitator: 'write',
    'co-therapist': 'write',
    'medical provider': 'read',
    "another group's facilitator": '—',
    'clinic admin outside the group': '—',
    "participant's own tablet": '—',
    "another participant's tablet": '—',
    "participant's own phone": '—',
    'nobody signed in': '—',
  },
  "the participant's journal": {
    facilitator: '—',
    'co-therapist': '—',
    'medical provider': '—',
    "another group's facilitator": '—',
    'clinic admin outside the group': '—',
    "participant's own tablet": 'write',
    "another participant's tablet": '—',
    "participant's own phone": 'write',
    'nobody signed in': '—',
  },
};

const NOTES_WORDS = 'The circle sat with the silence after the storm.';
const PRIVATE_WORDS = 'Countertransference: I felt protective of the quietest voice.';
const JOURNAL_WORDS = 'Matrix-marker: the lake was a mirror and I was not afraid.';

interface Viewer {
  request(
    method: 'GET' | 'PUT' | 'POST',
    url: string,
    body?: unknown,
    extra?: { headers?: Record<string, string> },
  ): Promise<{ statusCode: number; body: string; json(): unknown }>;
  cookie: string | undefined;
}

let h: Harness;
let room: NotesRoom;
let viewers: Record<ViewerName, Viewer>;
let privateNote: ClinicianNoteView;
let deckId: string;
let journal: MadeJournal;
let journalId: string;
let ciphertext: string;
const closers: Array<() => void> = [];

beforeAll(async () => {
  h = await startHarness();
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  room = await notesRoom(h);
  const { s } = room;
  const participant = s.participantsA[0]!.id;

  const otherTablet = (await admittedTablet(h, s.fa, s.sessionA.id, s.participantsA[1]!.id)).tablet;
  const card = await s.fa.post(`/api/v1/groups/${s.groupA}/participants/${participant}/access-card`);
  expect(card.statusCode).toBe(201);
  const phone = new Device(h.app);
  const home = await phone.post('/api/v1/home/sign-in', { code: (card.json() as { code: string }).code });
  expect(home.statusCode).toBe(200);

  viewers = {
    facilitator: s.fa,
    'co-therapist': s.ca,
    'medical provider': room.med,
    "another group's facilitator": s.fb,
    'clinic admin outside the group': s.admin,
    "participant's own tablet": room.tablet,
    "another participant's tablet": otherTablet,
    "participant's own phone": phone,
    'nobody signed in': new Device(h.app),
  };

  // Words in each resource, so that a leak would show.
  const notesWriter = openNotes(h, room.notes.docId, s.fa.cookie, []);
  closers.push(() => notesWriter.destroy());
  await synced(notesWriter);
  append(notesWriter, paragraph(NOTES_WORDS));
  privateNote = (
    await s.fa.post(`/api/v1/sessions/${s.sessionA.id}/clinician-note`)
  ).json() as ClinicianNoteView;
  const noteWriter = openNotes(h, privateNote.docId, s.fa.cookie, []);
  closers.push(() => noteWriter.destroy());
  await synced(noteWriter);
  append(noteWriter, paragraph(PRIVATE_WORDS));
  deckId = ((await s.fa.post(`/api/v1/sessions/${s.sessionA.id}/prompt-deck`)).json() as { docId: string })
    .docId;
  await until(
    async () =>
      (await storedRowCount(h, room.notes.docId)) > 0 && (await storedRowCount(h, privateNote.docId)) > 0,
    10_000,
    'notes stored',
  );

  journal = await makeJournal('a long and quiet passphrase', 'RECOVERY-CODE-FOR-THE-MATRIX');
  const setUp = await call(room.tablet, 'PUT', '/api/v1/journal', journal.body);
  expect(setUp.statusCode).toBe(201);
  journalId = (setUp.json() as JournalStatusView).journalId!;
  ciphertext = await seal(journal.dek, journalId, journalUpdate(new Y.Doc(), JOURNAL_WORDS));
  const appended = await call(
    room.tablet,
    'POST',
    '/api/v1/journal/blobs',
    { blobId: newBlobId(), data: ciphertext },
    proofHeader('passphrase', journal.passphrase.proof),
  );
  expect(appended.statusCode).toBe(201);
}, 120_000);

afterAll(async () => {
  for (const close of closers.splice(0)) close();
  await h?.close();
});

/** What no refused answer may carry, for each resource. */
function secretsOf(resource: string): string[] {
  switch (resource) {
    case 'circle notes':
      return [room.notes.docId, NOTES_WORDS];
    case "the facilitator's private process note":
      return [privateNote.docId, PRIVATE_WORDS];
    case 'unreleased prompt deck':
      return [deckId];
    default:
      return [
        journalId,
        journal.body.passphraseSalt,
        journal.body.recoverySalt,
        journal.body.wrappedByPassphrase,
        journal.body.wrappedByRecovery,
        ciphertext.slice(0, 40),
        JOURNAL_WORDS,
      ];
  }
}

/** Opens the doc socket raw; the upgrade's answer and every byte received in the first moment. */
async function socketAnswer(docId: string, cookie: string | undefined) {
  const socket = rawSocket(`${wsBase(h)}/ws/doc/${docId}`, { origin: ORIGIN, ...(cookie ? { cookie } : {}) });
  closers.push(() => socket.socket.terminate());
  const answer = await socket.opened;
  if (answer === 'open') await until(() => socket.frames.length > 0, 5000, 'sync step');
  socket.socket.terminate();
  return { answer, bytes: socket.frames.reduce((sum, frame) => sum + frame.byteLength, 0) };
}

const cells = Object.entries(MATRIX).flatMap(([resource, row]) =>
  VIEWERS.map((viewer) => [resource, viewer, row[viewer]] as const),
);

describe('[AC-13] the privacy matrix (PRODUCT §4): every viewer × every resource, over HTTP and on the socket', () => {
  it.each(cells)('%s × %s → %s', async (resource, viewerName, access) => {
    const viewer = viewers[viewerName];
    const sessionId = room.s.sessionA.id;
    const refused = (answer: { statusCode: number; body: string }) => {
      expect([401, 403, 404]).toContain(answer.statusCode);
      for (const secret of secretsOf(resource)) expect(answer.body).not.toContain(secret);
    };

    if (resource === 'circle notes') {
      const opened = await viewer.request('POST', `/api/v1/sessions/${sessionId}/circle-notes`);
      if (access === '—') refused(opened);
      else expect((opened.json() as CircleNotesView).access).toBe(access);
      const socket = await socketAnswer(room.notes.docId, viewer.cookie);
      if (access === '—') expect(socket).toEqual({ answer: expect.any(Number), bytes: 0 });
      else expect(socket.answer).toBe('open');
      return;
    }
    if (resource === "the facilitator's private process note") {
      // Each clinician's route answers with their own note only: never the facilitator's.
      const own = await viewer.request('POST', `/api/v1/sessions/${sessionId}/clinician-note`);
      if (access === 'write') expect((own.json() as ClinicianNoteView).docId).toBe(privateNote.docId);
      else for (const secret of secretsOf(resource)) expect(own.body).not.toContain(secret);
      const socket = await socketAnswer(privateNote.docId, viewer.cookie);
      if (access === '—') expect(socket).toEqual({ answer: expect.any(Number), bytes: 0 });
      else expect(socket.answer).toBe('open');
      return;
    }
    if (resource === 'unreleased prompt deck') {
      const opened = await viewer.request('POST', `/api/v1/sessions/${sessionId}/prompt-deck`);
      if (access === '—') refused(opened);
      else expect(opened.json()).toEqual({ docId: deckId, access });
      const socket = await socketAnswer(deckId, viewer.cookie);
      if (access === '—') expect(socket).toEqual({ answer: expect.any(Number), bytes: 0 });
      else expect(socket.answer).toBe('open');
      return;
    }

    // The journal: the status (salts), the wrapped key and the ciphertext, each asked with the
    // participant's own right proof — which only their own sign-in may use — and its id on the
    // document socket, which no one opens (the server holds no Yjs state of a journal).
    const status = await viewer.request('GET', '/api/v1/journal');
    const unlock = await viewer.request('POST', '/api/v1/journal/unlock', {
      method: 'passphrase',
      proof: journal.passphrase.proof,
    });
    const blobs = await viewer.request('GET', '/api/v1/journal/blobs/after/0', undefined, {
      headers: proofHeader('passphrase', journal.passphrase.proof),
    });
    if (access === 'write') {
      expect((status.json() as JournalStatusView).journalId).toBe(journalId);
      expect(unlock.statusCode).toBe(200);
      expect(unlock.body).toContain(journal.body.wrappedByPassphrase);
      expect(blobs.statusCode).toBe(200);
      expect(blobs.body).toContain(ciphertext);
    } else {
      // Another participant is answered about their own journal (they have none); others 404.
      if (status.statusCode === 200) expect(status.json()).toEqual({ exists: false });
      else refused(status);
      refused(unlock);
      refused(blobs);
    }
    expect(await socketAnswer(journalId, viewer.cookie)).toEqual({ answer: expect.any(Number), bytes: 0 });
  });
});
