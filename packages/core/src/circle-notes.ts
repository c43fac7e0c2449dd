/**
 * A session's integration circle notes (PRODUCT §3.4; the contract is @cairn/domain's
 * circle-notes.ts): one rich-text document per session, made on first use, co-written by the
 * group's facilitators and co-therapists and read by its medical provider. Signing makes it
 * read-only for everyone; addenda follow. Its history keeps who wrote what (BI-Y12), and any
 * version can be restored by a new edit. Everyone outside the group's staff gets 404.
 *
 * And the clinician's private process note: one per clinician per session, for any member of
 * the group's staff, that only its author ever opens (HIPAA psychotherapy notes).
 */
import {
  addendumTextProblem,
  circleNotesAccess,
  DOCUMENT_KINDS,
  mayAuthorNotes,
  type CircleNotesView,
  type ClinicianNoteView,
  type GroupStaffRole,
  type NoteVersionContentView,
  type NoteVersionView,
  type NotesRecord,
} from '@cairn/domain';
import type { DocUpdateHistoryRecord, DocumentRecord, GroupSessionRecord } from '@cairn/db';
import { groupVersions, restoreUpdate, versionJson } from '@cairn/sync';
import { z } from 'zod';
import { recordAudit } from './audit.ts';
import type { CoreContext } from './context.ts';
import { CoreError } from './errors.ts';
import type { OpenedStream } from './event-streams.ts';
import { sessionForStaff } from './group-sessions.ts';
import { rolesIn } from './group-access.ts';
import { requireFullViewer } from './guards.ts';
import { readNotesRecord } from './notes-record.ts';
import { draft, refuse, runDecidedCommand, type DecidedOutcome } from './session-decisions.ts';
import type { Viewer } from './sessions.ts';
import { announceStreamEvent } from './tablets.ts';
import { generateId, sha256Hex } from './tokens.ts';
import { parseInput } from './validate.ts';

const opaqueId = (seed: string) => Buffer.from(sha256Hex(seed), 'hex').toString('base64url').slice(0, 22);

/** The notes' id: opaque, the same for the same session on every instance (like the deck's). */
export function circleNotesId(sessionId: string): string {
  return opaqueId(`circle_notes:${sessionId}`);
}

/** A clinician's private note for a session: one per person, never guessable from the session. */
export function clinicianNoteId(sessionId: string, userId: string): string {
  return opaqueId(`clinician_note:${sessionId}:${userId}`);
}

interface NotesContext {
  viewer: Viewer;
  session: GroupSessionRecord;
  groupRoles: GroupStaffRole[];
}

async function notesContext(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  sessionId: string,
  what: string,
): Promise<NotesContext> {
  const session = await sessionForStaff(ctx, maybeViewer, sessionId, what);
  const viewer = requireFullViewer(maybeViewer);
  return {
    viewer,
    session,
    groupRoles: rolesIn(await ctx.store.listGroupStaff(session.groupId), viewer.user.id),
  };
}

/** Signing, restoring and addenda are for those who write the notes; the medical provider reads. */
async function requireAuthor(ctx: CoreContext, notes: NotesContext, what: string): Promise<void> {
  if (mayAuthorNotes(notes.groupRoles)) return;
  await recordAudit(ctx, 'authz.denied', {
    clinicId: notes.viewer.clinic.id,
    actorUserId: notes.viewer.user.id,
    targetId: notes.session.id,
    details: { what },
  });
  throw new CoreError(
    'forbidden',
    'forbidden',
    "Only the group's facilitators and co-therapists can do that. Ask one of them.",
  );
}

/** Makes the document on first use; two first opens at once get the same one (the unique id). */
async function ensureDocument(ctx: CoreContext, document: DocumentRecord): Promise<void> {
  if (await ctx.store.getDocument(document.id)) return;
  try {
    await ctx.store.createDocument(document);
  } catch (error) {
    const made = await ctx.store.getDocument(document.id);
    if (!made || made.kind !== document.kind || made.streamId !== document.streamId) throw error;
  }
}

