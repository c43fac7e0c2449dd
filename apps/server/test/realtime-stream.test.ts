/**
 * The session event stream on the real server: access before the upgrade, history then live,
 * commands acknowledged only after commit and applied once per id, resume with `since` without
 * gaps or duplicates, role filtering, and hostile frames closing only their own socket.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AuthorizeStream } from '../src/realtime/stream-route.ts';
import { openEventStream } from '@cairn/core';
import { Browser, setUpAdmin, startHarness, type Harness, type HarnessOptions } from './harness.ts';
import { addStaff, healthStatus, until } from './realtime-support.ts';
import {
  appendDutyEvents,
  createStream,
  rawEvents,
  rawStream,
  watchStream,
  type RawStream,
  type WatchedStream,
} from './stream-support.ts';

let harness: Harness | undefined;
const opened: Array<{ close(): void }> = [];

afterEach(async () => {
  for (const item of opened.splice(0)) item.close();
  await harness?.close();
  harness = undefined;
});

async function start(realtime: HarnessOptions['realtime'] = {}): Promise<Harness> {
  harness = await startHarness({ realtime });
  await harness.app.listen({ port: 0, host: '127.0.0.1' });
  return harness;
}

function watch(h: Harness, streamId: string, cookie: string | undefined, options = {}): WatchedStream {
  const watched = watchStream(h, streamId, cookie, options);
  opened.push(watched.client);
  return watched;
}

function raw(
  h: Harness,
  streamId: string,
  cookie: string | undefined,
  headers = {},
  path?: string,
): RawStream {
  const stream = rawStream(h, streamId, cookie, headers, path);
  opened.push({ close: () => stream.socket.terminate() });
  return stream;
}

async function scene(realtime: HarnessOptions['realtime'] = {}) {
  const h = await start(realtime);
  const { admin } = await setUpAdmin(h);
  const streamId = await createStream(h);
  const adminUser = await h.core.store.findUserByEmail('ana@juniper.test');
  return { h, admin, streamId, adminId: adminUser!.id };
}

async function facilitator(h: Harness, admin: Browser, email = 'fia@juniper.test') {
  return addStaff(h, admin, email, ['facilitator']);
}

const stored = (h: Harness, streamId: string) => h.core.store.readEvents(streamId, 0, 10_000);

describe('session stream: access before the upgrade', () => {
  it('[AC-01] refuses without a full session or for an unknown stream, with no socket, and audits it', async () => {
    const { h, admin, streamId } = await scene();
    expect(await raw(h, streamId, undefined).opened).toBe(401);
    expect(await raw(h, streamId, 'cairn_session=forged-token-value').opened).toBe(401);
    expect(await raw(h, 'does-not-exist', admin.cookie).opened).toBe(404);
    expect(await raw(h, streamId, admin.cookie, {}, `/ws/stream/${'x'.repeat(65)}`).opened).toBe(404);
    expect(await raw(h, streamId, admin.cookie, {}, `/ws/stream/a%2Fb`).opened).toBe(404);
    const audit = await h.core.store.listAudit((await h.core.store.getFirstClinic())!.id, { limit: 50 });
    expect(audit.filter((e) => e.action === 'authz.denied' && e.targetId === 'does-not-exist')).toHaveLength(
      1,
    );
    // A session half-way through sign-in (password, no second factor yet) opens nothing.
    const halfway = new Browser(h.app, '10.0.0.7');
    await halfway.post('/api/v1/auth/login', {
      email: 'ana@juniper.test',
      password: 'correct horse battery staple',
    });
    expect(halfway.cookie).toBeDefined();
    expect(await raw(h, streamId, halfway.cookie).opened).toBe(403);
  });

  it('[AC-11] refuses a foreign Origin, and [AC-12] a credential in the URL', async () => {
    const { h, admin, streamId } = await scene();
    expect(await raw(h, streamId, admin.cookie, { origin: 'https://evil.example' }).opened).toBe(403);
    const token = admin.cookie!.split('=')[1]!;
    expect(await raw(h, streamId, undefined, {}, `/ws/stream/${streamId}?token=${token}`).opened).toBe(400);
    expect(await raw(h, streamId, undefined, {}, `/ws/stream/${streamId}?session=${token}`).opened).toBe(400);
  });
});

describe('session stream: history, live events and commands', () => {
  it("says welcome, replays history, goes live, and delivers others' events as they are committed", async () => {
    const { h, admin, streamId, adminId } = await scene();
    const first = watch(h, streamId, admin.cookie);
    await until(() => first.client.status === 'live', 5000, 'live');
    await until(() => first.events.length === 1, 5000, 'own join');
    expect(first.events[0]).toMatchObject({ seq: 1, type: 'presence.joined', actorId: adminId });
    expect(first.events[0]!.payload).toEqual({ name: 'Ana Admin', roles: ['admin'] });

    const fia = await facilitator(h, admin);
    const second = watch(h, streamId, fia.browser.cookie);
    await until(() => second.client.status === 'live', 5000, 'second live');
    const ack = await second.client.send({ type: 'duty.set', onDuty: true });
    expect(ack).toEqual({ seq: 3, duplicate: false });
    await until(() => first.events.length === 3, 5000, 'events reach the first client');
    expect(first.events.map((e) => [e.seq, e.type, e.actorId])).toEqual([
      [1, 'presence.joined', adminId],
      [2, 'presence.joined', fia.userId],
      [3, 'staff.duty_changed', fia.userId],
    ]);
    await until(() => second.events.length === 3, 5000, 'second sees all');
    expect(second.events).toEqual(first.events);
  });

  it('joins are recorded once per person however often they reconnect', async () => {
    const { h, admin, streamId } = await scene();
    for (let i = 0; i < 3; i++) {
      const w = watchStream(h, streamId, admin.cookie);
      await until(() => w.events.length >= 1, 5000, 'join');
      w.client.close();
    }
    const events = await stored(h, streamId);
    expect(events.filter((e) => e.type === 'presence.joined')).toHaveLength(1);
  });

  it('acknowledges a command only after its event is committed', async () => {
    const { h, admin, streamId } = await scene();
    const fia = await facilitator(h, admin);
    const w = watch(h, streamId, fia.browser.cookie);
    await until(() => w.client.status === 'live', 5000, 'live');
    await until(async () => (await stored(h, streamId)).length === 1, 5000, 'join stored');
    // Hold the commit back: the ack must wait for it.
    const store = h.core.store;
    const appendEvents = store.appendEvents.bind(store);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    store.appendEvents = async (...args) => {
      await gate;
      return appendEvents(...args);
    };
    let acked = false;
    const sent = w.client.send({ type: 'duty.set', onDuty: true }).then((ack) => {
      acked = true;
      return ack;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(acked).toBe(false);
    expect(await stored(h, streamId)).toHaveLength(1);
    release();
    const ack = await sent;
    const events = await stored(h, streamId);
    expect(events.find((e) => e.seq === ack.seq)?.type).toBe('staff.duty_changed');
  });

  it('[BI-A3] the same command id twice applies once and returns the first result, even concurrently', async () => {
    const { h, admin, streamId } = await scene();
    const fia = await facilitator(h, admin);
    const one = watch(h, streamId, fia.browser.cookie, { newId: () => 'same-command-id-0001' });
    const two = watch(h, streamId, fia.browser.cookie, { newId: () => 'same-command-id-0001' });
    await until(() => one.client.status === 'live' && two.client.status === 'live', 5000, 'live');
    const [a, b] = await Promise.all([
      one.client.send({ type: 'duty.set', onDuty: true }),
      two.client.send({ type: 'duty.set', onDuty: false }),
    ]);
    expect(a.seq).toBe(b.seq);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    const again = await one.client.send({ type: 'duty.set', onDuty: false });
    expect(again).toEqual({ seq: a.seq, duplicate: true });
    const duty = (await stored(h, streamId)).filter((e) => e.type === 'staff.duty_changed');
    expect(duty).toHaveLength(1);
    // Keys are the actor's own: another person's command with the same id is a new event.
    const gus = await addStaff(h, admin, 'gus@juniper.test', ['co_therapist'], '10.0.0.10');
    const other = watch(h, streamId, gus.browser.cookie, { newId: () => 'same-command-id-0001' });
    const theirs = await other.client.send({ type: 'duty.set', onDuty: true });
    expect(theirs.duplicate).toBe(false);
    expect(theirs.seq).not.toBe(a.seq);
  });

  it('refuses a command the role may not issue, storing nothing and auditing the denial', async () => {
    const { h, admin, streamId } = await scene();
    const w = watch(h, streamId, admin.cookie); // admin only: not a clinician on duty
    await expect(w.client.send({ type: 'duty.set', onDuty: true })).rejects.toMatchObject({
      reason: 'forbidden',
    });
    expect((await stored(h, streamId)).filter((e) => e.type === 'staff.duty_changed')).toHaveLength(0);
    const audit = await h.core.store.listAudit((await h.core.store.getFirstClinic())!.id, { limit: 50 });
    expect(audit.some((e) => e.action === 'authz.denied' && e.details['what'] === 'command.duty.set')).toBe(
      true,
    );
    expect(w.client.status).toBe('live'); // the socket stays: the client is not broken
  });
});

describe('session stream: resume without gaps or duplicates', () => {
  it('a client that was away gets every event after its seq, in order, once — from the database and the window', async () => {
    const { h, admin, streamId, adminId } = await scene();
    const first = watch(h, streamId, admin.cookie);
    await until(() => first.events.length === 1, 5000, 'join');
    first.client.close();
    // 2,600 events while it was away (as another instance would write them): several pages,
    // more than the in-memory window, read back from the database on resume.
    await appendDutyEvents(h, streamId, adminId, 2_600);
    // Then live ones through the server, which the room holds in its window.
    const fia = await facilitator(h, admin);
    const keeper = watch(h, streamId, fia.browser.cookie);
    await until(() => keeper.events.length === 2_602, 10_000, 'keeper caught up');
    for (let i = 0; i < 10; i++) await keeper.client.send({ type: 'duty.set', onDuty: i % 2 === 0 });
    const back = watch(h, streamId, admin.cookie, { since: first.client.lastSeq });
    await until(() => back.client.lastSeq === 2_612, 10_000, 'resumed');
    const seqs = back.events.map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: 2_611 }, (_, i) => i + 2));
    expect(back.events.slice(-10).every((e) => e.actorId === fia.userId)).toBe(true);
  });

  it('reconnects by itself after the server drops it, resends unacknowledged commands, and skips nothing', async () => {
    const { h, admin, streamId, adminId } = await scene();
    const fia = await facilitator(h, admin);
    const w = watch(h, streamId, fia.browser.cookie);
    await until(() => w.client.status === 'live', 5000, 'live');
    for (const socket of h.app.websocketServer.clients) socket.terminate();
    // While it is away: others' events, and a command of its own waiting in the outbox.
    await appendDutyEvents(h, streamId, adminId, 25);
    const sent = w.client.send({ type: 'duty.set', onDuty: true });
    const ack = await sent;
    await until(() => w.client.lastSeq === ack.seq, 5000, 'caught up');
    const seqs = w.events.map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: ack.seq }, (_, i) => i + 1));
    expect(w.statuses).toContain('offline');
    expect(
      (await stored(h, streamId)).filter((e) => e.actorId === fia.userId && e.type === 'staff.duty_changed'),
    ).toHaveLength(1);
  });

  it('[FT-07] the device reports its network gone: the client says offline at once, keeps commands, and sends each once when it is back', async () => {
    const { h, admin, streamId, adminId } = await scene();
    const fia = await facilitator(h, admin);
    const w = watch(h, streamId, fia.browser.cookie);
    await until(() => w.client.status === 'live', 5000, 'live');
    w.client.networkLost();
    expect(w.client.status).toBe('offline');
    // A tap while offline, tapped again with its id (a retry), and others' events meanwhile.
    const sent = w.client.send({ type: 'duty.set', onDuty: true }, 'offline-tap-0001');
    const again = w.client.send({ type: 'duty.set', onDuty: true }, 'offline-tap-0001');
    await appendDutyEvents(h, streamId, adminId, 3);
    expect(w.client.pending).toBe(1);
    w.client.networkBack();
    const [ack, ackAgain] = await Promise.all([sent, again]);
    expect(ackAgain).toEqual(ack);
    await until(() => w.client.lastSeq >= ack.seq, 5000, 'caught up');
    const mine = (await stored(h, streamId)).filter(
      (e) => e.actorId === fia.userId && e.type === 'staff.duty_changed',
    );
    expect(mine).toHaveLength(1);
    expect(w.events.map((e) => e.seq)).toEqual(Array.from({ length: w.client.lastSeq }, (_, i) => i + 1));
  });

  it('[BI-W9] a client that stops reading is shed, and resumes to the same events', async () => {
    const { h, admin, streamId, adminId } = await scene({ streamLimits: { maxBufferedBytes: 64 * 1024 } });
    // About 12 MB of history: more than the kernel's socket buffers can hide.
    await appendDutyEvents(h, streamId, adminId, 100_000);
    const slow = raw(h, streamId, admin.cookie);
    await slow.opened;
    slow.socket.pause(); // reads nothing: the server's send buffer fills up
    slow.send({ type: 'hello', since: 0 });
    await until(() => h.app.websocketServer.clients.size === 0, 20_000, 'shed');
    expect(await healthStatus(h)).toBe(200);
    slow.socket.resume();
    expect((await slow.closed).code).not.toBe(1000);
    const again = watch(h, streamId, admin.cookie);
    await until(() => again.client.lastSeq === 100_001, 30_000, 'resumed');
    expect(again.events.map((e) => e.seq)).toEqual(Array.from({ length: 100_001 }, (_, i) => i + 1));
  }, 60_000);
});

describe('session stream: who receives what', () => {
  it("[AC-14] a participant's socket receives no staff-only event, not even as an empty frame", async () => {
    // Participants arrive with tablets; until then the recipient is set here, the way the
    // tablet's session will set it, to prove the filter on the real socket path.
    const asParticipant: AuthorizeStream = async (core, viewer, streamId) => {
      const opened = await openEventStream(core, viewer, streamId);
      return viewer?.user.email === 'pat@juniper.test'
        ? { ...opened, recipient: { kind: 'participant', participantId: 'p-1' } }
        : opened;
    };
    const { h, admin, streamId, adminId } = await scene({ authorizeStream: asParticipant });
    await appendDutyEvents(h, streamId, adminId, 30);
    const pat = await addStaff(h, admin, 'pat@juniper.test', ['co_therapist']);
    const participant = raw(h, streamId, pat.browser.cookie);
    await participant.opened;
    participant.send({ type: 'hello', since: 0 });
    const fia = await facilitator(h, admin);
    const staff = watch(h, streamId, fia.browser.cookie);
    await until(() => staff.events.length >= 31, 5000, 'staff history');
    for (let i = 0; i < 5; i++) await staff.client.send({ type: 'duty.set', onDuty: i % 2 === 0 });
    // 30 + 5 duty changes (the room's other records, joins and presence, are not counted here).
    const duty = () => staff.events.filter((e) => e.type === 'staff.duty_changed').length;
    await until(() => duty() === 35, 5000, 'staff live');
    await until(() => participant.messages.some((m) => m.type === 'live'), 5000, 'participant live');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(participant.messages.map((m) => m.type)).toEqual(['welcome', 'live']);
    expect(rawEvents(participant)).toEqual([]);
    // Nor can it act as staff.
    participant.send({
      type: 'command',
      id: 'participant-cmd-01',
      command: { type: 'duty.set', onDuty: true },
    });
    await until(() => participant.messages.some((m) => m.type === 'rejected'), 5000, 'refusal');
    expect(participant.messages.at(-1)).toEqual({
      type: 'rejected',
      id: 'participant-cmd-01',
      reason: 'forbidden',
    });
  });
});

describe('session stream: revocation', () => {
  it('[AC-09] closes the socket at once on logout; the client stops and its pending commands fail', async () => {
    const { h, admin, streamId } = await scene();
    const fia = await facilitator(h, admin);
    const w = watch(h, streamId, fia.browser.cookie);
    await until(() => w.client.status === 'live', 5000, 'live');
    await fia.browser.post('/api/v1/auth/logout');
    await until(() => w.client.status === 'signed_out', 5000, 'signed out');
    await expect(w.client.send({ type: 'duty.set', onDuty: true })).rejects.toMatchObject({
      reason: 'signed_out',
    });
  });
});
