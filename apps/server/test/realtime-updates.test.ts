/**
 * Hostile Yjs updates (reliability.md §7(a) BI-Y1…Y12, BI-Y15; §7(b) AC-16): well-formed
 * frames whose update is garbage, empty, too large, off-schema, forged, incomplete, replayed,
 * or sent on a read-only socket. Each checks the sender's answer, /healthz, and that a
 * well-behaved client on the same document is untouched and the stored document unchanged.
 */
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addStaff,
  authorizeWithGrants,
  BASELINE,
  createClinicianNote,
  healthStatus,
  Stage,
  step2Frame,
  storedRowCount,
  syncFrame,
  storedText,
  until,
  updateFrame,
  type Grants,
} from './realtime-support.ts';
import { ADMIN } from './harness.ts';

let stage: Stage;
afterEach(async () => {
  await stage.stop();
});

const MAX_DOC_BYTES = 2 * 1024 * 1024;

describe('updates the server must refuse or neutralise', () => {
  it('[BI-Y1] the bytes of base64 "garbagedoc" as an update are closed 4400; document unchanged', async () => {
    stage = await Stage.start();
    const { admin, docId, bystander } = await stage.scene();
    const rows = await storedRowCount(stage.h, docId);
    const hostile = await stage.raw(docId, admin.cookie);
    hostile.send(updateFrame(new Uint8Array(Buffer.from('garbagedoc', 'base64'))));
    const closed = await hostile.closedWithin();
    expect(closed).toEqual({ code: 4400, reason: 'update malformed' });
    expect(await storedRowCount(stage.h, docId)).toBe(rows);
    await stage.expectUnharmed(docId, bystander, admin.cookie, BASELINE);
  });

  it('[BI-Y2] a zero-length update (as Update and as SyncStep2) is refused 4400 before decoding', async () => {
    stage = await Stage.start();
    const { admin, docId, bystander } = await stage.scene();
    const rows = await storedRowCount(stage.h, docId);
    for (const frame of [updateFrame(new Uint8Array(0)), step2Frame(new Uint8Array(0))]) {
      const hostile = await stage.raw(docId, admin.cookie);
      hostile.send(frame);
      expect(await hostile.closedWithin()).toEqual({ code: 4400, reason: 'update empty' });
    }
    expect(await storedRowCount(stage.h, docId)).toBe(rows);
    await stage.expectUnharmed(docId, bystander, admin.cookie, BASELINE);
  });

  it('[BI-Y4] one 2.5 MiB insert is closed 4413 "document too large"; nothing persisted or broadcast', async () => {
    stage = await Stage.start();
    const { admin, docId, bystander } = await stage.scene();
    const rows = await storedRowCount(stage.h, docId);
    const hostile = await stage.raw(docId, admin.cookie);
    await hostile.sync();
    hostile.append('HUGE'.repeat((2.5 * 1024 * 1024) / 4));
    expect(await hostile.closedWithin()).toEqual({ code: 4413, reason: 'document too large' });
    expect(await storedRowCount(stage.h, docId)).toBe(rows);
    await stage.expectUnharmed(docId, bystander, admin.cookie, BASELINE);
  });

  it('[BI-Y4] valid 750 KB updates are accepted until the next would pass 2 MiB: that one is closed 4413', async () => {
    stage = await Stage.start();
    const { admin, docId, bystander } = await stage.scene();
    const writer = await stage.raw(docId, admin.cookie);
    await writer.sync();
    const chunk = (tag: string) => `<${tag}>${'.'.repeat(750_000)}`;
    await writer.write(chunk('one'));
    await writer.write(chunk('two'));
    const accepted = BASELINE + chunk('one') + chunk('two');
    expect(await storedText(stage.h, docId)).toBe(accepted);
    const rows = await storedRowCount(stage.h, docId);

    writer.append(chunk('three'));
    expect(await writer.closedWithin()).toEqual({ code: 4413, reason: 'document too large' });
    expect(writer.received('<three>')).toBe(false);
    expect(await storedRowCount(stage.h, docId)).toBe(rows);
    const state = await stage.h.core.store.loadDocState(docId);
    expect((state.snapshot?.byteLength ?? 0) + state.tailBytes).toBeLessThanOrEqual(MAX_DOC_BYTES);
    await until(
      () => bystander.doc.getText('content').length === accepted.length,
      5000,
      'bystander has both',
    );
    await stage.expectUnharmed(docId, bystander, admin.cookie, accepted);
  });

  it.each([
    [
      'a root map named __proto__',
      (doc: Y.Doc) => doc.getMap('__proto__').set('polluted', true),
      'unexpected_root',
    ],
    ['a root array named admin', (doc: Y.Doc) => doc.getArray('admin').insert(0, ['x']), 'unexpected_root'],
    [
      'map writes to the sequence root content',
      (doc: Y.Doc) => doc.getMap('content').set('k', 'v'),
      'wrong_root_shape',
    ],
    [
      'text inserted into the map root meta',
      (doc: Y.Doc) => doc.getText('meta').insert(0, 'x'),
      'wrong_root_shape',
    ],
  ])('[BI-Y5] %s is closed 4400; nothing persisted', async (_what, edit, violation) => {
    stage = await Stage.start();
    const { admin, docId, bystander } = await stage.scene();
    const rows = await storedRowCount(stage.h, docId);
    const hostile = await stage.raw(docId, admin.cookie);
    edit(hostile.doc);
    hostile.send(updateFrame(hostile.produced.at(-1)!));
    expect(await hostile.closedWithin()).toEqual({ code: 4400, reason: `update ${violation}` });
    expect(await storedRowCount(stage.h, docId)).toBe(rows);
    const stored = await stage.h.core.store.loadDocState(docId);
    expect(stored.updates.every(({ update }) => !Buffer.from(update).includes('polluted'))).toBe(true);
    await stage.expectUnharmed(docId, bystander, admin.cookie, BASELINE);
  });

  it("[BI-Y6] structs under another user's bound client id are closed 4400; the victim's text is untouched", async () => {
    const grants: Grants = new Map();
    stage = await Stage.start({ authorize: authorizeWithGrants(grants) });
    const { admin, docId, bystander } = await stage.scene();
    const zed = await addStaff(stage.h, admin, 'zed@juniper.test');
    grants.set(docId, new Map([[zed.userId, 'write']]));
    const rows = await storedRowCount(stage.h, docId);

    const forger = await stage.raw(docId, zed.browser.cookie);
    await forger.sync();
    expect(forger.doc.getText('content').toString()).toBe(BASELINE);
    forger.doc.clientID = bystander.doc.clientID; // the victim's id, bound when it wrote BASELINE
    forger.doc.getText('content').insert(0, 'FORGED by someone else: ');
    forger.send(updateFrame(forger.produced.at(-1)!));
    expect(await forger.closedWithin()).toEqual({ code: 4400, reason: 'update foreign_client' });
    expect(await storedRowCount(stage.h, docId)).toBe(rows);

    // Zed's own client id is still fine: binding refuses the forgery, not the person.
    const honest = await stage.raw(docId, zed.browser.cookie);
    await honest.sync();
    await honest.write(' [zed]');
    await until(() => bystander.doc.getText('content').toString() === `${BASELINE} [zed]`, 5000, 'zed edit');
    await stage.expectUnharmed(docId, bystander, admin.cookie, `${BASELINE} [zed]`);
  });

  it("[BI-Y9] a user's captured update replayed by someone else into their own document is closed 4400", async () => {
    stage = await Stage.start();
    const { admin, docId, bystander } = await stage.scene();
    // The admin writes in their note; Zed captures that update off the wire.
    const text = bystander.doc.getText('content');
    let captured: Uint8Array | null = null;
    bystander.doc.once('update', (update: Uint8Array) => (captured = update));
    text.insert(text.length, ' [admin wrote this]');
    await until(
      async () => (await storedText(stage.h, docId)).endsWith('[admin wrote this]'),
      5000,
      'stored',
    );
    const zed = await addStaff(stage.h, admin, 'zed@juniper.test');
    const zedNote = await createClinicianNote(stage.h, 'zed@juniper.test');
    // Zed may write that document — it is Zed's own — but not under the admin's client id,
    // which no update in this document has used before.
    const replayer = await stage.raw(zedNote, zed.browser.cookie);
    await replayer.sync();
    replayer.send(updateFrame(captured!));
    expect(await replayer.closedWithin()).toEqual({ code: 4400, reason: 'update foreign_client' });
    expect(await storedRowCount(stage.h, zedNote)).toBe(0);
    expect(await storedText(stage.h, zedNote)).toBe('');
    // Zed's own writing there is fine.
    const honest = await stage.raw(zedNote, zed.browser.cookie);
    await honest.sync();
    await honest.write('my own note');
    await until(async () => (await storedText(stage.h, zedNote)) === 'my own note', 5000, 'zed stored');
    await stage.expectUnharmed(docId, bystander, admin.cookie, `${BASELINE} [admin wrote this]`);
  });

  it('[BI-Y7] an update with a missing dependency is neither stored nor echoed nor kept; the client is asked to resync', async () => {
    stage = await Stage.start();
    const { admin, docId, bystander } = await stage.scene();
    const rows = await storedRowCount(stage.h, docId);
    const sender = await stage.raw(docId, admin.cookie);
    await sender.sync();
    const text = sender.doc.getText('content');
    text.insert(text.length, ' [first]');
    text.insert(text.length, ' [second]');
    const [withheld, dependent] = sender.produced.slice(-2) as [Uint8Array, Uint8Array];
    const resyncRequests = sender.syncFrames(0).length;
    sender.send(updateFrame(dependent)); // the server never saw `withheld`
    await sender.barrier();
    expect(sender.isOpen).toBe(true);
    expect(sender.syncFrames(2)).toEqual([]); // no echo: not acknowledged
    expect(sender.syncFrames(0).length).toBe(resyncRequests + 1); // "send me what I lack"
    expect(await storedRowCount(stage.h, docId)).toBe(rows);
    expect(await storedText(stage.h, docId)).toBe(BASELINE);
    expect(bystander.doc.getText('content').toString()).toBe(BASELINE);

    // The missing update alone integrates; the dropped one comes back with the client's answer
    // to the resync request (what the stock provider does by itself), and is stored once.
    sender.send(updateFrame(withheld));
    await until(() => sender.received(' [first]'), 5000, 'first echoed');
    expect(sender.received(' [second]')).toBe(false);
    const serverState = sender.syncFrames(0).at(-1)!;
    sender.send(syncFrame(1, Y.encodeStateAsUpdate(sender.doc, serverState)));
    await until(() => sender.received(' [second]'), 5000, 'second echoed after the resync');
    const expected = `${BASELINE} [first] [second]`;
    await until(() => bystander.doc.getText('content').toString() === expected, 5000, 'bystander has both');
    await stage.expectUnharmed(docId, bystander, admin.cookie, expected);
  });

  it('[BI-Y4] [BI-Y7] large updates waiting on a missing dependency never slip past the size cap', async () => {
    stage = await Stage.start();
    const { admin, docId, bystander } = await stage.scene();
    const sender = await stage.raw(docId, admin.cookie);
    await sender.sync();
    const text = sender.doc.getText('content');
    text.insert(text.length, '!');
    const withheld = sender.produced.at(-1)!;
    for (let i = 0; i < 2; i++) {
      text.insert(text.length, 'x'.repeat(1_500_000));
      sender.send(updateFrame(sender.produced.at(-1)!));
    }
    await sender.barrier();
    sender.send(updateFrame(withheld));
    await until(() => sender.received('!'), 5000, 'the small update echoed');
    const stored = await storedText(stage.h, docId);
    expect(stored).toBe(`${BASELINE}!`);
    await stage.expectUnharmed(docId, bystander, admin.cookie, `${BASELINE}!`);
  });

  it('[BI-Y8] the same valid update replayed 100× is stored once and echoed once', async () => {
    stage = await Stage.start();
    const { admin, docId, bystander } = await stage.scene();
    const rows = await storedRowCount(stage.h, docId);
    const sender = await stage.raw(docId, admin.cookie);
    await sender.sync();
    const update = sender.append(' [once]');
    for (let i = 0; i < 99; i++) sender.send(updateFrame(update));
    await sender.barrier();
    expect(sender.isOpen).toBe(true);
    expect(sender.syncFrames(2).filter((payload) => Buffer.from(payload).includes(' [once]'))).toHaveLength(
      1,
    );
    expect(await storedRowCount(stage.h, docId)).toBe(rows + 1);
    const expected = `${BASELINE} [once]`;
    await until(() => bystander.doc.getText('content').toString() === expected, 5000, 'bystander edit');
    await stage.expectUnharmed(docId, bystander, admin.cookie, expected);
  });

  it('[BI-Y10] a read-only socket sending Update and SyncStep2 with edits changes nothing; closed 4403 after the strikes', async () => {
    const grants: Grants = new Map();
    const readOnlyStrikes = 20; // the default
    stage = await Stage.start({ authorize: authorizeWithGrants(grants) });
    const { admin, docId, bystander } = await stage.scene();
    const reader = await addStaff(stage.h, admin, 'rita@juniper.test');
    grants.set(docId, new Map([[reader.userId, 'read']]));
    const rows = await storedRowCount(stage.h, docId);

    const socket = await stage.raw(docId, reader.browser.cookie);
    await socket.sync();
    expect(socket.doc.getText('content').toString()).toBe(BASELINE); // it may read
    // What a stock read-only client sends (empty sync step 2s) is no strike.
    for (let i = 0; i < 30; i++) socket.send(step2Frame(Y.encodeStateAsUpdate(new Y.Doc())));
    const text = socket.doc.getText('content');
    for (let i = 0; i < readOnlyStrikes; i++) {
      text.insert(0, `[ro ${i}]`);
      const update = socket.produced.at(-1)!;
      socket.send(i % 2 === 0 ? updateFrame(update) : step2Frame(Y.encodeStateAsUpdate(socket.doc)));
    }
    await socket.barrier();
    expect(socket.isOpen).toBe(true);
    expect(socket.syncFrames(2)).toEqual([]);
    expect(await storedRowCount(stage.h, docId)).toBe(rows);
    expect(await storedText(stage.h, docId)).toBe(BASELINE);

    // Still a reader: the author's edits reach it.
    bystander.doc.getText('content').insert(BASELINE.length, ' [author]');
    await until(() => socket.received(' [author]'), 5000, 'reader receives');

    text.insert(0, '[one too many]');
    socket.send(updateFrame(socket.produced.at(-1)!));
    expect(await socket.closedWithin()).toEqual({ code: 4403, reason: 'read-only document' });
    expect(await storedText(stage.h, docId)).toBe(`${BASELINE} [author]`);
    await stage.expectUnharmed(docId, bystander, admin.cookie, `${BASELINE} [author]`);
  });

  it('[BI-Y12] "select all + delete" is a legal edit, and the stored history still restores the text', async () => {
    stage = await Stage.start();
    const { admin, docId, bystander } = await stage.scene();
    const coEditor = stage.provider(docId, admin.cookie);
    await until(() => coEditor.provider.synced, 5000, 'co-editor sync');
    const lastBefore = (await stage.h.core.store.readDocUpdates(docId, 0, 1_000_000)).at(-1)!.seq;
    const text = coEditor.doc.getText('content');
    text.delete(0, text.length);
    await until(async () => (await storedText(stage.h, docId)) === '', 5000, 'delete stored');
    await until(() => bystander.doc.getText('content').toString() === '', 5000, 'bystander sees delete');
    expect(coEditor.provider.wsconnected).toBe(true);

    const history = await stage.h.core.store.readDocUpdates(docId, 0, 1_000_000);
    expect(history.at(-1)!.seq).toBeGreaterThan(lastBefore);
    const restored = new Y.Doc();
    for (const { seq, update } of history) if (seq <= lastBefore) Y.applyUpdate(restored, update);
    expect(restored.getText('content').toString()).toBe(BASELINE);
    await stage.expectUnharmed(docId, bystander, admin.cookie, '');
  });

  it('[BI-Y15][AC-16] a socket serves exactly one document: what is sent on A never reaches B', async () => {
    stage = await Stage.start();
    const { admin, docId: docA, bystander } = await stage.scene();
    const docB = await createClinicianNote(stage.h, ADMIN.email);
    const onB = stage.provider(docB, admin.cookie);
    await until(() => onB.provider.synced, 5000, 'B sync');
    onB.doc.getText('content').insert(0, 'B only');
    await until(async () => (await storedText(stage.h, docB)) === 'B only', 5000, 'B stored');
    const rowsB = await storedRowCount(stage.h, docB);

    const socketA = await stage.raw(docA, admin.cookie);
    await socketA.sync();
    await socketA.write(' [meant for B]');
    // A y-websocket frame has no document field; prefixing B's id only makes it malformed.
    const addressed = new Uint8Array([...Buffer.from(docB), ...updateFrame(socketA.produced.at(-1)!)]);
    socketA.send(addressed);
    expect((await socketA.closedWithin()).code).toBe(4400);

    expect(await storedRowCount(stage.h, docB)).toBe(rowsB);
    expect(await storedText(stage.h, docB)).toBe('B only');
    expect(onB.doc.getText('content').toString()).toBe('B only');
    expect(await healthStatus(stage.h)).toBe(200);
    const expected = `${BASELINE} [meant for B]`;
    await until(() => bystander.doc.getText('content').toString() === expected, 5000, 'A has it');
    await stage.expectUnharmed(docA, bystander, admin.cookie, expected);
    expect(onB.doc.getText('content').toString()).toBe('B only');
  });
});