async function ensureNotes(ctx: CoreContext, notes: NotesContext): Promise<string> {
  const id = circleNotesId(notes.session.id);
  await ensureDocument(ctx, {
    id,
    clinicId: notes.viewer.clinic.id,
    kind: 'circle_notes',
    ownerUserId: null,
    streamId: notes.session.streamId,
    createdAt: ctx.now(),
  });
  return id;
}

/** Display names by user id, for signatures, addenda and authors (a name no longer known: a placeholder). */
async function namesOf(ctx: CoreContext, clinicId: string): Promise<(userId: string) => string> {
  const users = new Map((await ctx.store.listUsers(clinicId)).map((user) => [user.id, user.displayName]));
  return (userId) => users.get(userId) ?? 'A former staff member';
}

async function notesView(
  ctx: CoreContext,
  notes: NotesContext,
  docId: string,
  record: NotesRecord,
): Promise<CircleNotesView> {
  const access = circleNotesAccess(notes.groupRoles, record.signed !== null);
  // Every group role reads the notes at least; should a new role not, it is refused like an outsider.
  if (access === 'none') throw new Error('A member of the group staff has no access to its circle notes.');
  const name = await namesOf(ctx, notes.viewer.clinic.id);
  return {
    docId,
    access,
    signed: record.signed ? { by: name(record.signed.by), at: record.signed.at } : null,
    addenda: record.addenda.map((a) => ({ id: a.id, text: a.text, by: name(a.by), at: a.at })),
  };
}

/** `POST /sessions/:id/circle-notes`: the session's notes, made on first use. */
export async function openCircleNotes(
  ctx: CoreContext,
  viewer: Viewer | null,
  sessionId: string,
): Promise<CircleNotesView> {
  const notes = await notesContext(ctx, viewer, sessionId, 'circle_notes.open');
  const docId = await ensureNotes(ctx, notes);
  return notesView(ctx, notes, docId, await readNotesRecord(ctx, notes.session.streamId));
}

/** The stream as the viewer writes to it from an HTTP call (no socket of theirs involved). */
async function streamAs(ctx: CoreContext, notes: NotesContext): Promise<OpenedStream> {
  const stream = await ctx.store.getEventStream(notes.session.streamId);
  if (!stream) throw new Error(`No stream for session ${notes.session.id}.`);
  const { user } = notes.viewer;
  return {
    stream,
    recipient: { kind: 'staff', userId: user.id, roles: user.roles },
    actorId: user.id,
    displayName: user.displayName,
    roles: user.roles,
  };
}

function throwRefusal(outcome: Exclude<DecidedOutcome, { ok: true }>): never {
  if (outcome.reason === 'rate_limited') {
    throw new CoreError('rate_limited', 'busy_stream', 'The session is busy; try again in a moment.', {
      retryAfterSeconds: 1,
    });
  }
  throw new CoreError(
    outcome.reason === 'invalid' ? 'unprocessable' : 'conflict',
    outcome.reason,
    outcome.message,
  );
}

/**
 * Signs the notes: one `notes.signed`, however many sign at once (decide-then-commit: the
 * second reads the first's signature and writes nothing). Signed notes answer as they are.
 * Open writing sockets are closed at once (`document-frozen`), and reopen read-only.
 */
export async function signCircleNotes(
  ctx: CoreContext,
  viewer: Viewer | null,
  sessionId: string,
  input: unknown,
): Promise<CircleNotesView> {
  parseInput(z.strictObject({}), input ?? {});
  const notes = await notesContext(ctx, viewer, sessionId, 'circle_notes.sign');
  await requireAuthor(ctx, notes, 'circle_notes.sign');
  const docId = await ensureNotes(ctx, notes);
  const outcome = await runDecidedCommand(ctx, await streamAs(ctx, notes), generateId(), (decision) => {
    if (decision.state.notes.signed) return { ok: true, answeredBy: decision.state.lastSeq };
    if (decision.actor.kind !== 'staff' || !mayAuthorNotes(decision.actor.roles))
      return refuse("Only the group's facilitators and co-therapists can sign the notes.");
    return { ok: true, events: [draft('notes.signed', { docId }, decision.key)] };
  });
  if (!outcome.ok) throwRefusal(outcome);
  if (!outcome.duplicate) {
    announceStreamEvent(ctx, notes.session.streamId, outcome.seq);
    ctx.events.emit('document-frozen', { docId });
  }
  return notesView(ctx, notes, docId, await readNotesRecord(ctx, notes.session.streamId));
}

