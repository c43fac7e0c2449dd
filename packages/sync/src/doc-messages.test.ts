import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import { describe, expect, it } from 'vitest';
import {
  encodeAwarenessMessage,
  encodeSyncMessage,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  parseClientDocMessage,
  SYNC_UPDATE,
} from './doc-messages.ts';

/** What the stock provider sends: y-protocols writing into a frame after messageSync. */
function providerFrame(write: (encoder: encoding.Encoder) => void, messageType = MESSAGE_SYNC): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageType);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

describe('parseClientDocMessage', () => {
  const doc = new Y.Doc();
  doc.getText('content').insert(0, 'hello');

  it("reads the stock provider's sync step 1, sync step 2 and update frames", () => {
    const step1 = parseClientDocMessage(providerFrame((e) => syncProtocol.writeSyncStep1(e, doc)));
    expect(step1).toEqual({
      ok: true,
      message: { kind: 'sync-step-1', stateVector: Y.encodeStateVector(doc) },
    });

    const step2 = parseClientDocMessage(providerFrame((e) => syncProtocol.writeSyncStep2(e, doc)));
    expect(step2.ok && step2.message.kind).toBe('sync-step-2');

    const update = Y.encodeStateAsUpdate(doc);
    const parsed = parseClientDocMessage(providerFrame((e) => syncProtocol.writeUpdate(e, update)));
    expect(parsed).toEqual({ ok: true, message: { kind: 'update', update } });
  });

  it('reads awareness and awareness queries', () => {
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState({ cursor: 1 });
    const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]);
    expect(parseClientDocMessage(encodeAwarenessMessage(update))).toEqual({
      ok: true,
      message: { kind: 'awareness', update },
    });
    expect(parseClientDocMessage(Uint8Array.of(MESSAGE_QUERY_AWARENESS))).toEqual({
      ok: true,
      message: { kind: 'query-awareness' },
    });
    awareness.destroy();
  });

  it('round-trips the frames the server writes', () => {
    const update = Y.encodeStateAsUpdate(doc);
    expect(parseClientDocMessage(encodeSyncMessage(SYNC_UPDATE, update))).toEqual({
      ok: true,
      message: { kind: 'update', update },
    });
  });

  it.each([
    ['[BI-W1] the text frame "..`" as bytes', new TextEncoder().encode('..`'), 'unknown_type'],
    ['[BI-W2] an empty frame', new Uint8Array(0), 'empty'],
    ['[BI-W2] a lone 0x80 (truncated varint)', Uint8Array.of(0x80), 'truncated'],
    [
      '[BI-W2] a 10-byte varint overflow',
      Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f),
      'truncated',
    ],
    ['[BI-W3] message type 99', Uint8Array.of(99), 'unknown_type'],
    ['[BI-W3] sync type 7', Uint8Array.of(MESSAGE_SYNC, 7, 0), 'unknown_type'],
    ['an auth message from a client', Uint8Array.of(2, 0), 'unknown_type'],
    [
      'a sync message whose payload length runs past the end',
      Uint8Array.of(MESSAGE_SYNC, 2, 50, 1, 2),
      'truncated',
    ],
    ['a valid message with bytes after it', Uint8Array.of(MESSAGE_QUERY_AWARENESS, 0), 'trailing_bytes'],
  ])('refuses %s', (_label, frame, reason) => {
    expect(parseClientDocMessage(frame)).toEqual({ ok: false, reason });
  });
});
