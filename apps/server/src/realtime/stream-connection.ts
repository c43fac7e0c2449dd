/**
 * One socket following one session's event stream. The client's first frame is `hello` with
 * the last seq it holds; it then gets, in order and exactly once, every later event it may see
 * (history first, then `live`, then events as they are committed). Commands are handled one
 * at a time and acknowledged only after their event is committed. Every frame is untrusted:
 * malformed or over-limit traffic closes this socket only.
 */
import {
  announceJoin,
  recordTabletPresence,
  runStreamCommand,
  type CoreContext,
  type OpenedStream,
} from '@cairn/core';
import { mayReceiveEvent } from '@cairn/domain';
import type { EventRecord } from '@cairn/db';
import {
  CLOSE_CODES,
  encodeStreamMessage,
  parseClientStreamMessage,
  STREAM_PAGE_SIZE,
  type ServerStreamMessage,
  type StreamCommand,
  type StreamEvent,
} from '@cairn/sync';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { TokenBucket } from './rate.ts';
import type { StreamRoom, StreamMember } from './stream-room.ts';
import type { StreamRooms } from './stream-rooms.ts';

export interface StreamSocketLimits {
  /** Frames a socket may send in a burst, and per second after it (BI-W10). */
  messageBurst: number;
  messagesPerSecond: number;
  /** Commands per second beyond a small burst; extra ones are refused, not queued. */
  commandBurst: number;
  commandsPerSecond: number;
  /** Bytes queued to a socket before it counts as a slow consumer and is shed (BI-W9). */
  maxBufferedBytes: number;
  /** How long a socket may stay open without saying `hello` (BI-W8). */
  helloTimeoutMs: number;
  /** Interval of pings; a socket that missed the previous pong is dropped (BI-W11). */
  heartbeatMs: number;
}

export interface StreamSocketContext {
  core: CoreContext;
  rooms: StreamRooms;
  limits: StreamSocketLimits;
  log: FastifyBaseLogger;
  /** Called when the socket closes, to stop revocation checks for it. */
  onClose: () => void;
  /** Whether the session is still valid, checked before each command (at most once a second). */
  stillSignedIn: () => Promise<boolean>;
}

const RATE_LIMITED = 4429;
const TOO_SLOW = 4205;

function toWire(event: EventRecord): StreamEvent {
  return {
    seq: event.seq,
    type: event.type,
    payload: event.payload,
    actorId: event.actorId,
    at: event.at.toISOString(),
  };
}