const addendumInput = z.strictObject({ text: z.string().max(100_000) });

/** Adds an addendum to signed notes (a correction after signing goes here, never in the text). */
export async function addNotesAddendum(
  ctx: CoreContext,
  viewer: Viewer | null,
  sessionId: string,
  input: unknown,
): Promise<CircleNotesView> {
  const { text: raw } = parseInput(addendumInput, input);
  const notes = await notesContext(ctx, viewer, sessionId, 'circle_notes.addendum');
  await requireAuthor(ctx, notes, 'circle_notes.addendum');
  const text = raw.trim();
  const problem = addendumTextProblem(text);
  if (problem)
    throw new CoreError('unprocessable', 'invalid_addendum', problem, { fields: { text: problem } });
  const docId = await ensureNotes(ctx, notes);
  const addendumId = generateId();
  const outcome = await runDecidedCommand(ctx, await streamAs(ctx, notes), generateId(), (decision) => {
    if (!decision.state.notes.signed)
      return refuse('Addenda follow a signature: sign the notes first, or edit them while unsigned.');
    if (decision.actor.kind !== 'staff' || !mayAuthorNotes(decision.actor.roles))
      return refuse("Only the group's facilitators and co-therapists can add to the notes.");
    return { ok: true, events: [draft('notes.addendum_added', { addendumId, docId, text }, decision.key)] };
  });
  if (!outcome.ok) throwRefusal(outcome);
  announceStreamEvent(ctx, notes.session.streamId, outcome.seq);
  return notesView(ctx, notes, docId, await readNotesRecord(ctx, notes.session.streamId));
}

const HISTORY_PAGE = 1_000;

async function readHistory(ctx: CoreContext, docId: string): Promise<DocUpdateHistoryRecord[]> {
  const rows: DocUpdateHistoryRecord[] = [];
  for (;;) {
    const page = await ctx.store.readDocUpdates(docId, rows.at(-1)?.seq ?? 0, HISTORY_PAGE);
    rows.push(...page);
    if (page.length < HISTORY_PAGE) return rows;
  }
}

/** `GET …/circle-notes/versions`: the notes' versions, newest first, with their authors. */
export async function listNoteVersions(
  ctx: CoreContext,
  viewer: Viewer | null,
  sessionId: string,
): Promise<NoteVersionView[]> {
  const notes = await notesContext(ctx, viewer, sessionId, 'circle_notes.versions');
  const docId = await ensureNotes(ctx, notes);
  const name = await namesOf(ctx, notes.viewer.clinic.id);
  return groupVersions(await readHistory(ctx, docId))
    .reverse()
    .map((version) => ({
      seq: version.seq,
      at: version.at.toISOString(),
      authors: version.authorIds.map((userId) => ({ userId, name: name(userId) })),
      characters: version.characters,
    }));
}

const NO_VERSION = 'That version does not exist. Pick one from the list of versions.';

/** `GET …/circle-notes/versions/:seq`: the notes as they were after the update at `seq`. */
export async function noteVersionContent(
  ctx: CoreContext,
  viewer: Viewer | null,
  sessionId: string,
  seq: number,
): Promise<NoteVersionContentView> {
  const notes = await notesContext(ctx, viewer, sessionId, 'circle_notes.version');
  const rows = await readHistory(ctx, await ensureNotes(ctx, notes));
  if (!rows.some((row) => row.seq === seq)) throw new CoreError('not_found', 'no_version', NO_VERSION);
  return { seq, doc: versionJson(rows, seq) };
}

/** Yjs client ids are 32-bit; a fresh one is drawn until nobody owns it yet. */
async function claimFreshClientId(ctx: CoreContext, docId: string, userId: string): Promise<number> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const candidate = crypto.getRandomValues(new Uint32Array(1))[0]!;
    const owners = await ctx.store.claimDocClients(docId, userId, [candidate]);
    if (owners.get(candidate) === userId) return candidate;
  }
  throw new CoreError('busy', 'no_client_id', 'The notes could not be restored just now; try again.');
}

