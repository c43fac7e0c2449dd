/**
 * One socket on one document. Frames are handled strictly in order, and none before the
 * room is loaded. Every frame is untrusted: malformed, foreign or over-limit traffic closes
 * this socket only (reliability.md §7(a) BI-W*, BI-Y*).
 */
import { findContentViolation, findUpdateViolation, type OpenedDocument, type Viewer } from '@cairn/core';
import { DOCUMENT_KINDS, isDocumentKind, STAFF_ROLE_LABELS, type DocumentKindSpec } from '@cairn/domain';
import {
  CLOSE_CODES,
  encodeAwarenessMessage,
  encodeSyncMessage,
  parseClientDocMessage,
  resolveAgainstDocument,
  SYNC_STEP_1,
  SYNC_STEP_2,
  type ClientDocMessage,
  type GuardVerdict,
} from '@cairn/sync';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { colourFor, filterAwarenessUpdate } from './awareness-filter.ts';
import type { DocRoom, RoomMember } from './doc-room.ts';
import type { DocRooms } from './doc-rooms.ts';
import { TokenBucket } from './rate.ts';
import type { UpdateGuard } from './update-guard.ts';

export interface DocSocketLimits {
  /** Frames a socket may send in a burst, and per second after it (BI-W10). */
  messageBurst: number;
  messagesPerSecond: number;
  /** Awareness updates per second (BI-Y13). */
  awarenessPerSecond: number;
  /** Bytes queued to a socket before it counts as a slow consumer and is shed (BI-W9). */
  maxBufferedBytes: number;
  /** Refused writes a read-only socket may attempt before it is closed (BI-Y10). */
  readOnlyStrikes: number;
  /** Interval of pings; a socket that missed the previous pong is dropped (BI-W11). */
  heartbeatMs: number;
}

export interface DocSocketContext {
  rooms: DocRooms;
  guard: UpdateGuard;
  limits: DocSocketLimits;
  log: FastifyBaseLogger;
  /** Called when the socket closes, to stop revocation checks for it. */
  onClose: () => void;
  /**
   * Whether the session is still valid, checked before a write is applied (at most once a
   * second per socket): a sign-out on another instance stops edits before the sweep closes.
   */
  stillSignedIn: () => Promise<boolean>;
}

const TOO_LARGE = 4413;
const RATE_LIMITED = 4429;
const TOO_SLOW = 4205;

