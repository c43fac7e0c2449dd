/**
 * Snapshot compaction on the real server: once the log after the snapshot passes
 * COMPACT_AFTER_BYTES, the room writes a snapshot (off the hot path); a cold load is snapshot
 * + tail and gives exactly the same text; history stays in the log. And BI-Y16: text typed
 * into the wrong document and deleted at once is absent from every state served afterwards,
 * kept only in the server's history.
 */
import { afterEach, expect, it } from 'vitest';
import { COMPACT_AFTER_BYTES } from '../src/realtime/doc-room.ts';
import { insertedStrings, Stage, step1Frame, storedText, until } from './realtime-support.ts';
import * as Y from 'yjs';

let stage: Stage | undefined;

afterEach(async () => {
  await stage?.stop();
  stage = undefined;
});

const contains = (bytes: Uint8Array | null, text: string) =>
  bytes !== null && Buffer.from(bytes).includes(Buffer.from(text, 'utf8'));

/** Types about `bytes` of filler in 8 KiB pieces, each durably stored before the next. */
async function typeFiller(text: Y.Text, bytes: number): Promise<void> {
  const piece = 'calm breath, steady ground. '.repeat(300).slice(0, 8192);
  for (let written = 0; written < bytes; written += piece.length) text.insert(text.length, piece);
}

it('[BI-Y16] text deleted at once is absent from the snapshot and from what clients load; history keeps it', async () => {
  stage = await Stage.start();
  const { h } = stage;
  const { admin, docId, bystander } = await stage.scene();
  const text = bystander.doc.getText('content');
  const marker = 'WRONG-DOCUMENT-SECRET-7Q2';
  text.insert(text.length, ` ${marker}`);
  text.delete(text.length - marker.length - 1, marker.length + 1);
  await typeFiller(text, COMPACT_AFTER_BYTES + 64 * 1024);
  await until(async () => (await h.core.store.loadDocState(docId)).snapshot !== null, 10_000, 'snapshot');

  const state = await h.core.store.loadDocState(docId);
  expect(contains(state.snapshot, marker)).toBe(false);
  for (const { update } of state.updates) expect(contains(update, marker)).toBe(false);
  // A fresh client's whole sync, byte for byte, never carries it.
  const fresh = await stage.raw(docId, admin.cookie);
  fresh.send(step1Frame(Y.encodeStateVector(new Y.Doc())));
  await until(() => fresh.syncFrames(1).length > 0, 5000, 'sync step 2');
  for (const frame of fresh.frames) expect(contains(frame, marker)).toBe(false);
  expect(
    fresh
      .syncFrames(1)
      .flatMap((payload) => insertedStrings(payload))
      .join(''),
  ).not.toContain(marker);
  // The server's history still has it (retention and access policy apply there).
  const history = await h.core.store.readDocUpdates(docId, 0, 10_000);
  expect(history.some(({ update }) => contains(update, marker))).toBe(true);
});

it('compacts by bytes: a cold load is snapshot + tail and gives exactly the same text', async () => {
  stage = await Stage.start();
  const { h } = stage;
  const { admin, docId, bystander } = await stage.scene();
  const text = bystander.doc.getText('content');
  await typeFiller(text, COMPACT_AFTER_BYTES + 64 * 1024);
  await until(async () => (await h.core.store.loadDocState(docId)).snapshot !== null, 10_000, 'snapshot');
  text.insert(0, 'after the snapshot; ');
  const expected = text.toString();
  await until(async () => (await storedText(h, docId)) === expected, 10_000, 'tail stored');
  const state = await h.core.store.loadDocState(docId);
  expect(state.snapshotSeq).toBeGreaterThan(0);
  expect(state.tailBytes).toBeLessThan(COMPACT_AFTER_BYTES);
  // Unload (grace 50 ms), then a cold load.
  bystander.destroy();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const fresh = stage.provider(docId, admin.cookie);
  await until(() => fresh.provider.synced, 5000, 'cold load');
  expect(fresh.doc.getText('content').toString()).toBe(expected);
});
