/**
 * The session event stream's wire format, shared by the server and the browser: JSON text
 * frames on `/ws/stream/:streamId`. The client says `hello` with the last seq it holds, gets
 * every event after it that it may see, then live events; commands carry an id the client
 * made up (its idempotency key) and are acknowledged only once their event is committed.
 * Who may see which event is @cairn/domain's rule (session-events.ts).
 */
import type { SessionCommandType, SessionEventType } from '@cairn/domain';
import { z } from 'zod';

/** Largest frame either side sends; events are small facts, never documents. */
export const STREAM_MAX_FRAME_BYTES = 16 * 1024;
/** Most events in one `events` frame (history arrives in pages of this many). */
export const STREAM_PAGE_SIZE = 200;

const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** A command id: the client's idempotency key, random and opaque (e.g. a UUID). */
export const commandIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

// --- Event payloads: what each event type carries. The server builds them; clients parse them.

export const EVENT_PAYLOAD_SCHEMAS = {
  'presence.joined': z.strictObject({
    name: z.string().min(1).max(200),
    roles: z.array(z.string().max(40)).max(8),
  }),
  'staff.duty_changed': z.strictObject({ onDuty: z.boolean() }),
} as const satisfies Record<SessionEventType, z.ZodType>;

export type EventPayload<T extends SessionEventType> = z.infer<(typeof EVENT_PAYLOAD_SCHEMAS)[T]>;

// --- Commands: what a client may ask for. Each becomes one event once the rules allow it.

export const COMMAND_SCHEMAS = {
  'duty.set': z.strictObject({ type: z.literal('duty.set'), onDuty: z.boolean() }),
} as const satisfies Record<SessionCommandType, z.ZodType>;

const commandSchema = z.discriminatedUnion('type', [COMMAND_SCHEMAS['duty.set']]);
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
  | { ok: false; fatal: false; id: string; reason: 'bad_command' };

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
  if (!command.success) return { ok: false, fatal: false, id: envelope.data.id, reason: 'bad_command' };
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

export type CommandRefusal = 'bad_command' | 'forbidden' | 'rate_limited';

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
   * The command was not applied. `rate_limited`: send it again later with the same id; any
   * other reason is final — retrying the same id gets the same answer.
   */
  | { type: 'rejected'; id: string; reason: CommandRefusal };

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
    reason: z.enum(['bad_command', 'forbidden', 'rate_limited']),
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
