/**
 * The session event stream's wire format, shared by the server and the browser: JSON text
 * frames on `/ws/stream/:streamId`. The client says `hello` with the last seq it holds, gets
 * every event after it that it may see, then live events; commands carry an id the client
 * made up (its idempotency key) and are acknowledged only once their event is committed.
 * Who may see which event is @cairn/domain's rule (session-events.ts).
 */
import {
  ADDENDUM_MAX_CHARS,
  CHECK_IN_MOMENTS,
  MAX_REASON_LENGTH,
  PROMPT_ANSWER_MAX,
  PROMPT_ANSWER_SHARES,
  PROMPT_REFUSALS,
  PROMPT_RELEASE_MAX_PARTICIPANTS,
  PROMPT_STAGES,
  PROMPT_TEXT_MAX,
  PARTICIPANT_STATES,
  PHASE_LABELS,
  type SessionCommandType,
  type SessionEventType,
  type SessionPhase,
} from '@cairn/domain';
import { z } from 'zod';

/** Largest frame either side sends; events are small facts, never documents. */
export const STREAM_MAX_FRAME_BYTES = 16 * 1024;
/** Most events in one `events` frame (history arrives in pages of this many). */
export const STREAM_PAGE_SIZE = 200;

const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** A command id: the client's idempotency key, random and opaque (e.g. a UUID). */
export const commandIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

const phaseSchema = z.enum(Object.keys(PHASE_LABELS) as [SessionPhase, ...SessionPhase[]]);
const participantStateSchema = z.enum(PARTICIPANT_STATES);
const participantIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
/** What a person typed as a reason: one home for its limit, checked again by the domain rule. */
const reasonSchema = z.string().max(MAX_REASON_LENGTH);
/** Ids the server makes (alerts, tasks, requests, releases) and the client echoes back. */
const serverIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
/** A prompt's id in a session's deck (the deck document makes them; opaque to the server). */
const promptIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const seatSchema = z.number().int().min(1).max(64);
const momentSchema = z.enum(CHECK_IN_MOMENTS);
const stageSchema = z.enum(PROMPT_STAGES);
const promptTextSchema = z.string().max(PROMPT_TEXT_MAX);
const answerTextSchema = z.string().max(PROMPT_ANSWER_MAX);
const shownNameSchema = z.string().max(200);

// --- Event payloads: what each event type carries. The server builds them; clients parse them.

