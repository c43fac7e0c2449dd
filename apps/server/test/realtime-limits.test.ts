/**
 * Per-socket limits (reliability.md §7(a) BI-W9…W11, BI-Y13, BI-Y14): slow consumers, floods,
 * half-open clients and hostile awareness. The offender is shed or ignored; the process and a
 * well-behaved client on the same document carry on as if nothing happened.
 */
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_REALTIME } from '../src/realtime/plugin.ts';
import { ADMIN } from './harness.ts';
import {
  addStaff,
  authorizeWithGrants,
  awarenessFrame,
  awarenessUpdate,
  BASELINE,
  healthStatus,
  Stage,
  storedText,
  until,
  updateFrame,
  type Grants,
} from './realtime-support.ts';

let stage: Stage;
afterEach(async () => {
  await stage.stop();
});

type AwarenessState = { user?: { name: string; role: string }; [key: string]: unknown } | undefined;

describe('limits shed the offender only', () => {
  it('[BI-W9] a reader that stops reading is closed 4205 once its buffer passes the cap; the writer is unaffected', async () => {
    stage = await Stage.start({ limits: { ...DEFAULT_REALTIME.limits, maxBufferedBytes: 128 * 1024 } });
    const { admin, docId, bystander } = await stage.scene();
    const slow = await stage.raw(docId, admin.cookie);
    const slowTcp = (slow.socket as unknown as { _socket: Socket })._socket;
    slowTcp.pause();
    const writer = await stage.raw(docId, admin.cookie);
    await writer.sync();
    const serverSockets = stage.h.app.websocketServer.clients;
    const serverShedOne = () => [...serverSockets].some((socket) => socket.readyState === WebSocket.CLOSING);

    // 64 KB inserted and deleted again, each acknowledged, until the server sheds the reader
    // (the kernel's socket buffers take a few MB first). Bounded: at most 16 MB in all.
    const text = writer.doc.getText('content');
    let rounds = 0;
    for (; rounds < 256 && !serverShedOne(); rounds++) {
      await writer.write(`<${rounds}>${'x'.repeat(64 * 1024)}`);
      text.delete(BASELINE.length, text.length - BASELINE.length);
      writer.send(updateFrame(writer.produced.at(-1)!));
      await writer.barrier();
    }
    expect(serverShedOne()).toBe(true);
    expect(writer.isOpen).toBe(true);
    slowTcp.resume();
    expect(await slow.closedWithin()).toEqual({ code: 4205, reason: 'too slow, reconnect to resync' });

    await writer.write(' [writer still here]');
    const expected = `${BASELINE} [writer still here]`;
    await until(() => bystander.doc.getText('content').toString() === expected, 5000, 'bystander caught up');
    await stage.expectUnharmed(docId, bystander, admin.cookie, expected);
  });

  it('[BI-W10] 1,000 messages/s from one socket is closed 4429; others are fine', async () => {
    stage = await Stage.start();
    const { admin, docId, bystander } = await stage.scene();
    const flooder = await stage.raw(docId, admin.cookie);
    const queryAwareness = new Uint8Array([3]);
    const { messageBurst, messagesPerSecond } = DEFAULT_REALTIME.limits;
    let sent = 0;
    // 50 messages every 50 ms (1,000/s) until the server closes it; bounded to 5 s.
    const startedAt = Date.now();
    while (flooder.isOpen && Date.now() - startedAt < 5000) {
      for (let i = 0; i < 50; i++) flooder.send(queryAwareness);
      sent += 50;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const seconds = (Date.now() - startedAt) / 1000;
    expect(await flooder.closedWithin()).toEqual({ code: 4429, reason: 'too many messages' });
    // It got past the burst, and not much past burst + refill (one batch in flight).
    expect(sent).toBeGreaterThan(messageBurst);
    expect(sent).toBeLessThanOrEqual(messageBurst + messagesPerSecond * seconds + 100);
    await stage.expectUnharmed(docId, bystander, admin.cookie, BASELINE);
  });

  it('[BI-W11] a client that never answers pings is terminated, and its awareness entry disappears for others', async () => {
    stage = await Stage.start({ limits: { ...DEFAULT_REALTIME.limits, heartbeatMs: 200 } });
    const { admin, docId, bystander } = await stage.scene();
    const ghost = await stage.raw(docId, admin.cookie, { autoPong: false });
    const ghostId = 987_654;
    ghost.send(awarenessFrame(awarenessUpdate([{ clientId: ghostId, clock: 1, state: '{"cursor":4}' }])));
    const states = () => bystander.provider.awareness.getStates();
    await until(() => states().has(ghostId), 5000, 'ghost visible');
    const openedAt = Date.now();
    const closed = await ghost.closedWithin();
    expect(closed.code).toBe(1006); // terminated: no close handshake with a vanished peer
    // One ping unanswered, terminated at the next tick: two intervals, give or take.
    expect(Date.now() - openedAt).toBeLessThan(5000);
    await until(() => !states().has(ghostId), 5000, 'ghost entry removed');
    // Healthy clients answer pings: over many intervals, the bystander never dropped.
    await stage.expectUnharmed(docId, bystander, admin.cookie, BASELINE);
  });

  it('[BI-Y13] awareness with 10,000 entries or a 100 KB state is ignored; the socket stays', async () => {
    stage = await Stage.start();
    const { admin, docId, bystander } = await stage.scene();
    const sender = await stage.raw(docId, admin.cookie);
    const many = Array.from({ length: 10_000 }, (_, i) => ({ clientId: 100_000 + i, clock: 1, state: '{}' }));
    sender.send(awarenessFrame(awarenessUpdate(many)));
    const big = JSON.stringify({ cursor: 1, blob: 'x'.repeat(100 * 1024) });
    sender.send(awarenessFrame(awarenessUpdate([{ clientId: 4343, clock: 1, state: big }])));
    // Within the 2 Hz budget (burst 3), a normal entry afterwards shows the others were read and dropped.
    sender.send(awarenessFrame(awarenessUpdate([{ clientId: 4242, clock: 2, state: '{"cursor":2}' }])));
    const states = () => bystander.provider.awareness.getStates();
    await until(() => states().has(4242), 5000, 'normal entry');
    const seen = states().get(4242) as AwarenessState;
    expect(seen).toEqual({ cursor: 2, user: expect.objectContaining({ name: ADMIN.displayName }) });
    expect([...states().keys()].filter((id) => id === 4343 || (id >= 100_000 && id < 110_000))).toEqual([]);
    expect(sender.isOpen).toBe(true);
    expect(await healthStatus(stage.h)).toBe(200);
    await stage.expectUnharmed(docId, bystander, admin.cookie, BASELINE);
  });

  it("[BI-Y14] awareness for another user's client id (higher clock, or null) is dropped; the victim's entry stays", async () => {
    const grants: Grants = new Map();
    stage = await Stage.start({ authorize: authorizeWithGrants(grants) });
    const { admin, docId, bystander } = await stage.scene();
    const zed = await addStaff(stage.h, admin, 'zed@juniper.test');
    grants.set(docId, new Map([[zed.userId, 'write']]));
    const watcher = stage.provider(docId, admin.cookie);
    await until(() => watcher.provider.synced, 5000, 'watcher sync');

    bystander.provider.awareness.setLocalStateField('cursor', 7);
    const victimId = bystander.doc.clientID;
    const victimState = () => watcher.provider.awareness.getStates().get(victimId) as AwarenessState;
    await until(() => victimState()?.cursor === 7, 5000, 'victim visible');
    const victimClock = watcher.provider.awareness.meta.get(victimId)!.clock;

    const attacker = await stage.raw(docId, zed.browser.cookie);
    const forged = JSON.stringify({
      cursor: 99,
      user: { name: 'Dr. X (facilitator)', role: 'Clinic admin' },
    });
    attacker.send(
      awarenessFrame(awarenessUpdate([{ clientId: victimId, clock: victimClock + 10, state: forged }])),
    );
    attacker.send(
      awarenessFrame(awarenessUpdate([{ clientId: victimId, clock: victimClock + 20, state: 'null' }])),
    );
    // The attacker's own entry, claiming a name, arrives stamped with its real one.
    attacker.send(awarenessFrame(awarenessUpdate([{ clientId: 5151, clock: 1, state: forged }])));
    const attackerState = () => watcher.provider.awareness.getStates().get(5151) as AwarenessState;
    await until(() => attackerState() !== undefined, 5000, "attacker's own entry");
    expect(attackerState()!.user!.name).toBe('zed');

    expect(victimState()).toEqual({ cursor: 7, user: expect.objectContaining({ name: ADMIN.displayName }) });
    expect(watcher.provider.awareness.meta.get(victimId)!.clock).toBe(victimClock);
    expect(attacker.isOpen).toBe(true);
    expect(await storedText(stage.h, docId)).toBe(BASELINE);
    await stage.expectUnharmed(docId, bystander, admin.cookie, BASELINE);
  });
});
