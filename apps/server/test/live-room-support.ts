/**
 * Helpers for the live room tests: a room of group A's staff on the session stream with
 * admitted tablets, a tablet's raw socket that answers commands by id, the clinic's settings,
 * and a restart of the app on the same database (the process's realtime state lost).
 */
import { randomBytes } from 'node:crypto';
import type { EventRecord } from '@cairn/db';
import { expect } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { ORIGIN, startHarness, type Browser, type Harness } from './harness.ts';
import { addStaff, until } from './realtime-support.ts';
import { rawStream, watchStream, type RawStream, type WatchedStream } from './stream-support.ts';
import { admittedTablet, tabletScene, type Device, type TabletScene } from './tablets-support.ts';

/** Short enough that escalation tests need no wait beyond a few ticks of real time. */
export const SWEEP_MS = 25;

export interface LiveRoom {
  h: Harness;
  s: TabletScene;
  /** Group A's facilitator and co-therapist following session A's stream. */
  fay: WatchedStream;
  cal: WatchedStream;
  /** Closes every socket the test opened (called after each test). */
  closeAll(): void;
  watch(browser: Browser | { cookie: string | undefined }, since?: number): WatchedStream;
  tablet(participantId: string): Promise<TabletSocket>;
  /** Group A's medical provider, when the room was made `withMedical`. */
  med?: Browser;
  /** The participant's seat in session A (roster order), as the staff's state view says. */
  seatOf(participantId: string): Promise<number>;
}

export const newId = () => randomBytes(12).toString('base64url');

export async function liveRoom(options: { withMedical?: boolean } = {}): Promise<LiveRoom> {
  const h = await startHarness({ realtime: { supportSweepMs: SWEEP_MS } });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const s = await tabletScene(h);
  let med: Browser | undefined;
  if (options.withMedical) {
    const added = await addStaff(h, s.admin, 'mo@juniper.test', ['medical_provider']);
    med = added.browser;
    const staffed = await s.fa.request('PUT', `/api/v1/groups/${s.groupA}/staff`, {
      staff: [
        { userId: s.faId, roles: ['facilitator'] },
        { userId: s.caId, roles: ['co_therapist'] },
        { userId: added.userId, roles: ['medical_provider'] },
      ],
    });
    expect(staffed.statusCode).toBe(200);
  }
  const closers: Array<{ close(): void }> = [];
  const watch = (browser: { cookie: string | undefined }, since?: number) => {
    const watched = watchStream(h, s.sessionA.streamId, browser.cookie, since === undefined ? {} : { since });
    closers.push(watched.client);
    return watched;
  };
  const fay = watch(s.fa);
  const cal = watch(s.ca);
  await until(() => fay.client.status === 'live' && cal.client.status === 'live', 5000, 'staff live');
  return {
    h,
    s,
    fay,
    cal,
    ...(med ? { med } : {}),
    watch,
    closeAll: () => closers.splice(0).forEach((c) => c.close()),
    async seatOf(participantId) {
      const state = await s.fa.get(`/api/v1/sessions/${s.sessionA.id}/state`);
      const seats = (state.json() as { participants: Array<{ participantId: string; seat: number }> })
        .participants;
      return seats.find((p) => p.participantId === participantId)!.seat;
    },
    async tablet(participantId) {
      const { tablet } = await admittedTablet(h, s.fa, s.sessionA.id, participantId);
      const socket = await tabletSocket(h, s.sessionA.streamId, tablet);
      closers.push({ close: () => socket.raw.socket.terminate() });
      return socket;
    },
  };
}

export async function setClinic(admin: Browser, settings: Record<string, unknown>): Promise<void> {
  const changed = await admin.request('PATCH', '/api/v1/clinic/settings', settings);
  expect(changed.statusCode).toBe(200);
}

export interface Reply {
  type: 'ack' | 'rejected';
  id: string;
  seq?: number;
  duplicate?: boolean;
  reason?: string;
  message?: string;
}

/** A tablet's raw stream socket: every frame kept, commands answered by id. */
export interface TabletSocket {
  raw: RawStream;
  device: Device;
  /** Sends a command and resolves with its answer (the next one for that id). */
  send(command: Record<string, unknown>, id?: string): Promise<Reply>;
  /** Sends a frame as text, exactly (e.g. `1e309`, which JSON.parse makes Infinity). */
  sendText(id: string, text: string): Promise<Reply>;
  /** Every frame received so far, as the text it arrived as (re-encoded). */
  text(): string;
}

export async function tabletSocket(
  h: Harness,
  streamId: string,
  device: Device,
  since = 0,
): Promise<TabletSocket> {
  const raw = rawStream(h, streamId, device.cookie);
  expect(await raw.opened).toBe('open');
  raw.send({ type: 'hello', since });
  await until(() => raw.messages.some((m) => m.type === 'live'), 5000, 'tablet live');
  const answered = new Map<string, number>();
  const replyTo = async (id: string): Promise<Reply> => {
    const seen = answered.get(id) ?? 0;
    const replies = () =>
      raw.messages.filter((m) => (m.type === 'ack' || m.type === 'rejected') && m['id'] === id);
    await until(() => replies().length > seen, 5000, `answer to ${id}`);
    answered.set(id, seen + 1);
    return replies()[seen] as unknown as Reply;
  };
  return {
    raw,
    device,
    send(command, id = newId()) {
      raw.send({ type: 'command', id, command });
      return replyTo(id);
    },
    sendText(id, text) {
      raw.send(text);
      return replyTo(id);
    },
    text: () => raw.messages.map((m) => JSON.stringify(m)).join('\n'),
  };
}

/** The stream's events straight from the database. */
export function storedEvents(h: Harness, streamId: string): Promise<EventRecord[]> {
  return h.core.store.readEvents(streamId, 0, 100_000);
}

export const ofType = <E extends { type: string }>(events: readonly E[], type: string): E[] =>
  events.filter((e) => e.type === type);

/**
 * Closes the app (its sockets, loaded streams, sweepers: the process's state) and starts a new
 * one on the same database and clock, as a restarted server would.
 */
export async function restartApp(h: Harness): Promise<void> {
  await h.app.close();
  const config = loadConfig({
    CAIRN_DATA_DIR: h.dataDir,
    CAIRN_ORIGIN: ORIGIN,
    LOG_LEVEL: 'silent',
    SERVE_WEB: 'false',
  });
  const app = await buildApp({ config, core: h.core, realtime: { supportSweepMs: SWEEP_MS } });
  await app.ready();
  await app.listen({ port: 0, host: '127.0.0.1' });
  h.app = app;
}