export const EVENT_PAYLOAD_SCHEMAS = {
  'presence.joined': z.strictObject({
    name: z.string().min(1).max(200),
    roles: z.array(z.string().max(40)).max(8),
  }),
  'staff.duty_changed': z.strictObject({ onDuty: z.boolean() }),
  'tablet.admission_requested': z.strictObject({
    deviceId: z.string().max(64),
    participantId: z.string().max(64),
  }),
  'tablet.admitted': z.strictObject({ deviceId: z.string().max(64), participantId: z.string().max(64) }),
  'tablet.rejected': z.strictObject({ deviceId: z.string().max(64), participantId: z.string().max(64) }),
  'tablet.code_retired': z.strictObject({ reason: z.literal('too_many_failures') }),
  'tablet.code_reused': z.strictObject({
    message: z.literal('Second attempt to use a code that was already used.'),
  }),
  'tablet.sessions_ended': z.strictObject({ tablets: z.number().int().min(0) }),
  'session.phase_changed': z.strictObject({
    action: z.enum(['advance', 'pause', 'resume', 'abort']),
    from: phaseSchema,
    phase: phaseSchema,
    paused: z.boolean(),
    aborted: z.boolean(),
  }),
  'session.aborted': z.strictObject({ reason: reasonSchema.min(1) }),
  'participant.state_changed': z.strictObject({
    participantId: participantIdSchema,
    seat: z.number().int().min(1).max(64),
    from: participantStateSchema,
    to: participantStateSchema,
    escortPresent: z.boolean().optional(),
  }),
  'participant.state_noted': z.strictObject({
    participantId: participantIdSchema,
    reason: reasonSchema.min(1),
  }),
  'participant.assigned': z.strictObject({
    participantId: participantIdSchema,
    /** The co-therapist's user id; null: nobody in particular. */
    userId: serverIdSchema.nullable(),
  }),
  'tablet.presence': z.strictObject({ participantId: participantIdSchema, online: z.boolean() }),
  'checkin.submitted': z.strictObject({
    participantId: participantIdSchema,
    seat: seatSchema,
    moment: momentSchema,
    /** Valid for `moment` by @cairn/domain's check-in-form.ts; the intention never is here. */
    answers: z.record(z.string(), z.unknown()),
    flags: z.array(z.enum(['urgent_safety', 'medical_review', 'private_talk'])).max(3),
  }),
  'checkin.intention_kept': z.strictObject({
    participantId: participantIdSchema,
    moment: momentSchema,
    intention: z.string().max(2_000),
  }),
  'alert.raised': z.strictObject({
    alertId: serverIdSchema,
    participantId: participantIdSchema,
    seat: seatSchema,
    kind: z.enum(['self_harm', 'medical_review', 'private_talk']),
    severity: z.enum(['urgent', 'attention', 'info']),
  }),
  'alert.acknowledged': z.strictObject({ alertId: serverIdSchema }),
  'task.opened': z.strictObject({
    taskId: serverIdSchema,
    participantId: participantIdSchema,
    seat: seatSchema,
    kind: z.enum(['safety_follow_up']),
    alertId: serverIdSchema,
  }),
  'task.completed': z.strictObject({ taskId: serverIdSchema }),
  'support.requested': z.strictObject({
    requestId: serverIdSchema,
    participantId: participantIdSchema,
    seat: seatSchema,
  }),
  'support.escalated': z.strictObject({ requestId: serverIdSchema, participantId: participantIdSchema }),
  'support.acknowledged': z.strictObject({ requestId: serverIdSchema, participantId: participantIdSchema }),
  'prompt.queued_for_return': z.strictObject({
    promptId: promptIdSchema,
    libraryId: z.string().max(64).nullable(),
    stage: stageSchema,
    text: promptTextSchema.min(1),
    hideSharedUntilRevealed: z.boolean(),
  }),
  'prompt.released': z.strictObject({
    releaseId: serverIdSchema,
    promptId: promptIdSchema,
    participantId: participantIdSchema,
    /** A default prompt's id (prompt-library.ts): the tablet shows it in its own language. */
    libraryId: z.string().max(64).nullable(),
    stage: stageSchema,
    text: promptTextSchema.min(1),
    hideSharedUntilRevealed: z.boolean(),
  }),
  'prompt.seen': z.strictObject({ promptId: promptIdSchema, participantId: participantIdSchema }),
  /** Where the answer went; streams written before issue 6 carry `shared: boolean` instead. */
  'prompt.answered': z.strictObject({
    promptId: promptIdSchema,
    participantId: participantIdSchema,
    share: z.enum(PROMPT_ANSWER_SHARES),
  }),
  /** No longer written (a private answer goes into the encrypted journal); kept for older streams. */
  'prompt.answer_kept': z.strictObject({
    answerId: serverIdSchema,
    promptId: promptIdSchema,
    participantId: participantIdSchema,
    text: answerTextSchema.min(1),
  }),
  'prompt.answer_held': z.strictObject({
    answerId: serverIdSchema,
    promptId: promptIdSchema,
    participantId: participantIdSchema,
    name: shownNameSchema,
    text: answerTextSchema.min(1),
  }),
  'prompt.answer_shared': z.strictObject({
    answerId: serverIdSchema,
    promptId: promptIdSchema,
    participantId: participantIdSchema,
    name: shownNameSchema,
    text: answerTextSchema.min(1),
  }),
  'prompt.revealed': z.strictObject({ promptId: promptIdSchema }),
  'prompt.answer_to_therapist': z.strictObject({
    answerId: serverIdSchema,
    promptId: promptIdSchema,
    participantId: participantIdSchema,
    name: shownNameSchema,
    text: answerTextSchema.min(1),
  }),
  'notes.signed': z.strictObject({ docId: serverIdSchema }),
  'notes.addendum_added': z.strictObject({
    addendumId: serverIdSchema,
    docId: serverIdSchema,
    text: z.string().min(1).max(ADDENDUM_MAX_CHARS),
  }),
} as const satisfies Record<SessionEventType, z.ZodType>;

export type EventPayload<T extends SessionEventType> = z.infer<(typeof EVENT_PAYLOAD_SCHEMAS)[T]>;

// --- Commands: what a client may ask for. Each becomes one event once the rules allow it.