export function serveDocSocket(
  socket: WebSocket,
  viewer: Viewer,
  opened: OpenedDocument,
  context: DocSocketContext,
): RoomMember {
  const { limits, log } = context;
  const messages = new TokenBucket(limits.messageBurst, limits.messagesPerSecond);
  const awarenessRate = new TokenBucket(3, limits.awarenessPerSecond);
  const identity = {
    name: viewer.user.displayName,
    role: viewer.user.roles.map((role) => STAFF_ROLE_LABELS[role]).join(', '),
    color: colourFor(viewer.user.id),
  };
  const kind = opened.document.kind;
  // Rich text's content is described by the guard and checked (BI-Y11); other kinds skip both.
  const spec: DocumentKindSpec | null = isDocumentKind(kind) ? DOCUMENT_KINDS[kind] : null;
  const richText = spec?.richText === true;
  let room: DocRoom | null = null;
  let closed = false;
  let readOnlyStrikes = 0;
  let alive = true;

  const member: RoomMember = {
    userId: viewer.user.id,
    writes: opened.access === 'write',
    awarenessClients: new Set(),
    send(frame) {
      if (closed) return;
      if (socket.bufferedAmount > limits.maxBufferedBytes) {
        member.close(TOO_SLOW, 'too slow, reconnect to resync');
        return;
      }
      socket.send(frame);
    },
    close(code, reason) {
      if (closed) return;
      closed = true;
      socket.close(code, reason);
    },
  };

  const refuse = (code: number, why: string) => {
    log.warn({ event: 'doc_socket_refused', why }, 'closing a document socket');
    member.close(code, why);
  };

  /**
   * Sends a frame describing the room's state as of now (a sync step 1 or 2) once everything in
   * that state is committed, so a client may count what it says as saved. The frame is built
   * now and only its sending waits: later frames of this socket are handled meanwhile, and a
   * step 2 arriving after a newer broadcast is harmless (Yjs applies idempotently).
   */
  const sendDurable = (current: DocRoom, frame: Uint8Array) => {
    current.whenDurable().then(
      () => member.send(frame),
      () => {}, // the room broke and closed this socket
    );
  };

  async function handle(
    message: ClientDocMessage,
    current: DocRoom,
    verdict: Promise<GuardVerdict> | null,
  ): Promise<void> {
    switch (message.kind) {
      case 'sync-step-1': {
        let diff: Uint8Array;
        try {
          diff = Y.encodeStateAsUpdate(current.doc, message.stateVector);
        } catch {
          return refuse(CLOSE_CODES.badMessage, 'malformed state vector');
        }
        return sendDurable(current, encodeSyncMessage(SYNC_STEP_2, diff));
      }
      case 'sync-step-2':
      case 'update':
        return receiveUpdate(message.update, current, verdict);
      case 'awareness':
        return receiveAwareness(message.update, current);
      case 'query-awareness': {
        const clients = [...current.awareness.getStates().keys()];
        if (clients.length > 0) {
          member.send(
            encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(current.awareness, clients)),
          );
        }
        return;
      }
    }
  }

  async function receiveUpdate(
    update: Uint8Array,
    current: DocRoom,
    pendingVerdict: Promise<GuardVerdict> | null,
  ): Promise<void> {
    if (opened.access !== 'write' || !pendingVerdict) {
      // An empty update (2 bytes) is what a read-only client's sync step 2 normally carries.
      if (update.byteLength > 2 && ++readOnlyStrikes > limits.readOnlyStrikes) {
        refuse(CLOSE_CODES.forbidden, 'read-only document');
      }
      return;
    }
    const verdict = await pendingVerdict;
    if (closed) return; // revoked or shed while the guard was decoding
    if (!verdict.ok) {
      return refuse(
        verdict.reason === 'too_large' ? TOO_LARGE : CLOSE_CODES.badMessage,
        `update ${verdict.reason}`,
      );
    }
    const { facts } = verdict;
    if (facts.structCount === 0 && facts.deleteClients.length === 0) return;
    const maxBytes = isDocumentKind(kind) ? DOCUMENT_KINDS[kind].maxBytes : 0;
    if (current.storedBytes + update.byteLength > maxBytes) return refuse(TOO_LARGE, 'document too large');
    const owned = new Set(facts.clients.filter((c) => current.mayWriteAs(c, viewer.user.id)));
    const violation = findUpdateViolation(kind, facts, owned);
    if (violation) return refuse(CLOSE_CODES.badMessage, `update ${violation}`);
    if (!(await context.stillSignedIn())) return refuse(CLOSE_CODES.signedOut, 'session ended');
    // The durable check: ids this room has not seen are claimed in the database, where an id
    // already owned by someone else (before an unload, a restart, or on another instance) shows.
    if (!(await current.claimWriter(facts.clients, viewer.user.id))) {
      return refuse(CLOSE_CODES.badMessage, 'update foreign_client');
    }
    if (closed) return;
    // Rich text's content check (BI-Y11), right before applying and with no wait in between:
    // keys an overwrite leaves out are named from the document as it is now, the state the
    // update is applied to. Refused like any other bad update: nothing stored or relayed.
    if (richText) {
      // Asked of the guard for rich text only (`describeContent`); missing means it was not.
      const described = facts.content;
      if (!described) return refuse(CLOSE_CODES.badMessage, 'update not described');
      const content = findContentViolation(kind, resolveAgainstDocument(described, current.doc));
      if (content) return refuse(CLOSE_CODES.badMessage, `update ${content}`);
    }
    if (current.submit(update, member).incomplete) {
      // Ask the client to send again what the server lacks: its answer carries the dependencies.
      sendDurable(current, encodeSyncMessage(SYNC_STEP_1, Y.encodeStateVector(current.doc)));
    }
  }

  function receiveAwareness(update: Uint8Array, current: DocRoom): void {
    if (!awarenessRate.take()) return; // over 2 Hz: dropped, the next one carries the state
    // Presence may use a client id nobody else writes or shows presence with; it does not
    // bind the id for writing (a read-only socket must not lock a writer out).
    const owns = (clientId: number) => {
      if (!current.mayShowPresence(clientId, viewer.user.id, opened.access === 'write')) return false;
      member.awarenessClients.add(clientId);
      return true;
    };
    const filtered = filterAwarenessUpdate(update, owns, identity);
    if (filtered) awarenessProtocol.applyAwarenessUpdate(current.awareness, filtered, member);
  }

  // Attach handlers at once so no frame is lost while the room loads; process them in order.
  let chain: Promise<void> = context.rooms.join(opened.document).then(
    (loaded) => {
      room = loaded;
      if (closed) return;
      // Authorised to write just before the document was frozen (signed): reopen read-only.
      if (loaded.frozen && member.writes) return member.close(loaded.frozen.code, loaded.frozen.reason);
      loaded.members.add(member);
      const greeting = encodeSyncMessage(SYNC_STEP_1, Y.encodeStateVector(loaded.doc));
      sendDurable(loaded, greeting);
      const present = [...loaded.awareness.getStates().keys()];
      if (present.length > 0) {
        member.send(
          encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(loaded.awareness, present)),
        );
      }
    },
    () => refuse(4503, 'document unavailable, reconnecting'),
  );

  socket.on('message', (data: Buffer, isBinary: boolean) => {
    if (closed) return;
    if (!isBinary) return refuse(CLOSE_CODES.badMessage, 'binary frames only');
    if (!messages.take()) return refuse(RATE_LIMITED, 'too many messages');
    const parsed = parseClientDocMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    if (!parsed.ok) return refuse(CLOSE_CODES.badMessage, `malformed frame (${parsed.reason})`);
    // Decoding starts now, in the worker, while earlier frames are still being handled; the
    // verdicts are still consumed strictly in frame order.
    const message = parsed.message;
    const writes = message.kind === 'update' || message.kind === 'sync-step-2';
    const verdict =
      writes && opened.access === 'write'
        ? context.guard.inspect(message.update, { describeContent: richText })
        : null;
    chain = chain.then(async () => {
      if (closed || !room || room.broken) return;
      try {
        await handle(message, room, verdict);
      } catch {
        refuse(CLOSE_CODES.badMessage, 'message could not be applied');
      }
    });
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
    clearInterval(heartbeat);
    context.onClose();
    void chain.then(() => {
      if (!room) return;
      room.leave(member);
      context.rooms.release(room);
    });
  });
  socket.on('error', () => socket.terminate());

  return member;
}