export function serveStreamSocket(
  socket: WebSocket,
  opened: OpenedStream,
  context: StreamSocketContext,
): { close(code: number, reason: string): void } {
  const { core, rooms, limits, log } = context;
  const frames = new TokenBucket(limits.messageBurst, limits.messagesPerSecond);
  const commandRate = new TokenBucket(limits.commandBurst, limits.commandsPerSecond);
  let closed = false;
  let room: StreamRoom | null = null;
  /** The highest seq this client has been sent or has skipped as not its to see. */
  let cursor = -1;
  let live = false;
  let pumping = false;
  let pumpAgain = false;
  let commands: Promise<void> = Promise.resolve();
  let alive = true;

  const send = (message: ServerStreamMessage): void => {
    if (closed) return;
    if (socket.bufferedAmount > limits.maxBufferedBytes) {
      // A client that reads nothing would not read a close frame either: drop the connection
      // so its buffers are freed now. It resumes from its last seq when it reconnects.
      log.warn({ event: 'stream_socket_shed' }, 'shedding a slow session stream socket');
      close(TOO_SLOW, 'too slow, reconnect to resume');
      socket.terminate();
      return;
    }
    socket.send(encodeStreamMessage(message));
  };

  function close(code: number, reason: string): void {
    if (closed) return;
    closed = true;
    socket.close(code, reason);
  }

  const refuse = (code: number, why: string) => {
    log.warn({ event: 'stream_socket_refused', why }, 'closing a session stream socket');
    close(code, why);
  };

  /**
   * Sends everything after the cursor that this client may see. Events it may not see move
   * the cursor silently: no frame, so not even their timing reaches it.
   */
  async function pump(): Promise<void> {
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    try {
      do {
        pumpAgain = false;
        while (!closed && room && cursor < room.head) {
          const batch = await room.eventsAfter(cursor, STREAM_PAGE_SIZE);
          if (batch.length === 0) break;
          const visible = batch.filter((event) => mayReceiveEvent(event, opened.recipient));
          if (visible.length > 0) send({ type: 'events', events: visible.map(toWire) });
          cursor = batch.at(-1)!.seq;
        }
      } while (pumpAgain && !closed);
      if (!live && !closed) {
        live = true;
        send({ type: 'live' });
      }
    } catch {
      refuse(CLOSE_CODES.restarting, 'stream unavailable, reconnecting');
    } finally {
      pumping = false;
    }
  }

  const member: StreamMember = { advance: () => void pump() };

  async function start(since: number): Promise<void> {
    cursor = since;
    try {
      room = await rooms.join(opened.stream.id, member);
    } catch {
      return refuse(CLOSE_CODES.restarting, 'stream unavailable, reconnecting');
    }
    if (closed) return rooms.leave(room, member);
    send({ type: 'welcome', streamId: opened.stream.id });
    await pump();
    try {
      const joined = await announceJoin(core, opened);
      if (joined && !joined.duplicate) rooms.announce(opened.stream.id, joined.seq);
    } catch {
      // Joining is a record, not a precondition: the stream works without it.
    }
    await tabletPresence(1);
  }

  /** The board's presence dot: written on this instance's first socket of the tablet and its last. */
  let counted = false;
  async function tabletPresence(change: 1 | -1): Promise<void> {
    const { recipient } = opened;
    if (recipient.kind !== 'participant') return;
    if (change === 1 ? counted || closed : !counted) return;
    counted = change === 1;
    const open = rooms.countTabletSocket(opened.stream.id, recipient.participantId, change);
    if (open !== (change === 1 ? 1 : 0)) return;
    try {
      const written = await recordTabletPresence(core, opened, change === 1);
      if (written) rooms.announce(opened.stream.id, written.seq);
    } catch {
      // Presence is a record, not a precondition: the stream works without it.
    }
  }

  async function runCommand(id: string, command: StreamCommand): Promise<void> {
    if (closed) return;
    if (!(await context.stillSignedIn())) return refuse(CLOSE_CODES.signedOut, 'session ended');
    let outcome: Awaited<ReturnType<typeof runStreamCommand>>;
    try {
      outcome = await runStreamCommand(core, opened, id, command);
    } catch {
      // Not committed: the client keeps the command and sends the same id after reconnecting.
      return refuse(CLOSE_CODES.restarting, 'saving paused, reconnecting');
    }
    if (!outcome.ok) {
      const message =
        outcome.reason === 'not_allowed' || outcome.reason === 'invalid' ? { message: outcome.message } : {};
      return send({ type: 'rejected', id, reason: outcome.reason, ...message });
    }
    if (!outcome.duplicate) rooms.announce(opened.stream.id, outcome.seq);
    send({ type: 'ack', id, seq: outcome.seq, duplicate: outcome.duplicate });
  }

  const helloDeadline = setTimeout(() => refuse(CLOSE_CODES.badMessage, 'no hello'), limits.helloTimeoutMs);
  helloDeadline.unref();
  let greeted = false;

  socket.on('message', (data: Buffer, isBinary: boolean) => {
    if (closed) return;
    if (isBinary) return refuse(CLOSE_CODES.badMessage, 'text frames only');
    if (!frames.take()) return refuse(RATE_LIMITED, 'too many messages');
    const parsed = parseClientStreamMessage(data.toString('utf8'));
    if (!parsed.ok) {
      if (parsed.fatal) return refuse(CLOSE_CODES.badMessage, `malformed frame (${parsed.reason})`);
      if (!greeted) return refuse(CLOSE_CODES.badMessage, 'hello first');
      // `invalid` names what to fix (an older tablet's prompt answer); nothing was stored either way.
      const { id } = parsed;
      const message = parsed.reason === 'invalid' ? { message: parsed.message } : {};
      commands = commands.then(() => send({ type: 'rejected', id, reason: parsed.reason, ...message }));
      return;
    }
    const { message } = parsed;
    if (message.type === 'hello') {
      if (greeted) return refuse(CLOSE_CODES.badMessage, 'hello twice');
      greeted = true;
      clearTimeout(helloDeadline);
      commands = start(message.since);
      return;
    }
    if (!greeted) return refuse(CLOSE_CODES.badMessage, 'hello first');
    if (!commandRate.take()) {
      commands = commands.then(() => send({ type: 'rejected', id: message.id, reason: 'rate_limited' }));
      return;
    }
    commands = commands.then(() => runCommand(message.id, message.command));
  });

  const heartbeat = setInterval(() => {
    if (!alive) {
      socket.terminate();
      return;
    }
    alive = false;
    socket.ping();
  }, limits.heartbeatMs);
  heartbeat.unref();
  socket.on('pong', () => {
    alive = true;
  });

  socket.on('close', () => {
    closed = true;
    clearTimeout(helloDeadline);
    clearInterval(heartbeat);
    context.onClose();
    void commands.then(async () => {
      await tabletPresence(-1);
      if (room) rooms.leave(room, member);
    });
  });
  socket.on('error', () => socket.terminate());

  return { close };
}