export const COMMAND_SCHEMAS = {
  'duty.set': z.strictObject({ type: z.literal('duty.set'), onDuty: z.boolean() }),
  'phase.advance': z.strictObject({ type: z.literal('phase.advance'), to: phaseSchema }),
  'phase.pause': z.strictObject({ type: z.literal('phase.pause') }),
  'phase.resume': z.strictObject({ type: z.literal('phase.resume') }),
  // Too long is refused here; blank is the domain's refusal, with a sentence saying why.
  'phase.abort': z.strictObject({ type: z.literal('phase.abort'), reason: reasonSchema }),
  'participant.set_state': z.strictObject({
    type: z.literal('participant.set_state'),
    participantId: participantIdSchema,
    to: participantStateSchema,
    reason: reasonSchema.optional(),
    escortPresent: z.boolean().optional(),
  }),
  'participant.assign': z.strictObject({
    type: z.literal('participant.assign'),
    participantId: participantIdSchema,
    userId: serverIdSchema.nullable(),
  }),
  // The answers' shape depends on the moment: @cairn/domain checks them, naming the field.
  'checkin.submit': z.strictObject({
    type: z.literal('checkin.submit'),
    moment: momentSchema,
    answers: z.record(z.string().max(64), z.unknown()),
  }),
  'support.request': z.strictObject({ type: z.literal('support.request') }),
  'support.acknowledge': z.strictObject({
    type: z.literal('support.acknowledge'),
    requestId: serverIdSchema,
  }),
  'alert.acknowledge': z.strictObject({ type: z.literal('alert.acknowledge'), alertId: serverIdSchema }),
  'task.complete': z.strictObject({ type: z.literal('task.complete'), taskId: serverIdSchema }),
  'prompt.release': z.strictObject({
    type: z.literal('prompt.release'),
    promptId: promptIdSchema,
    libraryId: z.string().max(64).nullable(),
    stage: stageSchema,
    text: promptTextSchema,
    to: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('all') }),
      z.strictObject({
        kind: z.literal('participants'),
        participantIds: z.array(participantIdSchema).min(1).max(PROMPT_RELEASE_MAX_PARTICIPANTS),
      }),
      z.strictObject({ kind: z.literal('on_return') }),
    ]),
    hideSharedUntilRevealed: z.boolean(),
  }),
  'prompt.reveal': z.strictObject({ type: z.literal('prompt.reveal'), promptId: promptIdSchema }),
  'prompt.seen': z.strictObject({ type: z.literal('prompt.seen'), promptId: promptIdSchema }),
  // A journal answer carries no words: they go into the participant's encrypted journal, never
  // to the server. A share carries the words it shares. `promptAnswerRefusal` says why others fail.
  'prompt.answer': z.discriminatedUnion('share', [
    z.strictObject({
      type: z.literal('prompt.answer'),
      promptId: promptIdSchema,
      share: z.literal('journal'),
    }),
    z.strictObject({
      type: z.literal('prompt.answer'),
      promptId: promptIdSchema,
      share: z.enum(['circle', 'therapist']),
      text: answerTextSchema,
    }),
  ]),
} as const satisfies Record<SessionCommandType, z.ZodType>;

/**
 * Why a `prompt.answer` the schema refused is wrong, for a person, or null when it is not a
 * prompt answer the client could fix: an older tablet's `share: true/false`, an unknown
 * destination, words on a journal answer, or a share with no words or too many. Refused as
 * `invalid` with this sentence rather than `bad_command`, so the tablet can say what happened.
 */
export function promptAnswerRefusal(command: unknown): string | null {
  if (typeof command !== 'object' || command === null) return null;
  const fields = command as Record<string, unknown>;
  if (fields['type'] !== 'prompt.answer' || !promptIdSchema.safeParse(fields['promptId']).success)
    return null;
  const share = fields['share'];
  if (!(PROMPT_ANSWER_SHARES as readonly unknown[]).includes(share)) return PROMPT_REFUSALS.answerShare;
  if (share === 'journal') return 'text' in fields ? PROMPT_REFUSALS.journalAnswerText : null;
  const text = fields['text'];
  if (typeof text !== 'string' || text.length > PROMPT_ANSWER_MAX) return PROMPT_REFUSALS.answerText;
  return null;
}

const commandSchema = z.discriminatedUnion('type', [
  COMMAND_SCHEMAS['duty.set'],
  COMMAND_SCHEMAS['phase.advance'],
  COMMAND_SCHEMAS['phase.pause'],
  COMMAND_SCHEMAS['phase.resume'],
  COMMAND_SCHEMAS['phase.abort'],
  COMMAND_SCHEMAS['participant.set_state'],
  COMMAND_SCHEMAS['participant.assign'],
  COMMAND_SCHEMAS['checkin.submit'],
  COMMAND_SCHEMAS['support.request'],
  COMMAND_SCHEMAS['support.acknowledge'],
  COMMAND_SCHEMAS['alert.acknowledge'],
  COMMAND_SCHEMAS['task.complete'],
  COMMAND_SCHEMAS['prompt.release'],
  COMMAND_SCHEMAS['prompt.reveal'],
  COMMAND_SCHEMAS['prompt.seen'],
  COMMAND_SCHEMAS['prompt.answer'],
]);
export type StreamCommand = z.infer<typeof commandSchema>;

// --- Client → server

