/**
 * The few bytes of y-websocket and Hocuspocus frames the thin clients need: enough to answer
 * the handshake and to tell which writes an update frame carries, without ever applying Yjs.
 * Reading is allocation-free because 13 listeners per room read every frame.
 */
import * as encoding from 'lib0/encoding';

/** Every write is exactly this many ASCII characters, so a Yjs clock maps to a write index. */
export const INSERT_CHARS = 30;

export const MSG_SYNC = 0;
export const MSG_AUTH = 2;
export const SYNC_STEP_1 = 0;
export const SYNC_STEP_2 = 1;
export const SYNC_UPDATE = 2;
/** Hocuspocus message types (`@hocuspocus/server` types.ts) beyond y-protocols'. */
const HP_SYNC_REPLY = 4;
const HP_PING = 9;
const HP_PONG = 10;
const HP_AUTH_TOKEN = 0;
const HP_AUTH_DENIED = 1;
const HP_AUTH_OK = 2;

/** An empty Yjs update (no structs, no deletes) and an empty state vector. */
export const EMPTY_UPDATE = new Uint8Array([0, 0]);
export const EMPTY_STATE_VECTOR = new Uint8Array([0]);

export type InboundKind = 'step1' | 'step2' | 'update' | 'authenticated' | 'denied' | 'ping' | 'other';

export interface Inbound {
  kind: InboundKind;
  /** Payload bounds inside the frame (sync messages only). */
  start: number;
  end: number;
}

const OTHER: Inbound = { kind: 'other', start: 0, end: 0 };

/** lib0 varUint: 7 bits a byte, low groups first. `pos` is carried in a one-slot array. */
function varUint(buf: Uint8Array, at: number[]): number {
  let result = 0;
  let multiplier = 1;
  for (;;) {
    const byte = buf[at[0]!++]!;
    result += (byte & 0x7f) * multiplier;
    if (byte < 0x80) return result;
    multiplier *= 128;
  }
}

/** Skips a varString or varUint8Array (length, then bytes). */
function skipBytes(buf: Uint8Array, at: number[]): void {
  const length = varUint(buf, at); // read before moving: `at[0] += varUint(…)` would not
  at[0]! += length;
}

/** Skips a Yjs ID (client, clock). */
function skipId(buf: Uint8Array, at: number[]): void {
  varUint(buf, at);
  varUint(buf, at);
}

function syncInbound(buf: Uint8Array, at: number[]): Inbound {
  const syncType = varUint(buf, at);
  const length = varUint(buf, at);
  const start = at[0]!;
  const kind = syncType === SYNC_STEP_1 ? 'step1' : syncType === SYNC_STEP_2 ? 'step2' : 'update';
  return { kind, start, end: start + length };
}

/** y-websocket (Cairn, @y/websocket-server, and what the raw baseline relays). */
export function readYws(buf: Uint8Array): Inbound {
  const at = [0];
  return varUint(buf, at) === MSG_SYNC ? syncInbound(buf, at) : OTHER;
}

/** Hocuspocus: every frame starts with the document name; Ping is a bare type byte. */
export function readHocuspocus(buf: Uint8Array): Inbound {
  if (buf.length === 1 && buf[0] === HP_PING) return { kind: 'ping', start: 0, end: 0 };
  const at = [0];
  skipBytes(buf, at); // the document name
  const type = varUint(buf, at);
  if (type === MSG_SYNC || type === HP_SYNC_REPLY) return syncInbound(buf, at);
  if (type === MSG_AUTH) {
    const sub = varUint(buf, at);
    if (sub === HP_AUTH_OK) return { kind: 'authenticated', start: 0, end: 0 };
    if (sub === HP_AUTH_DENIED) return { kind: 'denied', start: 0, end: 0 };
  }
  return OTHER;
}

export interface WriteSpan {
  client: number;
  /** Index of the first write carried (clock / INSERT_CHARS). */
  first: number;
  count: number;
}

/**
 * Which writes an update carries: the first client block's start clock and the summed length
 * of its structs (Hocuspocus may merge several writes into one frame). Reads the v1 struct
 * headers only; string content is skipped by its byte length (all writes are ASCII).
 */
export function updateSpan(buf: Uint8Array, start: number): WriteSpan | null {
  const at = [start];
  if (varUint(buf, at) === 0) return null;
  const structs = varUint(buf, at);
  const client = varUint(buf, at);
  const clock = varUint(buf, at);
  let length = 0;
  for (let s = 0; s < structs; s++) {
    const info = buf[at[0]!++]!;
    const ref = info & 31;
    if (ref === 0 || ref === 10) {
      length += varUint(buf, at); // GC or Skip: just a length
      continue;
    }
    if (info & 0x80) skipId(buf, at); // left origin
    if (info & 0x40) skipId(buf, at); // right origin
    if ((info & 0xc0) === 0) {
      // No origins: the parent is written (a root type's name, or an id), then parentSub.
      if (varUint(buf, at) === 1) skipBytes(buf, at);
      else skipId(buf, at);
      if (info & 0x20) skipBytes(buf, at);
    }
    if (ref === 4) {
      const bytes = varUint(buf, at); // ContentString: ASCII, so bytes = clock units
      at[0]! += bytes;
      length += bytes;
    } else if (ref === 1) {
      length += varUint(buf, at); // ContentDeleted
    } else {
      length += INSERT_CHARS; // not produced by these workloads; count it as one write
      break;
    }
  }
  return {
    client,
    first: Math.floor(clock / INSERT_CHARS),
    count: Math.max(1, Math.round(length / INSERT_CHARS)),
  };
}

export function ywsSyncFrame(syncType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MSG_SYNC);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export function hpSyncFrame(name: string, syncType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, name);
  encoding.writeVarUint(encoder, MSG_SYNC);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export function hpAuthFrame(name: string, token: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, name);
  encoding.writeVarUint(encoder, MSG_AUTH);
  encoding.writeVarUint(encoder, HP_AUTH_TOKEN);
  encoding.writeVarString(encoder, token);
  return encoding.toUint8Array(encoder);
}

export const HP_PONG_FRAME = new Uint8Array([HP_PONG]);

/** A frame as bytes, whatever `binaryType` the socket was given. */
export function asBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data as Buffer[]));
  throw new Error('unexpected frame type');
}
