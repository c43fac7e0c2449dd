/**
 * The circle notes' and private notes' API (docs/api.md, "Circle notes"). The notes' text never
 * travels here: it is a Yjs document on the doc socket. This is the record around it — who may
 * write, the signature, addenda, history — and the ids of the documents to open.
 */
import type {
  CircleNotesView,
  ClinicianNoteView,
  NoteVersionContentView,
  NoteVersionView,
} from '@cairn/domain';
import { request } from '#lib/api.ts';

const notesPath = (sessionId: string) => `/sessions/${encodeURIComponent(sessionId)}/circle-notes`;

export const notesApi = {
  /** The session's circle notes, made on first use. */
  open: (sessionId: string) => request<CircleNotesView>('POST', notesPath(sessionId)),
  versions: (sessionId: string) =>
    request<{ versions: NoteVersionView[] }>('GET', `${notesPath(sessionId)}/versions`),
  version: (sessionId: string, seq: number) =>
    request<NoteVersionContentView>('GET', `${notesPath(sessionId)}/versions/${seq}`),
  restore: (sessionId: string, seq: number) =>
    request<unknown>('POST', `${notesPath(sessionId)}/restore`, { seq }),
  sign: (sessionId: string) => request<CircleNotesView>('POST', `${notesPath(sessionId)}/sign`, {}),
  addAddendum: (sessionId: string, text: string) =>
    request<CircleNotesView>('POST', `${notesPath(sessionId)}/addenda`, { text }),
  /** The viewer's own private process note for the session, made on first use. */
  openClinicianNote: (sessionId: string) =>
    request<ClinicianNoteView>('POST', `/sessions/${encodeURIComponent(sessionId)}/clinician-note`),
};