const restoreInput = z.strictObject({ seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

/**
 * `POST …/circle-notes/restore`: makes the notes' content equal to the version at `seq` by a
 * new edit of the restoring staff member (under a Yjs client id claimed for them, like any
 * editor's), committed before the answer and then sent to every open editor through the rooms
 * (`document-written`). Refused once signed. Audited with ids only.
 */
export async function restoreNoteVersion(
  ctx: CoreContext,
  viewer: Viewer | null,
  sessionId: string,
  input: unknown,
): Promise<CircleNotesView> {
  const { seq } = parseInput(restoreInput, input);
  const notes = await notesContext(ctx, viewer, sessionId, 'circle_notes.restore');
  await requireAuthor(ctx, notes, 'circle_notes.restore');
  const docId = await ensureNotes(ctx, notes);
  return oneRestoreAtATime(docId, () => restoreNow(ctx, notes, docId, seq));
}

/** By document: the tail of the restores queued on this process. */
const restoring = new Map<string, Promise<unknown>>();

/**
 * Restores of one document run one after another: each reads the history the one before wrote,
 * so two at once (a double click, two people) still leave exactly the version, not two copies.
 */
function oneRestoreAtATime<T>(docId: string, work: () => Promise<T>): Promise<T> {
  const run = (restoring.get(docId) ?? Promise.resolve()).then(work, work);
  const tail = run.catch(() => undefined);
  restoring.set(docId, tail);
  void tail.then(() => {
    if (restoring.get(docId) === tail) restoring.delete(docId);
  });
  return run;
}

async function restoreNow(
  ctx: CoreContext,
  notes: NotesContext,
  docId: string,
  seq: number,
): Promise<CircleNotesView> {
  if ((await readNotesRecord(ctx, notes.session.streamId)).signed) {
    throw new CoreError(
      'conflict',
      'signed',
      'The notes are signed and can no longer change; add an addendum instead.',
    );
  }
  const rows = await readHistory(ctx, docId);
  if (!rows.some((row) => row.seq === seq)) throw new CoreError('not_found', 'no_version', NO_VERSION);
  const userId = notes.viewer.user.id;
  const update = restoreUpdate(rows, seq, await claimFreshClientId(ctx, docId, userId));
  // The same cap the socket keeps (BI-Y4): a restore may not grow the notes past it either.
  const state = await ctx.store.loadDocState(docId);
  if (
    (state.snapshot?.byteLength ?? 0) + state.tailBytes + update.byteLength >
    DOCUMENT_KINDS.circle_notes.maxBytes
  ) {
    throw new CoreError(
      'conflict',
      'too_large',
      'The notes have reached their size limit, so that version cannot be restored. Ask an administrator.',
    );
  }
  const [written] = await ctx.store.appendDocUpdates([{ docId, update, actorId: userId, deviceId: null }]);
  await recordAudit(ctx, 'circle_notes.restored', {
    clinicId: notes.viewer.clinic.id,
    actorUserId: userId,
    targetId: docId,
    details: { sessionId: notes.session.id, versionSeq: seq, seq: written ?? null },
  });
  if (written !== undefined) ctx.events.emit('document-written', { docId, seq: written });
  return notesView(ctx, notes, docId, await readNotesRecord(ctx, notes.session.streamId));
}

/** `POST /sessions/:id/clinician-note`: the viewer's own private note, made on first use. */
export async function openClinicianNote(
  ctx: CoreContext,
  viewer: Viewer | null,
  sessionId: string,
): Promise<ClinicianNoteView> {
  const notes = await notesContext(ctx, viewer, sessionId, 'clinician_note.open');
  const id = clinicianNoteId(notes.session.id, notes.viewer.user.id);
  await ensureDocument(ctx, {
    id,
    clinicId: notes.viewer.clinic.id,
    kind: 'clinician_note',
    ownerUserId: notes.viewer.user.id,
    streamId: notes.session.streamId,
    createdAt: ctx.now(),
  });
  return { docId: id };
}