const helloSchema = z.strictObject({ type: z.literal('hello'), since: seq });
const commandMessageSchema = z.strictObject({
  type: z.literal('command'),
  id: commandIdSchema,
  command: z.unknown(),
});

export type ClientStreamMessage =
  z.infer<typeof helloSchema> | { type: 'command'; id: string; command: StreamCommand };

/**
 * Why a client frame was refused. `malformed` closes the socket (the client is broken or
 * hostile); `bad_command` refuses that one command and keeps the socket (the client may be
 * older or newer than the server, and its other commands still count).
 */
export type StreamMessageParse =
  | { ok: true; message: ClientStreamMessage }
  | { ok: false; fatal: true; reason: 'too_large' | 'not_json' | 'malformed' }
  | { ok: false; fatal: false; id: string; reason: 'bad_command' }
  | { ok: false; fatal: false; id: string; reason: 'invalid'; message: string };

export function parseClientStreamMessage(text: string): StreamMessageParse {
  // Length in UTF-16 units is at most the byte length, so this bound never rejects a legal frame.
  if (text.length > STREAM_MAX_FRAME_BYTES) return { ok: false, fatal: true, reason: 'too_large' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, fatal: true, reason: 'not_json' };
  }
  const hello = helloSchema.safeParse(json);
  if (hello.success) return { ok: true, message: hello.data };
  const envelope = commandMessageSchema.safeParse(json);
  if (!envelope.success) return { ok: false, fatal: true, reason: 'malformed' };
  const command = commandSchema.safeParse(envelope.data.command);
  if (!command.success) {
    const { id } = envelope.data;
    const message = promptAnswerRefusal(envelope.data.command);
    return message === null
      ? { ok: false, fatal: false, id, reason: 'bad_command' }
      : { ok: false, fatal: false, id, reason: 'invalid', message };
  }
  return { ok: true, message: { type: 'command', id: envelope.data.id, command: command.data } };
}

// --- Server → client

export interface StreamEvent {
  seq: number;
  type: string;
  payload: Record<string, unknown>;
  /** Who caused it (a user or participant id, or `system`). */
  actorId: string;
  /** ISO 8601. */
  at: string;
}

/**
 * `not_allowed`: the rules refused it as things stand (a phase guard, a participant's state);
 * the frame carries the reason in words. Unlike the others, the same id may succeed later,
 * once the situation changed — nothing was stored for it. `invalid`: well-formed but a value
 * is wrong (a check-in score of 11); `message` names the field and what it accepts.
 */
export type CommandRefusal = 'bad_command' | 'forbidden' | 'rate_limited' | 'not_allowed' | 'invalid';

export type ServerStreamMessage =
  /** After `hello`: the stream is open; history follows, then `live`. */
  | { type: 'welcome'; streamId: string }
  /** Events after the client's cursor, oldest first, only those it may see; never empty. */
  | { type: 'events'; events: StreamEvent[] }
  /** Everything up to now has been sent; later events arrive as they happen. */
  | { type: 'live' }
  /** The command is committed as event `seq`; `duplicate` if that id had been used before. */
  | { type: 'ack'; id: string; seq: number; duplicate: boolean }
  /**
   * The command was not applied. `rate_limited`: send it again later with the same id;
   * `not_allowed` and `invalid`: `message` says why, for a person; any other reason is final — retrying the
   * same id gets the same answer.
   */
  | { type: 'rejected'; id: string; reason: CommandRefusal; message?: string };

const streamEventSchema = z.strictObject({
  seq: seq.min(1),
  type: z.string().max(100),
  payload: z.record(z.string(), z.unknown()),
  actorId: z.string().max(100),
  at: z.string().max(40),
});

const serverMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('welcome'), streamId: z.string() }),
  z.strictObject({ type: z.literal('events'), events: z.array(streamEventSchema).min(1) }),
  z.strictObject({ type: z.literal('live') }),
  z.strictObject({ type: z.literal('ack'), id: commandIdSchema, seq: seq.min(1), duplicate: z.boolean() }),
  z.strictObject({
    type: z.literal('rejected'),
    id: commandIdSchema,
    reason: z.enum(['bad_command', 'forbidden', 'rate_limited', 'not_allowed', 'invalid']),
    message: z.string().max(1000).optional(),
  }),
]);

/** For clients: a server frame, or null if it is not one this version understands. */
export function parseServerStreamMessage(text: string): ServerStreamMessage | null {
  try {
    const parsed = serverMessageSchema.safeParse(JSON.parse(text));
    return parsed.success ? (parsed.data as ServerStreamMessage) : null;
  } catch {
    return null;
  }
}

export function encodeStreamMessage(message: ServerStreamMessage | ClientStreamMessage): string {
  return JSON.stringify(message);
}
