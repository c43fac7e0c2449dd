/**
 * The y-websocket wire protocol (y-protocols: sync and awareness), read strictly. The stock
 * `WebsocketProvider` is our browser client, so these are its bytes; but the server reads
 * every frame as hostile: one parse, a typed result or a typed refusal, never an exception,
 * and never a half-read message (BI-W1…W3).
 *
 * Frame layout: varUint messageType, then
 *   0 sync:      varUint syncType (0 step 1 | 1 step 2 | 2 update), varUint8Array payload
 *   1 awareness: varUint8Array awareness update
 *   2 auth:      (server → client only; refused from clients)
 *   3 query awareness: nothing
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

export const SYNC_STEP_1 = 0;
export const SYNC_STEP_2 = 1;
export const SYNC_UPDATE = 2;

export type ClientDocMessage =
  | { kind: 'sync-step-1'; stateVector: Uint8Array }
  | { kind: 'sync-step-2'; update: Uint8Array }
  | { kind: 'update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'query-awareness' };

export type DocMessageRefusal = 'empty' | 'truncated' | 'unknown_type' | 'trailing_bytes';

export type ParsedDocMessage =
  { ok: true; message: ClientDocMessage } | { ok: false; reason: DocMessageRefusal };

function readBody(decoder: decoding.Decoder, messageType: number): ClientDocMessage | 'unknown_type' {
  switch (messageType) {
    case MESSAGE_SYNC: {
      const syncType = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (syncType === SYNC_STEP_1) return { kind: 'sync-step-1', stateVector: payload };
      if (syncType === SYNC_STEP_2) return { kind: 'sync-step-2', update: payload };
      if (syncType === SYNC_UPDATE) return { kind: 'update', update: payload };
      return 'unknown_type';
    }
    case MESSAGE_AWARENESS:
      return { kind: 'awareness', update: decoding.readVarUint8Array(decoder) };
    case MESSAGE_QUERY_AWARENESS:
      return { kind: 'query-awareness' };
    default:
      return 'unknown_type';
  }
}

/** Reads one client frame. Text frames must be refused by the caller before this (BI-W1). */
export function parseClientDocMessage(frame: Uint8Array): ParsedDocMessage {
  if (frame.byteLength === 0) return { ok: false, reason: 'empty' };
  const decoder = decoding.createDecoder(frame);
  let body: ClientDocMessage | 'unknown_type';
  try {
    body = readBody(decoder, decoding.readVarUint(decoder));
  } catch {
    // lib0 throws on reads past the end and on varints longer than 53 bits.
    return { ok: false, reason: 'truncated' };
  }
  if (body === 'unknown_type') return { ok: false, reason: 'unknown_type' };
  if (decoding.hasContent(decoder)) return { ok: false, reason: 'trailing_bytes' };
  return { ok: true, message: body };
}

/** Server → client frames, written the way the stock provider reads them. */
export function encodeSyncMessage(syncType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export function encodeAwarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}
